import { registry } from "@web/core/registry";
import { cancelAsMovedTo } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";
import {
    clickHeaderButton,
    nextWeekTuesday,
    openClinicApp,
    openMenu,
    pickRecord,
    saveForm,
    statusIs,
    typeDateTime,
    typedDateTime,
} from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

// Sol's session in Room 1, paid at online booking (a deposit), comes from the Python test
// (test_desk_moved_to_tour.py). Sol phones to move it: the front desk books the new time in
// Room 2, then cancels the old session as moved to it, and the deposit pays the new session.
const SOLS_ROW = (room) =>
    `.o_list_view .o_data_row:contains(Sol Session):has([name=room_id]:contains(${room}))`;

registry.category("web_tour.tours").add("trigger_point_clinic_desk_moved_to", {
    steps: () => {
        const start = nextWeekTuesday(15);
        const sessions = () => [
            ...openMenu("clinic_menu_schedule", "clinic_session_menu", "Sessions"),
            {
                content: "Show the sessions as a list",
                trigger: ".o_control_panel .o_switch_view.o_list",
                run: "click",
            },
        ];
        return [
            ...openClinicApp(),
            ...sessions(),
            {
                content: "Book the new time",
                trigger: ".o_list_view .o_list_button_add",
                run: "click",
            },
            ...pickRecord("patient_id", "Sol Session"),
            ...typeDateTime("start", typedDateTime(start)),
            ...pickRecord("therapist_id", "Tess Therapist"),
            ...pickRecord("room_id", "Room 2"),
            ...saveForm(),
            clickHeaderButton("action_confirm", "Confirm"),
            statusIs("Confirmed"),
            ...sessions(),
            {
                content: "Open the old session, paid at booking",
                trigger: `${SOLS_ROW("Room 1")} [name=patient_id]`,
                run: "click",
            },
            {
                content: "It shows the deposit paid",
                trigger: ".o_form_view .o_field_widget[name=prepaid_state]:contains(Deposit paid)",
            },
            ...cancelAsMovedTo(start.toFormat("yyyy-MM-dd HH:mm")),
            ...sessions(),
            {
                content: "Open the new session",
                trigger: `${SOLS_ROW("Room 2")} [name=patient_id]`,
                run: "click",
            },
            statusIs("Confirmed"),
            {
                content: "The new session shows the deposit paid",
                trigger: ".o_form_view .o_field_widget[name=prepaid_state]:contains(Deposit paid)",
            },
            {
                content: "The amount paid at booking",
                trigger: ".o_form_view .o_field_widget[name=prepaid_amount]:contains(25.20)",
            },
        ];
    },
});
