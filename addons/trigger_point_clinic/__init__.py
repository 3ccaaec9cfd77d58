from . import controllers, models, report, wizard
from .models.clinic_signin import apply_signin_defaults


def pre_init_hook(env):
    """The no-double-booking exclusion constraints compare therapist and room ids with GiST
    (a trusted extension: the database owner may create it)."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


def post_init_hook(env):
    """A new clinic starts with the clinic's sign-in policy (see ``apply_signin_defaults``)."""
    apply_signin_defaults(env)
