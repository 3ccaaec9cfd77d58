"""19.0.1.2.0: a clinic upgrading gets the clinic's sign-in policy once (two-factor sign-in for
staff, 12-character passwords, the lock after inactivity); its own choices are kept after."""

from odoo import SUPERUSER_ID, api
from odoo.addons.trigger_point_clinic.models.clinic_signin import apply_signin_defaults


def migrate(cr, version):
    apply_signin_defaults(api.Environment(cr, SUPERUSER_ID, {}))
