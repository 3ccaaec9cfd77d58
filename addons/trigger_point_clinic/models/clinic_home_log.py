from datetime import datetime, time, timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger


class ClinicHomeLog(models.Model):
    """A practice of the home programme the patient logged as done, with the pain felt in its
    region: a clinical record. Made only by the clinic's own code on the patient's behalf
    (``_log_practice``); no staff role has a right to create, change or delete one, the front
    desk none at all. Frozen once the clinic's day it was logged on has passed."""

    _name = "clinic.home.log"
    _description = "Home Practice Log"
    _inherit = ["clinic.patient.record", "clinic.audited.mixin", "clinic.frozen.mixin"]
    _order = "date desc, id desc"
    _rec_name = "region_id"
    # The row itself is frozen from the start of the clinic's next day (naive UTC).
    _frozen_sql = "date_frozen <= (now() AT TIME ZONE 'UTC')"

    # Computed before the row is inserted: a log of a past day is frozen from its insertion.
    company_id = fields.Many2one(
        related="patient_id.company_id", store=True, index=True, precompute=True
    )
    homecare_item_id = fields.Many2one(
        comodel_name="clinic.homecare.item",
        string="Practice",
        required=True,
        index=True,
        ondelete="restrict",
    )
    region_id = fields.Many2one(
        comodel_name="clinic.body.region", string="Region or Muscle", required=True
    )
    date = fields.Datetime(string="Done At", required=True, index=True)
    minute = fields.Datetime(
        required=True, help="When it was done, to the minute: two taps in a minute count once."
    )
    day = fields.Date(required=True, help="The clinic's local day it was done on.")
    date_frozen = fields.Datetime(required=True, string="Frozen From")
    pain = fields.Integer(string="Pain (0-10)", required=True)
    comment = fields.Text(string="Note")

    _practice_minute_uniq = models.UniqueIndex(
        "(homecare_item_id, minute)", "This practice is already logged for this minute."
    )
    _patient_day_idx = models.Index("(patient_id, day)")
    _pain_range = models.Constraint(
        "CHECK(pain BETWEEN 0 AND 10)", "Pain is a number from 0 (none) to 10 (worst)."
    )

    def _clinic_frozen(self):
        now = fields.Datetime.now()
        return self.sudo().filtered(lambda log: log.date_frozen <= now).with_env(self.env)

    @api.private
    def _log_practice(self, patient, practice, pain, comment="", when=None):
        """Log ``practice`` (a dict of ``clinic.home.programme._for_patient``) done by
        ``patient`` at ``when`` (naive UTC, default now) with ``pain`` 0-10. A second log of
        the same practice in the same minute is the first one (a double tap)."""
        if isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10:
            raise ValidationError(
                self.env._("Pain is %(pain)s: enter a whole number from 0 to 10.", pain=pain)
            )
        comment = (comment or "").strip()
        if len(comment) > 1000:
            raise ValidationError(
                self.env._("The note is too long: keep it under 1000 characters.")
            )
        when = (when or fields.Datetime.now()).replace(microsecond=0)
        minute = when.replace(second=0)
        company = patient.company_id or self.env.company
        tz = company._clinic_tz()
        day = company._clinic_local_date(when)
        next_day = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
        item = practice["item"]
        logs = self.sudo()
        existing = logs.search([("homecare_item_id", "=", item.id), ("minute", "=", minute)])
        if existing:
            return existing
        values = {
            "patient_id": patient.id,
            "homecare_item_id": item.id,
            "region_id": practice["region"].id,
            "date": when,
            "minute": minute,
            "day": day,
            "date_frozen": next_day.astimezone(pytz.utc).replace(tzinfo=None),
            "pain": pain,
            "comment": comment or False,
        }
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return logs.create(values)
        except psycopg2.errors.UniqueViolation:
            return logs.search([("homecare_item_id", "=", item.id), ("minute", "=", minute)])
