import { registry } from "@web/core/registry";
import { RedirectWarningDialog } from "@web/core/errors/error_dialogs";

// The screening's refusal of a session, to a manager: Odoo's redirect warning, whose button
// opens the override of that session (models/clinic_screening_override.py, ScreeningRefusal).
registry
    .category("error_dialogs")
    .add(
        "odoo.addons.trigger_point_clinic.models.clinic_screening_override.ScreeningRefusal",
        RedirectWarningDialog
    );
