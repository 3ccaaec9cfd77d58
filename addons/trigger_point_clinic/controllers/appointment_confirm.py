"""The reminder's confirm link: the patient opens it (no login), sees the appointment and
confirms it with one button (a POST, so that a mail scanner opening links confirms nothing)."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.clinic_values import valid_id


class AppointmentConfirm(http.Controller):
    def _session_from_token(self, session_id, token):
        """The session the token opens, or an empty recordset: a wrong token, the token of
        another session, and the link of a session moved since all open nothing."""
        session = request.env["clinic.session"].sudo().browse(valid_id(session_id) or []).exists()
        if not session._check_appointment_token(token):
            return session.browse()
        # The page speaks the patient's language, as the reminder did.
        return session.with_context(lang=session.patient_id.partner_id.lang or request.env.lang)

    def _render(self, session, token, status=200, error=None, confirmed_now=False):
        """The appointment as its reminder told it."""
        return request.render(
            "trigger_point_clinic.appointment_confirm_page",
            {
                "session": session,
                "company": session.company_id,
                "token": token,
                "reminder": session._appointment_reminder_values(),
                "error": error,
                "confirmed_now": confirmed_now,
            },
            status=status,
        )

    def _link_not_valid(self):
        """A 404 that names the company of the request, never the session's: it reads the same
        whether the session exists or not."""
        return request.render(
            "trigger_point_clinic.appointment_link_not_valid",
            {"company": request.env.company.sudo()},
            status=404,
        )

    @http.route(
        "/clinic/appointment/<int:session_id>/confirm",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def appointment_page(self, session_id, token=None, **kwargs):
        session = self._session_from_token(session_id, token)
        if not session:
            return self._link_not_valid()
        return self._render(session, token)

    @http.route(
        "/clinic/appointment/<int:session_id>/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def appointment_confirm(self, session_id, token=None, **post):
        session = self._session_from_token(session_id, token)
        if not session:
            return self._link_not_valid()
        try:
            with request.env.cr.savepoint():
                confirmed = session._confirm_by_patient()
        except UserError as exc:
            return self._render(session, token, status=400, error=exc.args[0])
        return self._render(session, token, confirmed_now=confirmed)
