"""19.0.1.1.0: every existing patient gets their screening record, computed from their intake."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    patients = env["clinic.patient"].with_context(active_test=False).search([])
    env["clinic.patient.screening"]._ensure_for(patients)
