import { registry } from "@web/core/registry";
import { clickHeaderButton, statusIs } from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";
import { DIALOG, recordOverride, verifyClinicalRecords } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

// A manager confirms a session the screening refuses: the refusal, which says to ask a manager,
// carries the Override button; the override recorded, the session is confirmed. Then the
// verification of the clinical records shows no stray "false". The session comes from the
// Python test (test_desk_tours.py), which opens its form.
registry.category("web_tour.tours").add("trigger_point_clinic_override_from_refusal", {
    steps: () => [
        {
            content: "The session shows its patient's screening",
            trigger:
                ".o_form_view .o_field_widget[name=patient_screening_verdict]:contains(Do not treat)",
        },
        {
            content: "The session links to its patient",
            trigger: ".o_form_view .oe_stat_button[name=action_open_patient]",
        },
        clickHeaderButton("action_confirm", "Confirm"),
        {
            content: "The refusal says to ask a manager, and offers the override",
            trigger: `${DIALOG}:contains(ask a manager) .modal-footer button:contains(Override)`,
            run: "click",
        },
        {
            content: "The override is of this session",
            trigger: `${DIALOG} .o_field_widget[name=session_id] input:value(/Dora Danger/)`,
        },
        ...recordOverride(),
        {
            content: "Back on the session",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons button[name=action_confirm]",
        },
        clickHeaderButton("action_confirm", "Confirm"),
        statusIs("Confirmed"),
        ...verifyClinicalRecords(),
        {
            content: "The verification opens: the records are intact",
            trigger: ".o_form_view .alert-success:contains(chain of seals is unbroken)",
        },
        {
            content: "Nothing on the verification reads false",
            trigger: ".o_form_view .o_field_widget[name=seal_count]",
            run() {
                const stray = [...document.querySelectorAll(".o_form_view .o_field_widget")].find(
                    (field) => field.textContent.trim() === "false"
                );
                if (stray) {
                    throw new Error(`The field ${stray.getAttribute("name")} reads "false"`);
                }
            },
        },
    ],
});
