import { registry } from "@web/core/registry";

const DIALOG = ".modal:not(.o_inactive_modal)";

// The front desk's day: staff land in the Clinic app; at the desk, Sol is checked in when she
// arrives, Tom checked out when he leaves, paying his session in cash. The sessions come from
// the Python test (test_desk_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_front_desk_day", {
    steps: () => [
        {
            content: "Staff land in the Clinic app",
            trigger: ".o_main_navbar .o_menu_brand:text(Clinic)",
        },
        {
            content: "Open the Schedule menu",
            trigger: '.o_menu_sections [data-menu-xmlid="trigger_point_clinic.clinic_menu_schedule"]',
            run: "click",
        },
        {
            content: "Choose At the Desk",
            trigger: '.dropdown-item[data-menu-xmlid="trigger_point_clinic.clinic_session_menu_desk"]',
            run: "click",
        },
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
        {
            content: "Check Tom out",
            trigger: ".o_list_view .o_data_row:contains(Tom Second) button[name=action_check_out]",
            run: "click",
        },
        {
            content: "The payment opens with what Tom's session costs",
            trigger: `${DIALOG} .o_field_widget[name=amount_due]:not(:text(0.00))`,
        },
        {
            content: "Paid with cash",
            trigger: `${DIALOG} .o_field_widget[name=method] input[data-value=cash]`,
            run: "click",
        },
        {
            content: "Take the payment",
            trigger: `${DIALOG} .modal-footer button[name=action_pay]`,
            run: "click",
        },
        {
            content: "Tom has left and owes nothing",
            trigger:
                "body:not(:has(.modal)) .o_list_view .o_data_row:contains(Tom Second) " +
                "[name=left_at]:not(:empty)",
        },
    ],
});
