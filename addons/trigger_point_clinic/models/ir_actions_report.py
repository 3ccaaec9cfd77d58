from odoo import models

from .clinic_audited import audited_call


class IrActionsReport(models.Model):
    """A clinical PDF (or its HTML preview) is a read of the records it prints: logged as a
    report, once, whether printed from a button, a URL or attached to an e-mail."""

    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        with audited_call(self.env, "report"):
            result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
            self._clinic_log_report(report_ref, res_ids)
        return result

    def _render_qweb_html(self, report_ref, docids, data=None):
        with audited_call(self.env, "report"):
            result = super()._render_qweb_html(report_ref, docids, data=data)
            self._clinic_log_report(report_ref, docids)
        return result

    def _clinic_log_report(self, report_ref, res_ids):
        if not res_ids:
            return
        if isinstance(res_ids, int):
            res_ids = [res_ids]
        model = self.env[self._get_report(report_ref).model]
        if hasattr(model, "_clinic_log_read"):
            model._clinic_log_read(model.browse(res_ids), None, "report")
