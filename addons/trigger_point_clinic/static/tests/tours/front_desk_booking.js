import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    nextWeekTuesday,
    openClinicApp,
    openMenu,
    pickRecord,
    refusedWith,
    saveForm,
    typeDateTime,
    typedDateTime,
} from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

/** Fill in a new session's booking: patient, start (the end follows the service's length),
 * therapist, room. */
function bookSession(patient, start, therapist, room) {
    return [
        ...pickRecord("patient_id", patient),
        ...typeDateTime("start", typedDateTime(start)),
        {
            content: "The session is named after its time in the clinic",
            trigger:
                ".o_breadcrumb .o_last_breadcrumb_item" +
                `:contains(${patient} · ${start.toFormat("yyyy-MM-dd HH:mm")})`,
        },
        {
            content: "It lasts an hour: the end followed the service's length",
            trigger: ".o_form_view .o_field_widget[name=duration]:text(01:00)",
        },
        ...pickRecord("therapist_id", therapist),
        ...pickRecord("room_id", room),
    ];
}

// The front desk's morning: the patients, therapist and rooms come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_front_desk", {
    steps: () => {
        const start = nextWeekTuesday(10);
        return [
            ...openClinicApp(),
            ...openMenu("clinic_menu_schedule", "clinic_session_menu", "Sessions"),
            {
                content: "Show the sessions as a list",
                trigger: ".o_control_panel .o_switch_view.o_list",
                run: "click",
            },
            {
                content: "Book a new session",
                trigger: ".o_list_view .o_list_button_add",
                run: "click",
            },
            ...bookSession("Sol Session", start, "Tess Therapist", "Room 1"),
            ...saveForm(),
            {
                content: "The session is booked as a draft",
                trigger:
                    ".o_form_view .o_statusbar_status .o_arrow_button_current:text(Draft)",
            },
            {
                content: "Book another session",
                trigger: ".o_control_panel .o_form_button_create",
                run: "click",
            },
            ...bookSession("Tom Second", start, "Tess Therapist", "Room 2"),
            {
                content: "The double booking is told as soon as it is chosen, before saving",
                trigger:
                    ".modal:contains(Double booking)" +
                    ":contains(Tess Therapist is already booked at that time by session Sol Session)" +
                    " .modal-footer .btn-primary",
                run: "click",
            },
            {
                content: "Save the second booking",
                trigger: "body:not(:has(.modal)) .o_form_view .o_form_button_save:enabled",
                run: "click",
            },
            ...refusedWith(
                "The double booking is refused, naming the session in the way",
                "Tess Therapist is already booked at that time by session Sol Session",
                "Choose another time, therapist or room"
            ),
            {
                content: "Discard the second booking",
                trigger: ".o_form_view .o_form_button_cancel",
                run: "click",
            },
            ...openMenu("clinic_menu_patients", "clinic_patient_menu", "Patients"),
            {
                content: "Search the patient",
                trigger: ".o_control_panel .o_searchview_input",
                run: "edit Nina Newcomer && press Enter",
            },
            {
                content: "Open the patient",
                trigger: ".o_list_view .o_data_row [name=name]:contains(Nina Newcomer)",
                run: "click",
            },
            {
                content: "The patient has no intake yet: the front desk sees only that",
                trigger:
                    ".o_form_view .o_field_widget[name=booking_status]:contains(Intake needed)",
            },
            clickHeaderButton("action_send_intake", "Send Intake"),
            {
                content: "The front desk is told the e-mail went",
                trigger: ".o_notification:contains(Intake sent)",
            },
            {
                content: "Open the patient's intakes",
                trigger: ".o_form_view .o_notebook .nav-link:text(Intakes)",
                run: "click",
            },
            {
                content: "The intake is sent",
                trigger:
                    ".o_form_view .o_field_widget[name=intake_ids] " +
                    ".o_data_row [name=state]:contains(Sent)",
                run: "click",
            },
            {
                content:
                    "The intake shows when it was sent, not the patient's link: it reaches the " +
                    "patient by e-mail only",
                trigger:
                    ".o_form_view:has(.o_field_widget[name=date_sent])" +
                    ":not(:has(.o_field_widget[name=intake_url]))",
            },
        ];
    },
});
