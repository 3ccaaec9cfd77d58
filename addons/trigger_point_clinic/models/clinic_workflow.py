"""The one gate of the clinic's records.

Every logged-in user reaches ``create`` and ``write`` through JSON-RPC with any values and any
context, so the rules of a workflow live here and not behind its buttons:

- the fields a workflow sets (states, signers, dates, hashes, links, computed verdicts) are
  refused when a caller writes them; the workflow methods write them inside ``_workflow()``, a
  Python context variable that no client can set (a context key could be sent by anyone);
- a change of state follows the model's transition table, which also says which role may make
  each move (Odoo core's ``hr.leave._check_approval_update`` has the same shape);
- text that PostgreSQL cannot store (a NUL character) or that is far longer than any clinic
  writes is refused with the field's name, instead of failing in the database.
"""

import contextvars
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

# The models whose workflow is writing right now in this thread, and the private flags it set
# (e.g. that it already checked the schedule). Never derived from the request.
_WORKFLOW_SCOPE = contextvars.ContextVar("clinic_workflow_scope", default=frozenset())

TEXT_LIMITS = {"char": 500, "text": 10_000, "html": 50_000}
# The clinic's roles (security/clinic_security.xml), named once for the whole addon.
THERAPIST = "trigger_point_clinic.group_clinic_therapist"
FRONT_DESK = "trigger_point_clinic.group_clinic_front_desk"
MANAGER = "trigger_point_clinic.group_clinic_manager"
ADMINISTRATOR = "trigger_point_clinic.group_clinic_administrator"


def check_text(env, field, value):
    """Refuse text a clinic would never mean to store: a NUL character (PostgreSQL cannot
    store it) or more characters than ``TEXT_LIMITS`` allows for the kind of field."""
    if not isinstance(value, str):
        return
    label = field.get_description(env)["string"]
    if "\x00" in value:
        raise ValidationError(
            env._(
                "%(field)s contains a NUL character, which cannot be stored: remove it and save "
                "again.",
                field=label,
            )
        )
    limit = TEXT_LIMITS[field.type]
    if len(value) > limit:
        raise ValidationError(
            env._(
                "%(field)s is %(length)s characters long: shorten it to %(limit)s characters at "
                "most.",
                field=label,
                length=len(value),
                limit=limit,
            )
        )


def selection_label(model, field, value):
    """The label of ``value`` of the selection ``field`` of ``model``, in the user's language
    (what a message names, never the stored key nor the untranslated English)."""
    return dict(model._fields[field]._description_selection(model.env)).get(value, value)


def check_access_first(records, operation):
    """Odoo's access rights and record rules for ``operation`` on ``records``, checked before
    any clinic rule reads them: a caller without access learns nothing from a clinic message.
    For ``create``, the model's access right (record rules apply once the record exists)."""
    (records.browse() if operation == "create" else records).check_access(operation)


def in_workflow(name):
    """True while the workflow of model ``name`` (or private flag ``name``) is writing."""
    return name in _WORKFLOW_SCOPE.get()


@contextmanager
def workflow(*names):
    """Let the code inside write the workflow fields of the models ``names`` (and set the
    private flags among ``names``), for this thread only."""
    token = _WORKFLOW_SCOPE.set(_WORKFLOW_SCOPE.get() | set(names))
    try:
        yield
    finally:
        _WORKFLOW_SCOPE.reset(token)


class ClinicWorkflowMixin(models.AbstractModel):
    """The gate. A model split by concern across files declares, in each file, the workflow
    fields and transitions of that concern: the gate reads them from every class of the model
    (``_get_workflow_fields``, ``_get_workflow_transitions``), so no file lists another's.

    ``create`` and ``write`` pass the gate once per call, here: the model's own rules of a
    caller's values go in ``_check_create_values`` and ``_check_write_values`` (each concern
    adds its own and calls ``super()``), never in a ``create`` or ``write`` that would check
    the caller again."""

    _name = "clinic.workflow.mixin"
    _description = "Clinic Workflow Gate"

    # Fields only the workflow writes; a caller's create or write naming one is refused. Each
    # class of the model declares its own: the gate takes the union.
    _workflow_fields = ()
    # {(from state, to state): group xmlid or None}: the moves the workflow may make, and the
    # role that may make each (None: whoever may write the record). Each class of the model
    # declares its own moves: the gate merges them.
    _workflow_transitions = {}

    @api.model_create_multi
    def create(self, vals_list):
        check_access_first(self, "create")
        protected = self._get_workflow_fields()
        # A client may send default_<field> in its context: workflow fields start as the
        # workflow says, whatever the context.
        if any(key.removeprefix("default_") in protected for key in self.env.context):
            # The whole context is replaced (with_context(**kw) could only add keys).
            self = self.with_env(
                self.env(
                    context={
                        key: value
                        for key, value in self.env.context.items()
                        if key.removeprefix("default_") not in protected
                    }
                )
            )
        # Who may make such a record comes before which of its fields the caller may set (a
        # role that may not book reads "only the front desk books", whatever it sent).
        self._check_create_values(vals_list)
        if not in_workflow(self._name):
            for vals in vals_list:
                self._check_caller_values(self._set_beyond_defaults(vals))
        for vals in vals_list:
            self._check_text_values(vals)
        return super().create(vals_list)

    def _set_beyond_defaults(self, vals):
        """The workflow fields of ``vals`` that a new record would not have anyway: a client
        may send a field's initial value (the web client sends the state of its form), which
        changes nothing."""
        initial = {}
        for name in set(vals) & self._get_workflow_fields():
            field = self._fields[name]
            initial[name] = field.default(self) if field.default else False
        return {
            name: value
            for name, value in vals.items()
            if name not in initial or (value or False) != (initial[name] or False)
        }

    def write(self, vals):
        check_access_first(self, "write")
        if not in_workflow(self._name):
            # The caller's workflow fields first, so that such a write reads as such.
            self._check_caller_values(vals)
        self._check_write_values(vals)
        self._check_text_values(vals)
        if "state" in vals and self._get_workflow_transitions():
            self._check_transition(vals["state"])
        return super().write(vals)

    # ------------------------------------------------------------------ the gate

    @api.model
    def _get_workflow_fields(self):
        """The workflow fields of the model: the union of the ``_workflow_fields`` that each
        of its classes (one per file that extends it, and its mixins) declares."""
        return frozenset(
            name for cls in type(self).__mro__ for name in vars(cls).get("_workflow_fields", ())
        )

    @api.model
    def _get_workflow_transitions(self):
        """The transition table of the model: the moves that each of its classes declares in
        ``_workflow_transitions``, merged (a class that extends another decides a move both
        declare)."""
        transitions = {}
        for cls in reversed(type(self).__mro__):
            transitions.update(vars(cls).get("_workflow_transitions", {}))
        return transitions

    def _check_create_values(self, vals_list):
        """The model's own rules of the values a caller creates records with, checked once
        per ``create`` with the gate. Extended by each concern of the model."""

    def _check_write_values(self, vals):
        """The model's own rules of the values a caller writes, checked once per ``write``
        with the gate, after its workflow fields. Extended by each concern of the model."""

    @api.private
    def _workflow_write(self, vals):
        """Write as the workflow: the one path by which workflow fields change."""
        with workflow(self._name):
            return self.write(vals)

    @api.private
    def _workflow_create(self, vals_list):
        with workflow(self._name):
            return self.create(vals_list)

    def _check_caller_values(self, vals):
        protected = sorted(set(vals) & self._get_workflow_fields())
        if protected:
            names = ", ".join(
                self._fields[name].get_description(self.env)["string"] for name in protected
            )
            raise UserError(
                self.env._(
                    "%(fields)s of a %(model)s cannot be written directly: they are set by its "
                    "buttons (e.g. Confirm, Sign, Submit), which check the clinic's rules.",
                    fields=names,
                    model=self._description,
                )
            )

    def _check_text_values(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is not None and field.type in TEXT_LIMITS:
                check_text(self.env, field, value)

    def _check_transition(self, new_state):
        """Refuse a move the transition table does not list, or made by a role it does not
        name. Superuser code (the portal, crons) acts for the clinic and passes the role."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        transitions = self._get_workflow_transitions()
        for record in self:
            old_state = record.state
            if old_state == new_state:
                continue
            if (old_state, new_state) not in transitions:
                raise UserError(
                    self.env._(
                        "%(record)s is %(old)s: it cannot become %(new)s.",
                        record=record.display_name,
                        old=labels.get(old_state, old_state),
                        new=labels.get(new_state, new_state),
                    )
                )
            group = transitions[(old_state, new_state)]
            if group and not self.env.su and not self.env.user.has_group(group):
                raise AccessError(
                    self.env._(
                        "%(record)s: only a %(role)s can make it %(new)s.",
                        record=record.display_name,
                        role=self.env.ref(group).name.lower(),
                        new=labels.get(new_state, new_state),
                    )
                )


# Columns every frozen row may still change: who wrote it last and when (the ORM sets them on any
# write it lets through).
FROZEN_ALWAYS_ALLOWED = ("write_uid", "write_date")


def frozen_trigger_sql(
    table, allowed_columns, parent_table, parent_column, frozen_condition, mirrored=None
):
    """SQL of the trigger that freezes the rows of ``table`` whose record of ``parent_table``
    (``parent_column``; ``id`` for the row itself) is frozen (``frozen_condition``, a
    condition on the parent's row): an allow-list, not a deny-list.

    - ``UPDATE``: the row as JSON without ``allowed_columns`` (and the write metadata) must
      stay the same; a column added to the table later is frozen without naming it;
    - ``mirrored`` ({column: parent column}): a stored related column may change only to the
      value its parent has (e.g. a line's note status following the note being signed);
    - ``INSERT`` and ``DELETE`` under a frozen parent, and moving a row to or from one, are
      refused.

    The change that freezes a record passes (it is not frozen before it); a row being inserted
    is not frozen. Holds against sudo and SQL; only disabling the triggers gets past it."""
    mirrored = mirrored or {}
    allowed = ", ".join(
        f"'{column}'" for column in sorted({*allowed_columns, *FROZEN_ALWAYS_ALLOWED, *mirrored})
    )
    mirrored_ok = (
        " AND ".join(
            f"(NEW.{column} IS NOT DISTINCT FROM OLD.{column} OR NEW.{column} IS NOT DISTINCT "
            f"FROM (SELECT p.{parent} FROM {parent_table} p WHERE p.id = NEW.{parent_column}))"
            for column, parent in sorted(mirrored.items())
        )
        or "TRUE"
    )
    return f"""
        DROP TRIGGER IF EXISTS {table}_lock ON {table};
        DROP FUNCTION IF EXISTS {table}_lock();
    """ + guard_trigger_sql(
        f"{table}_frozen",
        table,
        declare="parent_old integer; parent_new integer; changed text;",
        body=f"""
            IF TG_OP <> 'INSERT' THEN
                parent_old := OLD.{parent_column};
            END IF;
            IF TG_OP <> 'DELETE' THEN
                parent_new := NEW.{parent_column};
            END IF;
            IF TG_OP = 'UPDATE' AND parent_old IS NOT DISTINCT FROM parent_new
               AND (to_jsonb(OLD) - ARRAY[{allowed}]::text[])
                   = (to_jsonb(NEW) - ARRAY[{allowed}]::text[])
               AND {mirrored_ok} THEN
                RETURN NEW;
            END IF;
            IF EXISTS (
                SELECT 1 FROM {parent_table}
                 WHERE id IN (parent_old, parent_new) AND ({frozen_condition})
            ) THEN
                IF TG_OP = 'UPDATE' THEN
                    SELECT string_agg(n.key, ', ' ORDER BY n.key) INTO changed
                      FROM jsonb_each(to_jsonb(NEW) - ARRAY[{allowed}]::text[]) n
                     WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key;
                END IF;
                RAISE EXCEPTION '% of %: % % is frozen, % cannot change',
                    TG_OP, TG_TABLE_NAME, '{parent_table}', coalesce(parent_old, parent_new),
                    coalesce(changed, 'its rows')
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        """,
    )


def guard_trigger_sql(name, table, body, declare=""):
    """SQL of the row trigger ``name`` that guards ``table`` before each ``INSERT``, ``UPDATE``
    and ``DELETE``: ``body`` (PL/pgSQL, after the variables ``declare`` declares) raises to
    refuse the change, or returns to let it through early; past it, the row goes through."""
    return f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        DECLARE {declare}
        BEGIN
            {body}
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {name} ON {table};
        CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {name}();
    """


def append_only_sql(table, allowed="FALSE", columns=()):
    """SQL of the triggers that keep ``table`` append-only: an ``UPDATE`` (of ``columns``, or of
    any column), a ``DELETE`` or a ``TRUNCATE`` is refused, unless the row passes ``allowed`` (a
    condition on ``TG_OP``, ``OLD`` and ``NEW``, e.g. a retention period). Holds against sudo
    and SQL; only a database owner disabling the triggers gets past it."""
    of = f" OF {', '.join(columns)}" if columns else ""
    return f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_LEVEL = 'ROW' THEN
                IF ({allowed}) THEN
                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '% of %: its rows are append-only', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RAISE EXCEPTION '% of %: the table is append-only', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {table}_append_only ON {table};
        CREATE TRIGGER {table}_append_only BEFORE UPDATE{of} OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
        DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table};
        CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
    """
