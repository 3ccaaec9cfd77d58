"""The patient's side reached from an e-mailed link, no login needed: the intake form, a
questionnaire to fill in, and Today (the home programme) from a reminder. The link's record is
found by its token (``_from_link``); it shows and changes nothing until the browser proved it
is the patient's (``_proven``: the one-time code e-mailed to the address on file, or the
patient's own portal login). The logged-in patient's questionnaires and Today are read here too,
for the patient the portal's guard found (``_patient_of``)."""

import time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .clinic_intake_code import PROOF_HOURS, SCOPES
from .clinic_values import same_token, valid_id


class ClinicOnlineBooking(models.AbstractModel):
    _inherit = "clinic.online.booking"

    # ------------------------------------------------------------------ the link and its proof

    @api.model
    def _from_link(self, model_name, record_id, access_token):
        """The record of ``model_name`` (an intake, a questionnaire response, a home reminder:
        the records a code proves a link of) the link opens, or an empty recordset: a wrong
        token, the token of another record, a missing one, and a link replaced by a newer
        sending all open nothing (nor does a token of characters no token has)."""
        if model_name not in SCOPES:
            raise ValueError(model_name)
        record = self.env[model_name].sudo().browse(valid_id(record_id) or []).exists()
        if not record or not same_token(record.access_token, access_token):
            return record.browse()
        return record

    @api.model
    def _proven(self, record, access_token, user, entry):
        """Whether the browser proved it is the patient's, for ``record`` (opened by
        ``_from_link``) and this link: it is logged in as the patient (their portal account,
        reached with their own password), or its session holds ``entry``, the [proof, time]
        kept when it gave the code e-mailed to the patient, within PROOF_HOURS."""
        partner = record.sudo().patient_id.partner_id
        if partner and not user._is_public() and user.partner_id == partner:
            return True
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            return False
        proof, when = entry
        if not isinstance(when, int) or when + PROOF_HOURS * 3600 < time.time():
            return False
        expected = self.env["clinic.intake.code"]._proof(record, access_token)
        return same_token(expected, proof)

    @api.model
    def _link_company(self, record=None):
        """The clinic a page of the patient's side names: the record's, else the request's
        (a link that opens nothing names the request's, so that it reads the same whether the
        record exists or not)."""
        company = record and record.sudo().patient_id.company_id
        return (company or self.env.company).sudo()

    # ------------------------------------------------------------------ the intake

    @api.model
    def _intake_catalogue(self):
        """(the body regions a patient scores pain on, the medications they tick) of the
        intake form."""
        return (
            self.env["clinic.body.region"].sudo().search([("kind", "=", "region")]),
            self.env["clinic.contraindication"].sudo().search([("kind", "=", "medication")]),
        )

    @api.model
    def _submit_intake(self, intake, values):
        """The patient's answers written to ``intake`` (opened by its link, proven) and the
        intake submitted; refusals are the intake's own UserErrors and ValidationErrors."""
        intake = intake.sudo()
        intake.write(values)
        intake.action_submit()
        return intake

    @api.model
    def _invite(self, intake):
        """From a submitted intake: a portal account for its patient, granted by Odoo's portal
        wizard as the clinic would from the patient's contact (which e-mails the invitation to
        set a password). A patient who has an account already is left as they are."""
        partner = intake.sudo().patient_id.partner_id
        if partner.user_ids:
            return
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .create({"partner_ids": [fields.Command.set(partner.ids)]})
        )
        wizard.user_ids.action_grant_access()

    # ------------------------------------------------------------------ questionnaires

    @api.model
    def _waiting_domain(self, patient):
        return [("patient_id", "=", patient.id), ("state", "=", "draft")]

    @api.model
    def _waiting_questionnaires(self, patient):
        """The questionnaires waiting for ``patient``: the list of /my/questionnaires."""
        return (
            self.env["clinic.questionnaire.response"]
            .sudo()
            .search(self._waiting_domain(patient), order="id")
        )

    @api.model
    def _questionnaire_count(self, patient):
        """The count on the portal's home card: the questionnaires waiting for ``patient``."""
        if not patient:
            return 0
        responses = self.env["clinic.questionnaire.response"].sudo()
        return responses.search_count(self._waiting_domain(patient))

    @api.model
    def _own_response(self, patient, response_id):
        """The response ``response_id`` when it is ``patient``'s, else an empty recordset."""
        responses = self.env["clinic.questionnaire.response"].sudo()
        response = responses.browse(valid_id(response_id) or []).exists()
        if not patient or response.patient_id != patient:
            return responses.browse()
        return response

    @api.model
    def _submit_response(self, response, values):
        """The answers ``values`` ((answer, value) per item) written to ``response`` and the
        response submitted, scored by its own submit method; refusals are its UserErrors and
        ValidationErrors, after which the response reads as stored."""
        response = response.sudo()
        try:
            with self.env.cr.savepoint():
                for answer, value in values:
                    answer.sudo().value = value
                response.action_submit()
        except (UserError, ValidationError):
            response.invalidate_recordset()
            response.answer_ids.invalidate_recordset()
            raise
        return response

    # ------------------------------------------------------------------ Today

    @api.model
    def _today(self, patient, reminder=None):
        """What Today shows ``patient``: the programme, its practices due today (each with how
        many times it was logged today and the body diagram of where), today's daily check if
        answered, and the patient's reminder."""
        programme = self.env["clinic.home.programme"]._for_patient(patient)
        company = patient.company_id or self.env.company
        today = company._clinic_local_date(fields.Datetime.now())
        done = {
            item.id: count
            for item, count in self.env["clinic.home.log"]
            .sudo()
            ._read_group(
                [("patient_id", "=", patient.id), ("day", "=", today)],
                ["homecare_item_id"],
                ["__count"],
            )
        }
        regions = self.env["clinic.body.region"].sudo()
        practices = [
            dict(
                practice,
                done=done.get(practice["item"].id, 0),
                body_map=regions._body_map(
                    practice["region"],
                    {
                        practice["region"].id: [
                            (
                                practice["side"]
                                if practice["side"] in ("left", "right")
                                else "bilateral",
                                None,
                            )
                        ]
                    },
                ),
            )
            for practice in programme["practices"]
        ]
        checked_today = (
            self.env["clinic.home.check"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", patient.id),
                    ("date", ">=", fields.Datetime.subtract(fields.Datetime.now(), days=2)),
                ]
            )
            .filtered(lambda check: company._clinic_local_date(check.date) == today)[:1]
        )
        reminder = reminder or self.env["clinic.home.reminder"].sudo().search(
            [("patient_id", "=", patient.id)], limit=1
        )
        return {
            "programme": programme,
            "practices": practices,
            "checked_today": checked_today,
            "reminder": reminder,
        }

    @api.model
    def _today_practice(self, patient, item_id):
        """The practice of ``patient``'s programme whose home-care item is ``item_id``, or
        None: a practice that is not in the patient's own programme is none."""
        item_id = valid_id(item_id)
        programme = self.env["clinic.home.programme"]._for_patient(patient)
        return next((p for p in programme["practices"] if p["item"].id == item_id), None)

    @api.model
    def _log_practice(self, patient, practice, pain, comment):
        """One tap on Today: ``practice`` done, with the pain felt there (the log's rules)."""
        return self.env["clinic.home.log"]._log_practice(patient, practice, pain, comment)

    @api.model
    def _answer_daily_check(self, patient, answers):
        """Today's daily check of ``patient``: ``answers`` maps each daily question to yes."""
        return self.env["clinic.home.check"]._answer(patient, answers)

    @api.model
    def _choose_reminders(self, patient, reminder, email, times):
        """``patient``'s reminders (``reminder``, made on their first choice and kept even
        when the choice is refused): by e-mail or not, at ``times``."""
        reminder = reminder or self.env["clinic.home.reminder"]._ensure_for(patient)
        with self.env.cr.savepoint():
            reminder._choose(email, times)
        return reminder
