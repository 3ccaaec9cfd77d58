import { registry } from "@web/core/registry";
import { checkOutAndPay, openDesk } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const TOMS_ROW = ".o_list_view .o_data_row:contains(Tom Second)";

// The front desk's day: staff land in the Clinic app; at the desk, Sol is checked in when she
// arrives, Tom checked out when he leaves, paying his session in cash. The sessions come from
// the Python test (test_desk_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_front_desk_day", {
    steps: () => [
        {
            content: "Staff land in the Clinic app",
            trigger: ".o_main_navbar .o_menu_brand:text(Clinic)",
        },
        ...openDesk(),
        {
            content: "Tom's session shows its price and what he owes",
            trigger: ".o_list_view .o_data_row:contains(Tom Second) [name=patient_balance_owed]:not(:empty)",
        },
        {
            content: "Check Sol in",
            trigger: ".o_list_view .o_data_row:contains(Sol Session) button[name=action_check_in]",
            run: "click",
        },
        {
            content: "Sol is checked in",
            trigger:
                ".o_list_view .o_data_row:contains(Sol Session):not(:has(button[name=action_check_in])) " +
                "[name=arrived_at]:not(:empty)",
        },
        ...checkOutAndPay(TOMS_ROW, "cash"),
        {
            content: "Tom has left and owes nothing",
            trigger:
                "body:not(:has(.modal)) .o_list_view .o_data_row:contains(Tom Second) " +
                "[name=left_at]:not(:empty)",
        },
    ],
});
