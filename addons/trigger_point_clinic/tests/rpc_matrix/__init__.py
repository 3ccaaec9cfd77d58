"""The JSON-RPC gate matrix as data: one module per model, each with ``rows(case)``, the
list of ``(model, method, build, expectations)`` that ``test_rpc_gate`` runs for every role.

``build(role)`` makes fresh records as the clinic would and returns the call's
``(args, kwargs, context)``; ``expectations`` maps each role to ``True`` (allowed) or the regex
of its refusal (``expect``). A refusal's message is the first rule that stops the call: the
clinic's own rules run before Odoo checks the access rights, so some roles without rights meet
a clinic rule first. A reviewer reads one model's rights in one module; ``modules()`` finds
them (and the rows of features kept in ``tests/rpc_rows_*.py``)."""

import importlib
import pkgutil
from pathlib import Path

ROLES = ("therapist", "front_desk", "manager", "administrator", "portal", "public")
# Odoo's own refusals: the access rights (model) and the record rules (records).
ACCESS = r"not allowed to|doesn't have '\w+' access|top-secret|enough rights"
GATE = r"cannot be written directly"
FROZEN = r"does not change"
ONLY_THERAPIST = r"only a therapist|the session's therapist, or a manager"
OUTSIDERS = {"portal": ACCESS, "public": r"Session expired|SessionExpired"}
ALL_INTERNAL = dict.fromkeys(("therapist", "front_desk", "manager", "administrator"), True)
STAFF = {"front_desk": True, "manager": True, "administrator": True}
CLINICAL = {"therapist": True, "manager": True, "administrator": True}
MANAGERS = {"manager": True, "administrator": True}


def expect(allowed=None, default=ACCESS, **refused):
    """{role: True (allowed) or the regex of the refusal}: ``allowed`` roles succeed, the
    roles named in ``refused`` fail with their message, other internal roles with
    ``default``, and outsiders (portal, public) are always refused."""
    result = dict.fromkeys(ROLES[:4], default)
    result.update(allowed or {})
    result.update(refused)
    result.update(OUTSIDERS)
    return result


def modules():
    """Every module of rows, found rather than listed (a new file cannot be forgotten): one per
    model in this package, then the features' ``tests/rpc_rows_*.py``."""
    tests = Path(__file__).parent.parent
    names = [
        f"{__name__}.{info.name}" for info in pkgutil.iter_modules([str(tests / "rpc_matrix")])
    ]
    names += [
        f"{__package__.rpartition('.')[0]}.{path.stem}" for path in tests.glob("rpc_rows_*.py")
    ]
    return [importlib.import_module(name) for name in sorted(names)]
