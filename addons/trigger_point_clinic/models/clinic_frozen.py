"""Frozen records: a signed note, a submitted intake, a recorded clearance or amendment, and
what hangs off them (lines, home-care items, answers, pain map, many2many relations, files).

Frozen means the whole row: every stored column is refused, by the ORM (a message naming the
record and the fields) and by a PostgreSQL trigger, except the columns a model names in
``_frozen_allowed`` (what still changes once frozen, e.g. an intake's review). A column added
later is frozen without naming it anywhere."""

from odoo import api, models
from odoo.exceptions import UserError

from .clinic_workflow import FROZEN_ALWAYS_ALLOWED, check_access_first, frozen_trigger_sql


class ClinicFrozenMixin(models.AbstractModel):
    _name = "clinic.frozen.mixin"
    _description = "Clinic Frozen Record"

    # When a record of the model is frozen, as a domain (the ORM) and as an SQL condition on its
    # row (the trigger). A child model (``_frozen_parent``) is frozen with its parent.
    _frozen_domain = []
    _frozen_sql = "TRUE"
    # The many2one to the record a child row belongs to (e.g. ``note_id``).
    _frozen_parent = None
    # The fields (stored columns) that may still change on a frozen row.
    _frozen_allowed = ()
    # The fields that only the clinic's own code (sudo, e.g. Odoo's portal mixin making a
    # record's token) may still change: refused to every caller by the ORM, let through by the
    # trigger.
    _frozen_allowed_su = ()
    # Stored related columns of a child row that follow its parent: {column: parent column}.
    # They may change only to the parent's value (the parent being frozen is such a change).
    _frozen_mirrored = {}

    def init(self):
        super().init()
        if self._abstract:
            return
        cr = self.env.cr
        if self._frozen_parent:
            parent = self.env[self._fields[self._frozen_parent].comodel_name]
            cr.execute(
                frozen_trigger_sql(
                    self._table,
                    (*self._frozen_allowed, *self._frozen_allowed_su),
                    parent._table,
                    self._frozen_parent,
                    parent._frozen_sql,
                    self._frozen_mirrored,
                )
            )
            return
        cr.execute(
            frozen_trigger_sql(
                self._table,
                (*self._frozen_allowed, *self._frozen_allowed_su),
                self._table,
                "id",
                self._frozen_sql,
            )
        )
        # The many2many relations of a frozen record are part of it.
        for field in self._fields.values():
            if field.type == "many2many" and field.store and field.model_name == self._name:
                cr.execute(
                    frozen_trigger_sql(
                        field.relation, (), self._table, field.column1, self._frozen_sql
                    )
                )

    # ------------------------------------------------------------------ which are frozen

    def _clinic_frozen(self):
        """The records of ``self`` that are frozen."""
        if self._frozen_parent:
            parents = self.sudo()[self._frozen_parent]._clinic_frozen()
            return self.filtered(lambda record: record.sudo()[self._frozen_parent] in parents)
        return self.sudo().filtered_domain(self._frozen_domain).with_env(self.env)

    def _frozen_refuse(self, names):
        """Refuse to change ``names`` (field names, or an operation: create, unlink, move,
        attachment) of the frozen records ``self``: a message naming the record and what."""
        record = self[:1]
        raise UserError(
            self.env._(
                "%(record)s is frozen: %(what)s cannot change.",
                record=record.sudo().display_name,
                what=record._frozen_labels(names),
            )
        )

    def _frozen_labels(self, names):
        operations = {
            "create": self.env._("its rows (adding one)"),
            "unlink": self.env._("its rows (deleting one)"),
            "move": self.env._("its rows (moving one)"),
            "attachment": self.env._("its files"),
        }
        return ", ".join(
            operations.get(name)
            or (
                self._fields[name].get_description(self.env)["string"]
                if name in self._fields
                else name
            )
            for name in names
        )

    def _frozen_refuse_parent(self, parents, names):
        """A child row: the refusal speaks of its parent, naming the child's fields."""
        labels = [
            f"{self._description}: {self._frozen_labels([name])}"
            if name not in ("create", "unlink", "move", "attachment")
            else name
            for name in names
        ]
        parents._frozen_refuse(labels)

    # ------------------------------------------------------------------ the ORM's side

    @api.model_create_multi
    def create(self, vals_list):
        if self._frozen_parent:
            check_access_first(self, "create")
            comodel = self.env[self._fields[self._frozen_parent].comodel_name]
            parents = comodel.browse(
                {vals[self._frozen_parent] for vals in vals_list if vals.get(self._frozen_parent)}
            )
            frozen = parents._clinic_frozen()
            if frozen:
                frozen[:1]._frozen_refuse(["create"])
        return super().create(vals_list)

    def write(self, vals):
        check_access_first(self, "write")
        allowed = {*self._frozen_allowed, *FROZEN_ALWAYS_ALLOWED}
        if self.env.su:
            allowed.update(self._frozen_allowed_su)
        refused = sorted(set(vals) - allowed)
        if refused and self:
            frozen = self._clinic_frozen()
            if frozen:
                if self._frozen_parent:
                    frozen[:1]._frozen_refuse_parent(frozen[:1][self._frozen_parent], refused)
                frozen[:1]._frozen_refuse(refused)
        if self._frozen_parent and vals.get(self._frozen_parent):
            comodel = self.env[self._fields[self._frozen_parent].comodel_name]
            target = comodel.browse(vals[self._frozen_parent]).exists()._clinic_frozen()
            if target:
                target._frozen_refuse(["move"])
        return super().write(vals)

    def unlink(self):
        check_access_first(self, "unlink")
        frozen = self._clinic_frozen()
        if frozen:
            if self._frozen_parent:
                frozen[:1]._frozen_refuse_parent(frozen[:1][self._frozen_parent], ["unlink"])
            frozen[:1]._frozen_refuse(["unlink"])
        return super().unlink()


def frozen_models(env):
    """The concrete models whose records (or rows) freeze, from the registry."""
    mixin = env.registry["clinic.frozen.mixin"]
    return [
        name
        for name, model_class in env.registry.items()
        if not model_class._abstract and issubclass(model_class, mixin)
    ]


def frozen_record_sql(env):
    """SQL of ``clinic_record_frozen(res_model, res_id)``: whether the record is frozen, for
    every frozen model of the registry (what the attachment trigger asks)."""
    branches = []
    for name in sorted(frozen_models(env)):
        model = env[name]
        if model._frozen_parent:
            parent = env[model._fields[model._frozen_parent].comodel_name]
            test = (
                f"SELECT EXISTS (SELECT 1 FROM {parent._table} WHERE id = (SELECT "
                f"{model._frozen_parent} FROM {model._table} WHERE id = rid) "
                f"AND ({parent._frozen_sql}))"
            )
        else:
            test = (
                f"SELECT EXISTS (SELECT 1 FROM {model._table} WHERE id = rid "
                f"AND ({model._frozen_sql}))"
            )
        branches.append(f"IF model = '{name}' THEN RETURN ({test}); END IF;")
    body = "\n            ".join(branches)
    return f"""
        CREATE OR REPLACE FUNCTION clinic_record_frozen(model varchar, rid integer)
        RETURNS boolean AS $$
        BEGIN
            IF model IS NULL OR rid IS NULL OR rid = 0 THEN
                RETURN FALSE;
            END IF;
            {body}
            RETURN FALSE;
        END;
        $$ LANGUAGE plpgsql STABLE;
    """
