"""Every value a caller sends to a clinic record, checked against its field before anything
uses it: deny by default.

Odoo converts what ``create`` and ``write`` receive as best it can, and a value it cannot
convert, or one PostgreSQL cannot store, fails deep down as a ``ValueError``, a ``TypeError``,
an ``OverflowError`` or a database error: a server error for the caller, naming no field. Here
each value is held against its field's type, and anything not plainly a value of that type is
refused with a ``ValidationError`` naming the field:

- integers within PostgreSQL's ``integer`` (-2³¹ to 2³¹-1); floats finite, and within the digits
  of their column;
- record ids positive, below 2³¹, of records that exist (many2one, and the ids of x2many
  commands, whose nested values are checked the same way against their model);
- dates and times between 1900-01-01 and 2199-12-31;
- a selection among its choices; text that is text (no NUL, no lone surrogate, not longer than
  the clinic writes);
- a field name the model has.

The check runs in the ORM for every model whose name starts with ``clinic.`` (and for the
``clinic_`` settings of ``res.company`` and ``res.config.settings``), and before any model code
for the JSON-RPC ``create``, ``write`` and ``web_save`` of those models (controllers/rpc_gate.py).
A new clinic model or field is covered without naming it anywhere.
"""

import base64
import binascii
import hmac
import math
from collections.abc import Mapping
from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import ValidationError
from odoo.orm.identifiers import NewId

from .clinic_dates import FIRST_DATE as FIRST_DAY
from .clinic_dates import LAST_DATE as LAST_DAY
from .clinic_dates import check_date
from .clinic_workflow import TEXT_LIMITS, check_text

MAX_ID = 2**31 - 1
MIN_INT = -(2**31)
# Floats without digits of their own are stored as double precision, but the clinic computes
# with them (prices, fees, hours): nothing it counts comes near this.
MAX_FLOAT = 1e12
X2MANY_COMMANDS = {0, 1, 2, 3, 4, 5, 6}


def in_scope(model):
    """The fields of ``model`` whose values are checked: all of a ``clinic.*`` model, the
    ``clinic_`` settings of the company and of the settings form; None when out of scope."""
    if model._name.startswith("clinic."):
        return lambda name: True
    if model._name in ("res.company", "res.config.settings"):
        return lambda name: name.startswith("clinic_")
    return None


def valid_id(value):
    """``value`` as a record id a route may browse (a positive integer below 2³¹), else None:
    for ids that reach a controller as text or from a URL."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 10:
            return None
        value = int(value)
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    return None


def same_token(expected, given):
    """Whether the token ``given`` (whatever a client sent) is ``expected``, compared in
    constant time as UTF-8 bytes: a non-ASCII token is simply a wrong one."""
    if not expected or not isinstance(given, str) or not given:
        return False
    try:
        return hmac.compare_digest(
            str(expected).encode("utf-8"), given.encode("utf-8", "surrogatepass")
        )
    except (TypeError, ValueError):
        return False


def in_calendar(value):
    """``value`` (a date or datetime) within FIRST_DAY and LAST_DAY."""
    day = value.date() if isinstance(value, datetime) else value
    return FIRST_DAY <= day <= LAST_DAY


class ValueChecker:
    """Checks the values sent to one model; ``_refuse`` names the field and the fix."""

    def __init__(self, model, check_exists=False):
        self.model = model
        self.env = model.env
        # Whether ids must name existing records: a caller's values (JSON-RPC) are checked
        # against the database; the ORM's own code, whose ids come from records, is not.
        self.check_exists = check_exists

    # ------------------------------------------------------------------ entry points

    def check_vals_list(self, vals_list):
        if isinstance(vals_list, Mapping):
            vals_list = [vals_list]
        if not isinstance(vals_list, (list, tuple)):
            self._refuse_shape()
        for vals in vals_list:
            self.check_vals(vals)

    def check_vals(self, vals, scope=None):
        if not isinstance(vals, Mapping):
            self._refuse_shape()
        scope = scope or in_scope(self.model) or (lambda name: True)
        for name, value in vals.items():
            if not isinstance(name, str) or name not in self.model._fields:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no field %(name)s: it cannot be written.",
                        model=self.model._description,
                        name=repr(name)[:80],
                    )
                )
            if scope(name):
                self.check_value(self.model._fields[name], value)

    def check_ids(self, ids):
        """The ids of the records a caller names (``write``'s first argument)."""
        if isinstance(ids, (int, str)) and not isinstance(ids, bool):
            ids = [ids]
        if not isinstance(ids, (list, tuple)):
            self._refuse_ids(ids)
        for record_id in ids:
            if not isinstance(record_id, int) or isinstance(record_id, bool):
                self._refuse_ids(record_id)
            if not 0 < record_id <= MAX_ID:
                self._refuse_ids(record_id)

    # ------------------------------------------------------------------ one value

    def check_value(self, field, value):
        kind = field.type
        method = getattr(self, f"_check_{kind}", None)
        if method is None:
            # A kind of field no clinic model had when this was written: refused until it is
            # checked here (deny by default).
            self._refuse(field, value, self.env._("this kind of field cannot be written"))
        method(field, value)

    def _label(self, field):
        return field.get_description(self.env)["string"]

    def _refuse(self, field, value, why):
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        raise ValidationError(
            self.env._(
                "%(field)s (%(model)s) cannot be %(value)s: %(why)s.",
                field=self._label(field),
                model=self.model._description,
                value=shown,
                why=why,
            )
        )

    def _refuse_shape(self):
        raise ValidationError(
            self.env._(
                "The values of a %(model)s must be given as field names and values.",
                model=self.model._description,
            )
        )

    def _refuse_ids(self, value):
        shown = repr(value)[:60]
        raise ValidationError(
            self.env._(
                "%(value)s is not the id of a %(model)s: ids are whole numbers from 1 to %(max)s.",
                value=shown,
                model=self.model._description,
                max=MAX_ID,
            )
        )

    @staticmethod
    def _empty(value):
        return value is None or value is False

    # ------------------------------------------------------------------ per kind

    def _check_boolean(self, field, value):
        if not isinstance(value, (bool, int)) and value is not None:
            self._refuse(field, value, self.env._("enter true or false"))

    def _check_integer(self, field, value):
        if self._empty(value):
            return
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self._refuse(field, value, self.env._("enter a whole number"))
        if not MIN_INT <= value <= MAX_ID:
            self._refuse(
                field,
                value,
                self.env._(
                    "enter a whole number between %(min)s and %(max)s", min=MIN_INT, max=MAX_ID
                ),
            )

    def _check_float(self, field, value):
        if self._empty(value):
            return
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self._refuse(field, value, self.env._("enter a number"))
        if isinstance(value, float) and not math.isfinite(value):
            self._refuse(field, value, self.env._("enter a finite number"))
        limit = MAX_FLOAT
        digits = field.get_digits(self.env) if hasattr(field, "get_digits") else None
        if digits and digits[0]:
            limit = min(limit, 10 ** (digits[0] - digits[1]))
        if not -limit < value < limit:
            self._refuse(
                field,
                value,
                self.env._("enter a number between -%(limit)s and %(limit)s", limit=limit),
            )

    _check_monetary = _check_float

    def _check_char(self, field, value):
        if self._empty(value):
            return
        if not isinstance(value, str):
            self._refuse(field, value, self.env._("enter text"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self._refuse(field, value, self.env._("it holds a character that cannot be stored"))
        if field.type in TEXT_LIMITS:
            check_text(self.env, field, value)

    _check_text = _check_char
    _check_html = _check_char

    def _check_selection(self, field, value):
        if self._empty(value):
            return
        choices = [key for key, _label in field._description_selection(self.env)]
        if not isinstance(value, (str, int)) or isinstance(value, bool) or value not in choices:
            self._refuse(
                field,
                value,
                self.env._("choose one of %(choices)s", choices=", ".join(map(str, choices))),
            )

    def _check_date(self, field, value):
        if self._empty(value):
            return
        convert = fields.Datetime.to_datetime if field.type == "datetime" else fields.Date.to_date
        example = "2026-03-31 14:30:00" if field.type == "datetime" else "2026-03-31"
        if not isinstance(value, (str, date)):
            self._refuse(
                field, value, self.env._("enter a date such as %(example)s", example=example)
            )
        try:
            parsed = convert(value)
        except (TypeError, ValueError, OverflowError):
            self._refuse(
                field, value, self.env._("enter a date such as %(example)s", example=example)
            )
        # The clinic's one message for a date out of its calendar (clinic_dates.py).
        day = parsed.date() if isinstance(parsed, datetime) else parsed
        self.model._clinic_check_date(field, day)
        check_date(self.env, self._label(field), day)

    _check_datetime = _check_date

    def _check_binary(self, field, value):
        if self._empty(value):
            return
        try:
            base64.b64decode(value, validate=True)
        except (TypeError, ValueError, binascii.Error):
            self._refuse(field, value, self.env._("send the file's content in base64"))

    _check_image = _check_binary

    def _comodel(self, field):
        return self.env[field.comodel_name]

    def _check_record_id(self, field, value, comodel):
        """One id of ``comodel`` named by a caller: an existing record."""
        if isinstance(value, (models.BaseModel, NewId)):
            return
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
            self._refuse(
                field,
                value,
                self.env._(
                    "give the id of a %(model)s (1 to %(max)s)",
                    model=comodel._description,
                    max=MAX_ID,
                ),
            )
        if self.check_exists and not comodel.sudo().browse(value).exists():
            self._refuse(
                field,
                value,
                self.env._("there is no %(model)s with this id", model=comodel._description),
            )

    def _check_many2one(self, field, value):
        if self._empty(value):
            return
        if isinstance(value, tuple) and value:
            # (id, name), as Odoo's own code passes a many2one on (a client sends the id).
            value = value[0]
        self._check_record_id(field, value, self._comodel(field))

    def _check_many2one_reference(self, field, value):
        self._check_integer(field, value)

    def _check_reference(self, field, value):
        if self._empty(value) or isinstance(value, models.BaseModel):
            return
        model_name, _sep, record_id = (
            value.partition(",") if isinstance(value, str) else ("", "", "")
        )
        if model_name not in self.env or valid_id(record_id) is None:
            self._refuse(field, value, self.env._("give a record as model,id"))
        self._check_record_id(field, int(record_id), self.env[model_name])

    def _check_one2many(self, field, value):
        if self._empty(value) or isinstance(value, models.BaseModel):
            return
        comodel = self._comodel(field)
        if not isinstance(value, (list, tuple)):
            self._refuse(field, value, self.env._("give a list of commands"))
        for command in value:
            if isinstance(command, int) and not isinstance(command, bool):
                # A bare id: the x2many becomes these records (as Command.set).
                self._check_record_id(field, command, comodel)
                continue
            if isinstance(command, models.BaseModel):
                continue
            if not isinstance(command, (list, tuple)) or not command:
                self._refuse(field, command, self.env._("give a list of commands"))
            code = command[0]
            if not isinstance(code, int) or isinstance(code, bool) or code not in X2MANY_COMMANDS:
                self._refuse(field, command, self.env._("use commands 0 to 6"))
            needs = {0: 3, 1: 3, 2: 2, 3: 2, 4: 2, 5: 1, 6: 3}[code]
            if len(command) < needs:
                self._refuse(field, command, self.env._("this command needs %(n)s items", n=needs))
            if code in (1, 2, 3, 4):
                self._check_record_id(field, command[1], comodel)
            if code in (0, 1):
                ValueChecker(comodel, self.check_exists).check_vals(command[2])
            if code == 6:
                ids = command[2]
                if not isinstance(ids, (list, tuple)):
                    self._refuse(field, command, self.env._("give the list of ids to set"))
                for record_id in ids:
                    self._check_record_id(field, record_id, comodel)

    _check_many2many = _check_one2many

    def _check_json(self, field, value):
        if not (self._empty(value) or isinstance(value, (dict, list, str, int, float))):
            self._refuse(field, value, self.env._("give JSON"))

    def _check_properties(self, field, value):
        if not (self._empty(value) or isinstance(value, (dict, list))):
            self._refuse(field, value, self.env._("give the properties as a list or a mapping"))

    def _check_properties_definition(self, field, value):
        if not (self._empty(value) or isinstance(value, list)):
            self._refuse(field, value, self.env._("give the definitions as a list"))


def check_create(model, vals_list, check_exists=False):
    """The values of a ``create`` of ``model`` (a dict or a list of dicts)."""
    ValueChecker(model, check_exists).check_vals_list(vals_list)


def check_write(model, vals, ids=None, check_exists=False):
    """The values of a ``write`` of ``model``, and the ids a caller named (``ids``)."""
    checker = ValueChecker(model, check_exists)
    if ids is not None:
        checker.check_ids(ids)
    checker.check_vals(vals)
