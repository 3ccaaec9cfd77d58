import { registry } from "@web/core/registry";
import { checkOutAndPay, DIALOG, openDesk } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const TOMS_ROW = ".o_list_view .o_data_row:contains(Tom Second)";

// The front desk checks Tom out: his session, not billed yet, is invoiced at the price the desk
// list shows, and paid with the card he saved and authorised (payment_demo). The session and
// the card come from the Python test (test_desk_checkout_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_checkout_saved_card", {
    steps: () => [
        ...openDesk(),
        {
            content: "Tom's session shows its price and nothing to pay yet",
            trigger: `${TOMS_ROW} [name=session_price]:not(:empty)`,
        },
        ...checkOutAndPay(TOMS_ROW, "saved_card", [
            {
                content: "The saved card is named",
                trigger: `${DIALOG} .o_field_widget[name=card_name]:contains(4242)`,
            },
        ]),
        {
            content: "Tom has left and his session is paid",
            trigger:
                `body:not(:has(.modal)) ${TOMS_ROW}:has([name=left_at]:not(:empty)) ` +
                "[name=desk_payment]:contains(Paid)",
        },
    ],
});
