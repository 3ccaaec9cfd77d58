import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    lastWeek,
    openClinicApp,
    openMenu,
    pickRecord,
    statusIs,
    typeDate,
    typedDate,
} from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";
import { DIALOG, recordOverride } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

// A manager lets a patient through the screening, then bills last week. The patients and
// sessions come from the Python test (test_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_manager", {
    steps: () => {
        const [monday, sunday] = lastWeek();
        return [
            ...openClinicApp(),
            ...openMenu("clinic_menu_patients", "clinic_patient_menu", "Patients"),
            {
                content: "Search the patient",
                trigger: ".o_control_panel .o_searchview_input",
                run: "edit Dora Danger && press Enter",
            },
            {
                content: "Open the patient",
                trigger: ".o_list_view .o_data_row [name=name]:contains(Dora Danger)",
                run: "click",
            },
            {
                content: "The screening says do not treat",
                trigger:
                    ".o_form_view .o_field_widget[name=screening_ids] " +
                    ".o_field_widget[name=verdict]:contains(Do not treat)",
            },
            clickHeaderButton("action_override_screening", "Override Screening"),
            ...pickRecord("session_id", "", { label: "Dora Danger", scope: DIALOG }),
            ...recordOverride(),
            {
                content: "Open the patient's overrides",
                trigger:
                    "body:not(:has(.modal)) .o_form_view .o_notebook .nav-link:text(Overrides)",
                run: "click",
            },
            {
                content: "The override is on the patient's record, with its reason",
                trigger:
                    ".o_form_view .o_field_widget[name=override_ids] " +
                    ".o_data_row:contains(clot has resolved)",
            },
            {
                content: "Open the patient's sessions",
                trigger: ".o_form_view .oe_stat_button[name=action_view_sessions]",
                run: "click",
            },
            {
                content: "Open the session booked for the patient",
                trigger: ".o_list_view .o_data_row [name=patient_id]:contains(Dora Danger)",
                run: "click",
            },
            statusIs("Draft"),
            clickHeaderButton("action_confirm", "Confirm"),
            statusIs("Confirmed"),
            ...openMenu("clinic_menu_billing", "clinic_billing_run_menu", "Billing Runs"),
            {
                content: "Start a new billing run",
                trigger: ".o_list_view .o_list_button_add",
                run: "click",
            },
            ...typeDate("date_from", typedDate(monday)),
            ...typeDate("date_to", typedDate(sunday)),
            {
                content: "The run is named after last week",
                trigger:
                    ".o_form_view .o_field_widget[name=name]" +
                    `:text(Billing ${monday.toISODate()} to ${sunday.toISODate()})`,
            },
            ...pickRecord("patient_ids", "Bella Billing"),
            clickHeaderButton("action_run", "Run Billing"),
            statusIs("Done"),
            {
                content: "Open the invoice the run created",
                trigger: ".o_form_view .oe_stat_button[name=action_view_invoices]:contains(1)",
                run: "click",
            },
            {
                content: "The invoice bills the patient's session of last week",
                trigger:
                    ".o_form_view .o_field_widget[name=invoice_line_ids] " +
                    ".o_data_row:contains(Bella Billing):contains(Tess Therapist)",
            },
        ];
    },
});
