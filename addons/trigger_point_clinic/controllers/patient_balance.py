"""The patient's balance and statement on the portal: their own, found from the logged-in
user; bad dates answer 400 with the message."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .patient_guard import patient_route
from .patient_portal import ClinicPatientPortal

STATEMENT = "trigger_point_clinic.report_clinic_statement"


class ClinicPatientBalancePortal(ClinicPatientPortal):
    @http.route(
        "/my/clinic/balance",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
        website=True,
    )
    @patient_route
    def clinic_balance(self, patient, error=None, **kwargs):
        return self._balance_page(patient)

    def _balance_page(self, patient, error=None, status=200):
        return self._render(
            "trigger_point_clinic.portal_clinic_balance",
            self._values(
                patient, "clinic_balance", balance=patient.sudo()._clinic_balance(), error=error
            ),
            status=status,
        )

    @http.route(
        "/my/clinic/statement",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    @patient_route
    def clinic_statement(self, patient, date_from=None, date_to=None, **kwargs):
        """The patient's own statement as a PDF (HTML when the server cannot make PDFs)."""
        report = request.env["ir.actions.report"].sudo()
        data = {"date_from": date_from or None, "date_to": date_to or None}
        try:
            request.env["report.trigger_point_clinic.report_clinic_statement"]._period(data)
        except UserError as exc:
            return self._balance_page(patient, error=exc.args[0], status=400)
        if report.get_wkhtmltopdf_state() == "ok":
            pdf = report._render_qweb_pdf(STATEMENT, patient.ids, data=data)[0]
            headers = [("Content-Type", "application/pdf"), ("Content-Length", len(pdf))]
            return request.make_response(pdf, headers=headers)
        html = report._render_qweb_html(STATEMENT, patient.ids, data=data)[0]
        return request.make_response(html)
