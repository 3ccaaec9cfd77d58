import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .clinic_cron import single_run
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
-- The head of each company's chain: its last sequence number and seal. Only the chaining batch
-- (``_chain``) updates it, so only two batches at once serialise; signing never touches it.
CREATE TABLE IF NOT EXISTS clinic_record_seal_head (
    company_id integer PRIMARY KEY REFERENCES res_company (id) ON DELETE RESTRICT,
    sequence integer NOT NULL,
    seal_hash varchar NOT NULL
);
"""


# How a seal row came to be: 1, linked into the chain when its record was signed (the rows
# made before chaining in batches; NULL in the column); 2, its record's content hash stored
# when signed, linked into the chain later by ``_chain``. The seal's hash is computed alike.
CHAIN_VERSION = 2
# A row may be updated once, by the batch that links it: from unchained (no sequence) to
# chained, every other column unchanged (an allow-list: a column added later stays frozen).
CHAIN_COLUMNS = ("sequence", "previous_hash", "seal_hash", "sealed_at")
_UNCHANGED = "'{" + ",".join(CHAIN_COLUMNS) + "}'::text[]"
LINKING = (
    "TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL "
    "AND NEW.previous_hash IS NOT NULL AND NEW.seal_hash IS NOT NULL "
    f"AND NEW.sealed_at IS NOT NULL AND to_jsonb(NEW) - {_UNCHANGED} = to_jsonb(OLD) - {_UNCHANGED}"
)
# How many signed records one batch links at most (the next run takes the rest).
CHAIN_BATCH = 5000


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
    """One link of a company's chain of clinical records. Each signed note, amendment and
    submitted intake gets its row when it becomes final, holding the hash of its content and
    nothing shared: signings never wait on each other. A batch (``_chain``: a cron every few
    minutes, and before each verification a manager asks for) then links the rows signed so
    far into the company's chain, in order, each with the hash of the seal before it, under the
    chain head's lock, as Odoo's *Secure Entries* hashes posted entries in batch. A row changed
    or deleted (with the triggers disabled), or inserted out of order, breaks the chain where it
    happened; ``clinic.record.verification`` finds it, and names the rows not yet linked."""

    _name = "clinic.record.seal"
    _description = "Clinical Record Seal"
    _order = "company_id, sequence"
    _log_access = False
    _rec_name = "sequence"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, ondelete="restrict"
    )
    sequence = fields.Integer(readonly=True, help="Empty: signed, not yet linked into the chain.")
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    content_hash = fields.Char(required=True, readonly=True)
    previous_hash = fields.Char(readonly=True)
    seal_hash = fields.Char(readonly=True)
    sealed_at = fields.Datetime(readonly=True, help="When the row was linked into the chain.")
    signed_at = fields.Datetime(readonly=True, help="When the record's content hash was stored.")
    chain_version = fields.Integer(readonly=True)

    _sequence_uniq = models.Constraint(
        "UNIQUE(company_id, sequence)", "Each link of a chain has its own sequence number."
    )
    _unchained_idx = models.Index("(company_id, id) WHERE sequence IS NULL")

    def init(self):
        res = super().init()
        self.env.cr.execute(append_only_sql(self._table, LINKING))
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
          ORDER BY res_model, res_id, id DESC
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
        """Store the content hash of ``records`` (final clinical records of one model), each
        in a row of its own: an insert, no shared row read or written, so that concurrent
        signings neither wait nor fail to serialise. ``_chain`` links them later."""
        records = records.sudo()
        if not records:
            return
        version = self._clinic_hash_version()
        signed_at = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO clinic_record_seal (company_id, res_model, res_id, content_hash,
                                                signed_at, chain_version)
                     VALUES %s
                """,
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s)",
                        record.company_id.id,
                        record._name,
                        record.id,
                        record._clinic_seal_digest(version),
                        signed_at,
                        CHAIN_VERSION,
                    )
                    for record in records
                ),
            )
        )

    @api.model
    @single_run
    def _cron_chain(self):
        for company in self.env["res.company"].sudo().search([]):
            self._chain(company)

    @api.model
    def _chain(self, company=None, limit=CHAIN_BATCH):
        """Link ``company``'s (default: every company's) signed rows not yet chained into its
        chain, oldest signed first, each as the next link: the hash of the seal before it and
        of what it seals. One batch at a time per company: the head's row lock orders them (a
        concurrent batch fails to serialise and Odoo runs it again, after this one). Rows
        signed in transactions not committed yet are left to the next batch. Returns how many
        rows were linked."""
        cr = self.env.cr
        companies = company or self.env["res.company"].sudo().search([])
        linked = 0
        for company in companies:
            cr.execute(
                """
                SELECT id, res_model, res_id, content_hash FROM clinic_record_seal
                 WHERE company_id = %s AND sequence IS NULL
              ORDER BY signed_at, id
                 LIMIT %s
                """,
                [company.id, limit],
            )
            rows = cr.fetchall()
            if not rows:
                continue
            cr.execute(
                """
                INSERT INTO clinic_record_seal_head AS head (company_id, sequence, seal_hash)
                     VALUES (%s, 0, %s)
                ON CONFLICT (company_id) DO UPDATE SET sequence = head.sequence
                  RETURNING sequence, seal_hash
                """,
                [company.id, GENESIS],
            )
            sequence, previous_hash = cr.fetchone()
            sealed_at = fields.Datetime.now()
            for row_id, res_model, res_id, content_hash in rows:
                sequence += 1
                seal_hash = seal_digest(
                    previous_hash, company.id, sequence, res_model, res_id, content_hash, sealed_at
                )
                cr.execute(
                    """
                    UPDATE clinic_record_seal
                       SET sequence = %s, previous_hash = %s, seal_hash = %s, sealed_at = %s
                     WHERE id = %s
                    """,
                    [sequence, previous_hash, seal_hash, sealed_at, row_id],
                )
                previous_hash = seal_hash
            cr.execute(
                """
                UPDATE clinic_record_seal_head SET sequence = %s, seal_hash = %s
                 WHERE company_id = %s
                """,
                [sequence, previous_hash, company.id],
            )
            linked += len(rows)
        if linked:
            self.invalidate_model()
        return linked
