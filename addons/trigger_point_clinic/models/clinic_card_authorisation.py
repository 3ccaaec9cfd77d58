from odoo import api, fields, models


class ClinicCardAuthorisation(models.Model):
    """A patient's authorisation to charge a card they saved: who accepted which text, when.
    Withdrawing it archives the token (Odoo's ``payment.token``): nothing is charged to it any
    more. Made and withdrawn by the patient on the portal only; managers read it."""

    _name = "clinic.card.authorisation"
    _description = "Saved Card Authorisation"
    _order = "accepted_at desc, id desc"
    _check_company_auto = True

    patient_id = fields.Many2one(
        comodel_name="clinic.patient",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="patient_id.company_id", store=True)
    token_id = fields.Many2one(
        comodel_name="payment.token",
        string="Saved Card",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    card_name = fields.Char(string="Card", readonly=True, help="The card as the patient sees it.")
    user_id = fields.Many2one(
        comodel_name="res.users", string="Accepted By", required=True, readonly=True
    )
    accepted_at = fields.Datetime(string="Accepted On", required=True, readonly=True)
    text = fields.Text(string="Text Accepted", required=True, readonly=True)
    withdrawn_at = fields.Datetime(string="Withdrawn On", readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    @api.model
    def _clinic_authorise(self, patient, token, text):
        """Record that the current (portal) user authorised ``text`` for ``token``, saved by
        them: the caller checked that the patient and the token are theirs."""
        return self.sudo().create(
            {
                "patient_id": patient.id,
                "token_id": token.id,
                "card_name": token.sudo().display_name,
                "user_id": self.env.uid,
                "accepted_at": fields.Datetime.now(),
                "text": text,
            }
        )

    def _clinic_withdraw(self):
        """The patient removes the card: the token is archived, the authorisation ends."""
        self.sudo().token_id.active = False
        self.sudo().write({"active": False, "withdrawn_at": fields.Datetime.now()})
