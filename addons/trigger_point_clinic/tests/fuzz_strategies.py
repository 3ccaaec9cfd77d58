"""The inputs ``test_fuzz_inputs`` sends: hypothesis strategies of the values a client can
send (JSON-RPC values, form text, ids in URLs), the boundaries that broke something once, and
reproducible settings."""

from datetime import date, datetime

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from odoo import fields

# Most inputs of a page go with the right record and token, so that they reach the form.
MOSTLY_RIGHT = st.sampled_from((True, True, True, False))


def fuzz_settings(examples):
    """Reproducible runs of ``examples`` inputs: no shrinking (each input is counted and the
    failures are listed at the end), no example database, no deadline (HTTP takes its time)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )


# Values that broke something once, or sit on a boundary.
SPECIAL = [
    None,
    False,
    True,
    0,
    -1,
    1,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**63,
    10**30,
    0.5,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e300,
    "",
    " ",
    "é",
    "éé",
    "\u0663",
    "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661",
    "\x00",
    "a\x00b",
    "\ud800",
    "x" * 600,
    "x" * 20_000,
    "0001-01-01",
    "0001-01-01 00:00:00",
    "9999-12-31",
    "9999-12-31 23:59:59",
    "1899-12-31",
    "2200-01-01 00:00:00",
    "2026-02-30",
    "2027-03-01 10:00:00",
    "nan",
    "abc",
    "1",
    "-5",
    [],
    [1],
    [2**31],
    ["a"],
    [[6, 0, [2**31]]],
    [[6, 0, "abc"]],
    [[4, 2**31]],
    [[4, "x"]],
    [[0, 0, {"name": "\x00"}]],
    [[0, 0, {"no_such_field": 1}]],
    [[0, 0, "not values"]],
    [[1, 1, {"name": float("inf")}]],
    [[9, 1]],
    [[2]],
    {"a": 1},
    [1, "x"],
]

JSON_VALUES = st.one_of(
    st.sampled_from(SPECIAL),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=30),
    st.booleans(),
    st.lists(st.integers(min_value=-3, max_value=2**33), max_size=3),
    st.dates(min_value=date(1, 1, 1)).map(str),
    st.datetimes(min_value=datetime(1, 1, 1)).map(fields.Datetime.to_string),
)
# Text a browser can put in a URL or a form (no lone surrogates).
FORM_TEXT = st.one_of(
    st.sampled_from([s for s in SPECIAL if isinstance(s, str) and s != "\ud800"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1)).map(str),
    st.datetimes(min_value=datetime(1, 1, 1)).map(fields.Datetime.to_string),
)
URL_IDS = st.one_of(
    st.integers(min_value=0, max_value=2**70), st.sampled_from([0, 1, 2**31 - 1, 2**31])
)


def jsonable(value):
    """A value of ``copy_data`` as a client sends it."""
    if isinstance(value, datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, date):
        return fields.Date.to_string(value)
    if isinstance(value, bytes):
        return value.decode()
    return value
