import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError

from .clinic_treatment_note import hash_version
from .clinic_workflow import append_only_sql, check_access_first

# The seal before the first one of a company.
GENESIS = "0" * 64
# The records that are sealed when they become final, and which of them must have a seal.
SEALED = {
    "clinic.treatment.note": [("state", "=", "signed")],
    "clinic.treatment.note.amendment": [],
    "clinic.intake": [("state", "in", ("submitted", "reviewed"))],
}
HEAD_SQL = """
-- The head of each company's chain: its last sequence number and seal. Updating it serialises
-- the sealing transactions of a company (a concurrent one fails to serialise and is retried).
CREATE TABLE IF NOT EXISTS clinic_record_seal_head (
    company_id integer PRIMARY KEY REFERENCES res_company (id) ON DELETE RESTRICT,
    sequence integer NOT NULL,
    seal_hash varchar NOT NULL
);
"""


# The recipe of the content hashes sealed from now on (see clinic_treatment_note.HASH_VERSION):
# each model's ``_clinic_seal_digest(version)`` returns "$<version>$<sha256>" from version 2 on.
SEAL_HASH_VERSION = 2


def seal_digest(previous_hash, company_id, sequence, res_model, res_id, content_hash, sealed_at):
    """SHA-256 of a seal: the previous seal's hash and what this one seals, so that each seal
    vouches for the whole chain before it."""
    payload = "|".join(
        [
            previous_hash,
            str(company_id),
            str(sequence),
            res_model,
            str(res_id),
            content_hash,
            fields.Datetime.to_string(sealed_at),
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ClinicRecordSeal(models.Model):
    """One link of a company's chain of clinical records: each signed note, amendment and
    submitted intake is sealed when it becomes final, with the hash of its content and the hash
    of the seal before it. A row changed or deleted (with the triggers disabled), or inserted
    out of order, breaks the chain where it happened; ``clinic.record.verification`` finds it."""

    _name = "clinic.record.seal"
    _description = "Clinical Record Seal"
    _order = "company_id, sequence"
    _log_access = False
    _rec_name = "sequence"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, ondelete="restrict"
    )
    sequence = fields.Integer(required=True, readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    content_hash = fields.Char(required=True, readonly=True)
    previous_hash = fields.Char(required=True, readonly=True)
    seal_hash = fields.Char(required=True, readonly=True)
    sealed_at = fields.Datetime(required=True, readonly=True)

    _sequence_uniq = models.Constraint(
        "UNIQUE(company_id, sequence)", "Each link of a chain has its own sequence number."
    )

    def init(self):
        res = super().init()
        self.env.cr.execute(append_only_sql(self._table))
        self.env.cr.execute(HEAD_SQL)
        # The head only moves forward.
        self.env.cr.execute(
            append_only_sql(
                "clinic_record_seal_head",
                "TG_OP = 'UPDATE' AND NEW.company_id = OLD.company_id "
                "AND NEW.sequence >= OLD.sequence",
            )
        )
        # Once every model's columns exist: the records sealed with the first recipe are sealed
        # again with the current one (an existing database, on upgrade).
        self.pool.post_init(self._reseal_version_1)
        return res

    @api.model
    def _reseal_version_1(self):
        """Append a seal of the current recipe for each record whose newest seal has the first
        one (display names in the hash: renaming a region broke it), if the record still
        matches it. The old seals stay in the chain; the verification checks each record
        against its newest seal. A record that no longer matches keeps its break."""
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (res_model, res_id) res_model, res_id, content_hash
              FROM clinic_record_seal
          ORDER BY res_model, res_id, sequence DESC
            """
        )
        resealed = 0
        for res_model, res_id, content_hash in self.env.cr.fetchall():
            if hash_version(content_hash) != 1 or res_model not in self.env:
                continue
            record = self.env[res_model].sudo().with_context(active_test=False).browse(res_id)
            if record.exists() and record._clinic_seal_digest(1) == content_hash:
                self._seal(record)
                resealed += 1
        return resealed

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        check_access_first(self, "create")
        raise UserError(self.env._("Seals are made by the clinic when a record is signed."))

    def write(self, vals):  # pylint: disable=method-required-super
        check_access_first(self, "write")
        raise UserError(self.env._("A seal cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        check_access_first(self, "unlink")
        raise UserError(self.env._("A seal cannot be deleted."))

    @api.model
    def _clinic_hash_version(self):
        """The version of the content hashes sealed now (the tests seal older versions)."""
        return SEAL_HASH_VERSION

    @api.model
    def _seal(self, records):
        """Seal ``records`` (final clinical records of one model), each as the next link of its
        company's chain."""
        cr = self.env.cr
        for record in records.sudo():
            company = record.company_id
            cr.execute(
                """
                INSERT INTO clinic_record_seal_head AS head (company_id, sequence, seal_hash)
                     VALUES (%s, 0, %s)
                ON CONFLICT (company_id) DO UPDATE SET sequence = head.sequence
                  RETURNING sequence, seal_hash
                """,
                [company.id, GENESIS],
            )
            last, previous_hash = cr.fetchone()
            sequence = last + 1
            sealed_at = fields.Datetime.now()
            content_hash = record._clinic_seal_digest(self._clinic_hash_version())
            seal_hash = seal_digest(
                previous_hash,
                company.id,
                sequence,
                record._name,
                record.id,
                content_hash,
                sealed_at,
            )
            cr.execute(
                """
                INSERT INTO clinic_record_seal (company_id, sequence, res_model, res_id,
                                                content_hash, previous_hash, seal_hash, sealed_at)
                     VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                """,
                [
                    company.id,
                    sequence,
                    record._name,
                    record.id,
                    content_hash,
                    previous_hash,
                    seal_hash,
                    sealed_at,
                ],
            )
            cr.execute(
                """
                UPDATE clinic_record_seal_head SET sequence = %s, seal_hash = %s
                 WHERE company_id = %s
                """,
                [sequence, seal_hash, company.id],
            )
