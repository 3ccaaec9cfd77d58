from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .clinic_cron import single_run
from .clinic_workflow import append_only_sql, check_access_first

# Reads of the same record by the same user, the same way, within this time make one entry.
FOLD_MINUTES = 5
# The shortest retention a company may set (HIPAA keeps audit documentation six years).
MIN_RETENTION_DAYS = 365
DEFAULT_RETENTION_DAYS = 6 * 365
ACCESS_TYPES = [
    ("form", "Form"),
    ("list", "List"),
    ("report", "Report"),
    ("export", "Export"),
    ("grouped", "Grouped (pivot, graph)"),
    ("file", "File (document, signature)"),
    ("rpc", "RPC"),
]
# PostgreSQL keeps the log append-only: a DELETE passes only for entries older than their
# company's retention (never less than MIN_RETENTION_DAYS).
RETENTION_PASSED = f"""
    TG_OP = 'DELETE'
    AND OLD.accessed_at < (now() AT TIME ZONE 'UTC') - make_interval(days => (
        SELECT GREATEST(COALESCE(c.clinic_access_log_days, {DEFAULT_RETENTION_DAYS}),
                        {MIN_RETENTION_DAYS})
          FROM res_company c
         WHERE c.id = OLD.company_id))
"""
# A read of any number of records is one round trip. The BEFORE INSERT trigger below fills in
# the patient's company and the emergency access the read went through (PostgreSQL keeps its
# plans for the session); a read of the same record by the same user the same way in the same
# FOLD_MINUTES slot conflicts with the first entry's unique key and adds nothing.
# A transaction that wrote nothing before the read (a form or a list opened) commits without
# waiting for the disk: its entry is visible to every session at once, and only a crash of the
# database server's machine within a fraction of a second (three times ``wal_writer_delay``)
# could lose it. A transaction that already wrote commits as usual, its entry with it.
LOG_READS_SQL = """
SELECT set_config('synchronous_commit', 'off', true) WHERE txid_current_if_assigned() IS NULL;
INSERT INTO clinic_access_log (accessed_at, fold_slot, user_id, patient_id, company_id,
                               res_model, res_id, access_type)
SELECT %(now)s, %(slot)s, %(uid)s, x.patient_id, NULL, %(model)s, x.res_id, %(how)s
  FROM unnest(%(res_ids)s::int[], %(patient_ids)s::int[]) AS x(res_id, patient_id)
    ON CONFLICT DO NOTHING
"""
FILL_SQL = """
CREATE OR REPLACE FUNCTION clinic_access_log_fill() RETURNS trigger AS $$
BEGIN
    -- The patient's clinic (for a patient shared by the companies, the reader's company), and
    -- the emergency access the reader holds for the patient now, if any.
    SELECT COALESCE(partner.company_id, reader.company_id),
           (SELECT g.id
              FROM clinic_access_grant g
             WHERE g.user_id = NEW.user_id
               AND g.patient_id = NEW.patient_id
               AND g.date_expires > NEW.accessed_at
          ORDER BY g.id DESC
             LIMIT 1)
      INTO NEW.company_id, NEW.access_grant_id
      FROM clinic_patient p
      JOIN res_partner partner ON partner.id = p.partner_id
      JOIN res_users reader ON reader.id = NEW.user_id
     WHERE p.id = NEW.patient_id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS clinic_access_log_fill ON clinic_access_log;
CREATE TRIGGER clinic_access_log_fill BEFORE INSERT ON clinic_access_log
    FOR EACH ROW EXECUTE FUNCTION clinic_access_log_fill();
"""


class ClinicAccessLog(models.Model):
    """Who opened which clinical record, when and how: one entry per read (reads of the same
    record by the same user the same way within a few minutes are one entry). Written by the
    reading methods of the clinical models, never by a client; kept for the company's
    retention period."""

    _name = "clinic.access.log"
    _description = "Clinical Access Log"
    _order = "accessed_at desc, id desc"
    _log_access = False
    _rec_name = "res_model"

    accessed_at = fields.Datetime(string="When", required=True, readonly=True, index=True)
    fold_slot = fields.Integer(
        readonly=True, help="The FOLD_MINUTES slot of the read: one entry per slot and way."
    )
    user_id = fields.Many2one(
        comodel_name="res.users", required=True, readonly=True, ondelete="restrict"
    )
    patient_id = fields.Many2one(
        comodel_name="clinic.patient",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    access_type = fields.Selection(ACCESS_TYPES, string="How", required=True, readonly=True)
    access_grant_id = fields.Many2one(
        comodel_name="clinic.access.grant",
        string="Emergency Access",
        readonly=True,
        ondelete="restrict",
        help="The user read the record through this emergency (break-the-glass) access.",
    )
    emergency = fields.Boolean(compute="_compute_emergency", search="_search_emergency")
    model_name = fields.Char(string="Record Type", compute="_compute_record")
    record_name = fields.Char(string="Record", compute="_compute_record")

    _fold_uniq = models.UniqueIndex("(res_id, res_model, user_id, access_type, fold_slot)")

    def init(self):
        res = super().init()
        self.env.cr.execute(append_only_sql(self._table, RETENTION_PASSED))
        self.env.cr.execute(FILL_SQL)
        return res

    def _compute_emergency(self):
        for entry in self:
            entry.emergency = bool(entry.access_grant_id)

    def _search_emergency(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        return [("access_grant_id", "!=" if (operator == "=") == bool(value) else "=", False)]

    @api.depends("res_model", "res_id")
    def _compute_record(self):
        descriptions = {
            name: self.env["ir.model"].sudo()._get(name).name
            for name in set(self.mapped("res_model"))
            if name in self.env
        }
        for entry in self:
            entry.model_name = descriptions.get(entry.res_model, entry.res_model)
            record = self.env[entry.res_model].sudo().browse(entry.res_id).exists()
            entry.record_name = record.display_name if record else f"#{entry.res_id}"

    # ------------------------------------------------------------------ append-only

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        check_access_first(self, "create")
        raise UserError(
            self.env._("Access log entries are written by the clinic when a record is read.")
        )

    def write(self, vals):  # pylint: disable=method-required-super
        check_access_first(self, "write")
        raise UserError(
            self.env._(
                "The access log cannot be changed: it records every read of clinical content."
            )
        )

    def unlink(self):  # pylint: disable=method-required-super
        check_access_first(self, "unlink")
        raise UserError(
            self.env._(
                "Access log entries cannot be deleted: they are kept for the retention period "
                "set in the clinic's settings and removed by the clinic after it."
            )
        )

    # ------------------------------------------------------------------ logging

    @api.model
    def _log_reads(self, records, how):
        """Log that the current user read ``records`` (clinical records of one model) ``how``:
        one statement, whatever the number of records."""
        patients = records._clinic_patients()
        pairs = [(rid, pid) for rid, pid in patients.items() if pid]
        if not pairs:
            return
        now = fields.Datetime.now()
        params = {
            "now": now,
            "slot": int(now.timestamp()) // (FOLD_MINUTES * 60),
            "uid": self.env.uid,
            "model": records._name,
            "how": how,
            "res_ids": [rid for rid, _pid in pairs],
            "patient_ids": [pid for _rid, pid in pairs],
        }
        # On a read-only cursor (a report URL served by a replica), PostgreSQL refuses the
        # entry and Odoo serves the request again with a read/write cursor: never unlogged.
        self.env.cr.execute(LOG_READS_SQL, params)

    @api.model
    @single_run
    def _cron_purge(self):
        """Remove the entries older than their company's retention period."""
        self.env.cr.execute(
            SQL(
                """
            DELETE FROM clinic_access_log l
                  USING res_company c
                  WHERE l.company_id = c.id
                    AND l.accessed_at < (now() AT TIME ZONE 'UTC')
                        - make_interval(days => GREATEST(
                              COALESCE(c.clinic_access_log_days, %(default)s), %(minimum)s))
            """,
                default=DEFAULT_RETENTION_DAYS,
                minimum=MIN_RETENTION_DAYS,
            )
        )
        return self.env.cr.rowcount
