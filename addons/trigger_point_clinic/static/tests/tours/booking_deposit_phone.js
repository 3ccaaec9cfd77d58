import { registry } from "@web/core/registry";

// A patient on a phone saves a card with Odoo's payment form (payment_demo), authorises the
// clinic to charge it, books a session that asks a deposit through the review, pays it with
// the saved card and sees the session paid. The records come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_booking_deposit_phone", {
    steps: () => [
        {
            content: "No card yet: add one",
            trigger: ".o_clinic_card a.o_clinic_card_add",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's payment form: type the card number (test data)",
            trigger: "input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Save the card",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The card is saved",
            trigger: ".o_payment_form input[name='o_payment_radio'][data-payment-option-type='token']:not(:visible)",
        },
        {
            content: "Back to the card on file",
            trigger: "body",
            run: "goToUrl /my/clinic/card",
            expectUnloadPage: true,
        },
        {
            content: "Tick the clinic's authorisation text",
            trigger: ".o_clinic_card #clinic_card_accept",
            run: "click",
        },
        {
            content: "Use this card",
            trigger: ".o_clinic_card button.o_clinic_card_authorise",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The card pays the plan invoices and fees",
            trigger: ".o_clinic_card .o_clinic_card_on_file:contains(4242)",
        },
        {
            content: "Book a session",
            trigger: "body",
            run: "goToUrl /my/clinic/book",
            expectUnloadPage: true,
        },
        {
            content: "Take a time a few days ahead",
            trigger: ".o_clinic_book .o_clinic_day:last-child .o_clinic_slot",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The review: the price with tax and the deposit to pay now",
            trigger: ".o_clinic_book_review .o_clinic_review_due:contains(25.20)",
        },
        {
            content: "The review: the cancellation terms",
            trigger: ".o_clinic_book_review .o_clinic_review_terms:contains(Free of charge until)",
        },
        {
            content: "Pay the deposit with the saved card and book",
            trigger: ".o_clinic_book_review button.o_clinic_review_pay:contains(4242)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Paid: the session is booked",
            trigger: ".o_clinic_session .o_clinic_paid_booked",
        },
        {
            content: "The session shows its deposit paid",
            trigger: ".o_clinic_session .o_clinic_prepaid:contains(Deposit paid)",
        },
    ],
});
