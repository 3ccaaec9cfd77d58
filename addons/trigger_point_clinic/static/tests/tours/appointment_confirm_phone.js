import { registry } from "@web/core/registry";

// A patient opens the reminder's link on a phone and confirms the appointment.
registry.category("web_tour.tours").add("trigger_point_clinic_appointment_confirm_phone", {
    steps: () => [
        {
            content: "The page shows the appointment and its cancellation policy",
            trigger: "main:contains(Tess Therapist):contains(late cancellation)",
        },
        {
            content: "Confirm with the one button",
            trigger: ".o_clinic_appointment_confirm_form button:contains(I will come)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The appointment is confirmed",
            trigger: ".alert-success:contains(your appointment is confirmed)",
        },
    ],
});

// The front desk sees the patient's confirmation on the session.
registry.category("web_tour.tours").add("trigger_point_clinic_appointment_confirmed_badge", {
    steps: () => [
        {
            content: "Show the sessions as a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The sessions list shows the confirmation",
            trigger:
                ".o_list_view .o_data_row:contains(Sol Session) " +
                "[name=patient_confirmation]:contains(Confirmed by patient)",
            run: "click",
        },
        {
            content: "The session's form shows it too",
            trigger: ".o_form_view [name=patient_confirmation]:contains(Confirmed by patient)",
        },
    ],
});
