from odoo import fields, models


class ClinicReminderMixin(models.AbstractModel):
    """To-do activities that bring waiting clinic work to the person who does it, once."""

    _name = "clinic.reminder.mixin"
    _inherit = ["mail.activity.mixin"]
    _description = "Clinic Reminders"

    def _clinic_remind(self, user, summary, note="", deadline=None):
        """Give ``user`` a to-do on each record, unless an open one with the same summary is
        there already: a daily check run twice reminds once."""
        if not user or user.share:
            return self.env["mail.activity"]
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.env["mail.activity"]
        for record in self.sudo():
            if record.activity_ids.filtered(lambda a: a.summary == summary and a.user_id == user):
                continue
            activities |= record.activity_schedule(
                activity_type_id=todo.id,
                summary=summary,
                note=note,
                user_id=user.id,
                date_deadline=deadline or fields.Date.context_today(self),
            )
        return activities

    def _clinic_reminded(self, summary):
        """Mark the open to-dos with ``summary`` done: the work they asked for is done."""
        self.sudo().activity_ids.filtered(lambda a: a.summary == summary).action_feedback()
