"""JSON-RPC ``create``, ``write`` and ``web_save`` of a clinic model: the caller's access and
every value are checked before any model code runs (models/clinic_values.py), so that a value
of the wrong kind is answered with a message naming its field, never with a server error from
the code that would have used it."""

from odoo import http
from odoo.addons.web.controllers.dataset import DataSet
from odoo.http import request

from ..models.clinic_values import check_create, check_write, in_scope

CHECKED_METHODS = ("create", "write", "web_save")


class ClinicDataSet(DataSet):
    @http.route()
    def call_kw(self, model, method, args, kwargs, path=None):
        self._clinic_check_call(model, method, args, kwargs)
        return super().call_kw(model, method, args, kwargs, path=path)

    def _clinic_check_call(self, model, method, args, kwargs):
        if method not in CHECKED_METHODS or model not in request.env:
            return
        records = request.env[model]
        if not in_scope(records):
            return
        args = list(args or [])
        kwargs = kwargs if isinstance(kwargs, dict) else {}
        if method == "create":
            records.check_access("create")
            check_create(records, args[0] if args else kwargs.get("vals_list"), check_exists=True)
            return
        ids = args[0] if args else kwargs.get("ids", [])
        vals = args[1] if len(args) > 1 else kwargs.get("vals", {})
        if method == "web_save" and not ids:
            records.check_access("create")
            check_create(records, vals, check_exists=True)
            return
        check_write(records, {}, ids=ids)
        records.browse(ids).check_access("write")
        check_write(records, vals, check_exists=True)
