from . import controllers, models, report, wizard


def pre_init_hook(env):
    """The no-double-booking exclusion constraints compare therapist and room ids with GiST
    (a trusted extension: the database owner may create it)."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
