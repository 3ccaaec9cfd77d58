"""19.0.1.3.0: the clinic's open to-dos were found by their English summary; they are now found
by their activity type. Open to-dos made before are given their type, so that the work they ask
for still closes them."""

from odoo import SUPERUSER_ID, api
from odoo.addons.trigger_point_clinic.models.clinic_reminder_mixin import retype_open_todos


def migrate(cr, version):
    retype_open_todos(api.Environment(cr, SUPERUSER_ID, {}))
