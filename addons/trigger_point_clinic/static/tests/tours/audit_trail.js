import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    openClinicApp,
    openMenu,
} from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";
import { verifyClinicalRecords } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const DIALOG = ".modal:not(.o_inactive_modal)";

/** Open the patient ``name`` from the Patients list. */
function openPatient(name) {
    return [
        ...openMenu("clinic_menu_patients", "clinic_patient_menu", "Patients"),
        {
            content: `Search ${name}`,
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${name} && press Enter`,
        },
        {
            content: `Open ${name}`,
            trigger: `.o_list_view .o_data_row [name=name]:contains(${name})`,
            run: "click",
        },
    ];
}

// A therapist covering for a colleague opens the record of a patient outside her care:
// first hidden, then open after she says why. The patient comes from test_tours.py.
registry.category("web_tour.tours").add("trigger_point_clinic_emergency_access", {
    steps: () => [
        ...openClinicApp(),
        ...openPatient("Ella Emergency"),
        {
            content: "The form says the patient is not in her care",
            trigger: ".o_form_view .alert-warning:contains(not in your care)",
        },
        {
            content: "Her treatment notes are hidden",
            trigger: ".o_form_view .o_notebook .nav-link:text(Treatment Notes)",
            run: "click",
        },
        {
            content: "No note shows",
            trigger: ".o_form_view .o_field_widget[name=treatment_note_ids]:not(:has(.o_data_row))",
        },
        clickHeaderButton("action_emergency_access", "Emergency Access"),
        {
            content: "The dialog says the access is logged and reviewed",
            trigger: `${DIALOG} .alert-info:contains(every record you open is logged)`,
        },
        {
            content: "Say why",
            trigger: `${DIALOG} .o_field_widget[name=reason] textarea`,
            run: "edit Theo is off sick; Ella is here with acute low back pain.",
        },
        {
            content: "Open the record",
            trigger: `${DIALOG} .modal-footer .btn-primary:text(Open the Record)`,
            run: "click",
        },
        {
            content: "The warning is gone",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(.alert-warning:contains(not in your care)))",
        },
        {
            content: "Open her treatment notes",
            trigger: ".o_form_view .o_notebook .nav-link:text(Treatment Notes)",
            run: "click",
        },
        {
            content: "Her signed note shows",
            trigger: ".o_form_view .o_field_widget[name=treatment_note_ids] .o_data_row:contains(Signed)",
        },
        ...openMenu("clinic_menu_patients", "clinic_treatment_note_menu", "Treatment Notes"),
        {
            content: "Show every note she may read, not only her own",
            trigger: ".o_control_panel .o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            content: "Find her notes",
            trigger: ".o_control_panel .o_searchview_input",
            run: "edit Ella Emergency && press Enter",
        },
        {
            content: "Open her note",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(Ella Emergency)",
            run: "click",
        },
        {
            content: "The note opens, with the region treated",
            trigger: ".o_form_view [name=line_ids]:contains(Erector spinae)",
        },
    ],
});

// A manager reads who opened a patient's record, then checks the chain of signed records.
registry.category("web_tour.tours").add("trigger_point_clinic_audit", {
    steps: () => [
        ...openClinicApp(),
        ...openPatient("Ella Emergency"),
        {
            content: "Open the patient's access history",
            trigger: ".o_form_view .oe_stat_button[name=action_view_access_log]",
            run: "click",
        },
        {
            content: "The therapist's emergency read of the note is listed",
            trigger:
                ".o_list_view .o_data_row:contains(Clinic Therapist):contains(Treatment Note)" +
                ":has([name=emergency] input:checked)",
        },
        ...openMenu("clinic_menu_reporting", "clinic_access_grant_menu", "Emergency Access"),
        {
            content: "The access waits for review",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=reason]:contains(off sick)",
            run: "click",
        },
        clickHeaderButton("action_mark_reviewed", "Mark Reviewed"),
        {
            content: "The review is recorded",
            trigger: ".o_form_view .o_field_widget[name=reviewed_by_id]:contains(Clinic Manager)",
        },
        ...verifyClinicalRecords(),
        {
            content: "The clinical records are intact",
            trigger: ".o_form_view .alert-success:contains(chain of seals is unbroken)",
        },
    ],
});

// A therapist revokes a physician's clearance recorded by mistake, saying why.
registry.category("web_tour.tours").add("trigger_point_clinic_clearance_revoke", {
    steps: () => [
        ...openClinicApp(),
        ...openMenu("clinic_menu_patients", "clinic_clearance_menu", "Physician Clearances"),
        {
            content: "Open the clearance",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(Rita Revoke)",
            run: "click",
        },
        {
            content: "Click Revoke",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Revoke):enabled",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Recorded for the wrong patient.",
        },
        {
            content: "Revoke it",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The form says who revoked it and why",
            trigger:
                "body:not(:has(.modal)) .o_form_view .alert-warning:contains(wrong patient)",
        },
        {
            content: "The status is Revoked",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Revoked)",
        },
    ],
});
