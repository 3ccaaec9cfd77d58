import { registry } from "@web/core/registry";

const DIALOG = ".modal:not(.o_inactive_modal)";
const TOMS_ROW = ".o_list_view .o_data_row:contains(Tom Second)";

// The front desk checks Tom out: his session, not billed yet, is invoiced at the price the desk
// list shows, and paid with the card he saved and authorised (payment_demo). The session and
// the card come from the Python test (test_desk_checkout_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_checkout_saved_card", {
    steps: () => [
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
            content: "Tom's session shows its price and nothing to pay yet",
            trigger: `${TOMS_ROW} [name=session_price]:not(:empty)`,
        },
        {
            content: "Check Tom out",
            trigger: `${TOMS_ROW} button[name=action_check_out]`,
            run: "click",
        },
        {
            content: "The payment opens with the session's price to pay",
            trigger: `${DIALOG} .o_field_widget[name=amount_due]:not(:text(0.00))`,
        },
        {
            content: "Pay with the saved card",
            trigger: `${DIALOG} .o_field_widget[name=method] input[data-value=saved_card]`,
            run: "click",
        },
        {
            content: "The saved card is named",
            trigger: `${DIALOG} .o_field_widget[name=card_name]:contains(4242)`,
        },
        {
            content: "Take the payment",
            trigger: `${DIALOG} .modal-footer button[name=action_pay]`,
            run: "click",
        },
        {
            content: "Tom has left and his session is paid",
            trigger:
                `body:not(:has(.modal)) ${TOMS_ROW}:has([name=left_at]:not(:empty)) ` +
                "[name=desk_payment]:contains(Paid)",
        },
    ],
});
