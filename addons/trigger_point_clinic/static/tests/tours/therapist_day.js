import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    openClinicApp,
    pickChoice,
    pickRecord,
    saveForm,
    statusIs,
} from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

const LINES = ".o_form_view .o_field_widget[name=line_ids]";

// A therapist's day: the sessions and patients come from the Python test (test_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_therapist_day", {
    steps: () => [
        ...openClinicApp(),
        {
            content: "The Clinic app opens on My Day",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:text(My Day)",
        },
        {
            content: "Today's session shows the patient's screening and what to avoid",
            trigger:
                ".o_list_view .o_data_row:has([name=patient_id]:contains(Vera Varicose))" +
                ":has([name=state]:contains(Confirmed))" +
                ":has([name=patient_screening_verdict]:contains(Cleared with precautions))" +
                ":has([name=patient_excluded_region_ids] .o_tag:contains(Leg))" +
                ":has([name=patient_max_pressure]:contains(Moderate))",
        },
        {
            content: "Only the therapist's own sessions of today are listed",
            trigger:
                ".o_list_view .o_list_table:not(:has(.o_data_row:contains(Tom Second)))" +
                ":not(:has(.o_data_row:nth-child(2)))",
        },
        {
            content: "Open the session",
            trigger: ".o_list_view .o_data_row [name=patient_id]:contains(Vera Varicose)",
            run: "click",
        },
        statusIs("Confirmed"),
        clickHeaderButton("action_start", "Start"),
        statusIs("In Progress"),
        clickHeaderButton("action_open_treatment_note", "Treatment Note"),
        {
            content: "The note reminds what the screening excludes",
            trigger: ".o_form_view .o_field_widget[name=avoid_region_ids] .o_tag:contains(Leg)",
        },
        {
            content: "Add a treated region",
            trigger: `${LINES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: 'Type "Leg" in the region of the line',
            trigger: `${LINES} .o_selected_row .o_field_widget[name=region_id] input`,
            run: "edit Leg",
        },
        {
            content: "The screening keeps the leg and its muscles out of the choices",
            trigger: ".o-autocomplete--dropdown-item.o_m2o_no_result",
        },
        ...pickRecord("region_id", "Upper trapezius", { scope: LINES }),
        ...pickChoice("technique", "Pressure-release cycles", `${LINES} .o_selected_row`),
        ...saveForm(),
        {
            content: "The allowed region is charted",
            trigger: `${LINES} .o_data_row [name=region_id]:contains(Upper trapezius)`,
        },
        clickHeaderButton("action_sign", "Sign"),
        {
            content: "Confirm the signature",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        statusIs("Signed"),
        {
            content: "The signature is recorded",
            trigger: ".o_form_view .o_notebook .nav-link:text(Signature)",
            run: "click",
        },
        {
            content: "Signed by the therapist's user",
            trigger: ".o_form_view .o_field_widget[name=signed_by_id]:contains(Clinic Therapist)",
        },
    ],
});
