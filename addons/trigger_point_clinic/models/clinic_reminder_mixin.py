from odoo import fields, models

# What the to-dos of each type were called before they had a type of their own (19.0.1.3.0).
SUMMARY_BEFORE = {
    "trigger_point_clinic.mail_activity_type_review_intake": "Review the intake",
    "trigger_point_clinic.mail_activity_type_sign_note": "Sign the treatment note",
    "trigger_point_clinic.mail_activity_type_chain_broken": "Clinical records failed verification",
    "trigger_point_clinic.mail_activity_type_renew_clearance": "Renew the clearance",
    "trigger_point_clinic.mail_activity_type_review_grant": "Review an emergency access",
}


def retype_open_todos(env):
    """Give the open to-dos made under their English summary their activity type."""
    todo = env.ref("mail.mail_activity_data_todo")
    for xmlid, summary in SUMMARY_BEFORE.items():
        env["mail.activity"].search(
            [("activity_type_id", "=", todo.id), ("summary", "=", summary)]
        ).write({"activity_type_id": env.ref(xmlid).id})


class ClinicReminderMixin(models.AbstractModel):
    """To-do activities that bring waiting clinic work to the person who does it, once.

    A reminder is named by the xml id of its activity type (``data/clinic_activity_data.xml``):
    it is found again by that type, never by its text, which is written in the language of the
    person reminded."""

    _name = "clinic.reminder.mixin"
    _inherit = ["mail.activity.mixin"]
    _description = "Clinic Reminders"

    def _clinic_remind(self, user, activity_type, note="", deadline=None):
        """Give ``user`` a to-do of ``activity_type`` (an xml id) on each record, unless an open
        one of that type is there already for them: a daily check run twice reminds once."""
        if not user or user.share:
            return self.env["mail.activity"]
        kind = self.env.ref(activity_type)
        summary = kind.with_context(lang=user.lang or self.env.lang).name
        activities = self.env["mail.activity"]
        for record in self.sudo():
            if record.activity_ids.filtered(
                lambda a: a.activity_type_id == kind and a.user_id == user
            ):
                continue
            activities |= record.activity_schedule(
                activity_type_id=kind.id,
                summary=summary,
                note=note,
                user_id=user.id,
                date_deadline=deadline or fields.Date.context_today(self),
            )
        return activities

    def _clinic_reminded(self, activity_type):
        """Mark the open to-dos of ``activity_type`` (an xml id) done: the work they asked
        for is done."""
        kind = self.env.ref(activity_type)
        self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == kind).action_feedback()
