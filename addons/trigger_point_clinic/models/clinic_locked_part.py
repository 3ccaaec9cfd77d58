"""A locked part: a child row of a clinical record (an intake's answers and pain map, a note's
lines and home-care items, a questionnaire's answers) that is part of that record's content.

The one rule, held here for every part: a part is its parent's. It freezes with its parent
(``clinic.frozen.mixin``: the ORM's message and the PostgreSQL trigger, which refuses every
column of a frozen row but those the part names in ``_frozen_allowed``), it is read as part of
its parent (one access-log entry, the parent's) and it belongs to the parent's patient. A
concrete part declares only its parent (``_frozen_parent`` and that many2one field) and what
differs (its order, a sequence)."""

from odoo import models


class ClinicLockedPart(models.AbstractModel):
    _name = "clinic.locked.part"
    _description = "Locked Part of a Clinical Record"
    _inherit = ["clinic.audited.mixin", "clinic.frozen.mixin"]

    @property
    def _clinic_audit_parent(self):
        return self._frozen_parent

    @property
    def _clinic_audit_patient(self):
        return f"{self._frozen_parent}.patient_id" if self._frozen_parent else None
