import { registry } from "@web/core/registry";
import { confirmBooking, downloadsCalendar } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

// A patient on a phone books a time with their therapist, sees it, cancels it in time, opens
// an invoice and their home-care sheet. The records come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_patient_portal_phone", {
    steps: () => [
        {
            content: "Free times are listed per day; take one a few days ahead",
            trigger: ".o_clinic_book .o_clinic_day:last-child .o_clinic_slot",
            run: "click",
            expectUnloadPage: true,
        },
        ...confirmBooking("The session is booked and shown with its therapist"),
        {
            content: "Its terms: free of charge until the notice runs out",
            trigger: ".o_clinic_session .o_clinic_cancel_terms:contains(Free of charge until)",
        },
        {
            content: "It is listed among the upcoming sessions",
            trigger: ".o_portal_submenu a[href='/my/clinic']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the session just booked",
            trigger: ".o_clinic_portal .o_clinic_session_item",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Cancel it",
            trigger: ".o_clinic_session a.o_clinic_cancel",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Before confirming, the patient reads what it costs: nothing, in time",
            trigger: ".o_clinic_cancel_terms:contains(Free of charge until)",
        },
        {
            content: "Confirm the cancellation",
            trigger: ".o_clinic_cancel_form button.o_clinic_cancel_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The session is cancelled",
            trigger: ".o_clinic_session .o_clinic_cancelled",
        },
        {
            content: "Go to My sessions",
            trigger: ".o_portal_submenu a[href='/my/clinic']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The home-care sheet is offered as a PDF, and it downloads",
            trigger: ".o_clinic_portal a.o_clinic_homecare_link",
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const type = response.headers.get("Content-Type");
                if (response.status !== 200 || type !== "application/pdf") {
                    throw new Error(`home-care sheet: ${response.status} ${type}`);
                }
            },
        },
        {
            content: "Open the invoices",
            trigger: ".o_clinic_portal a[href='/my/invoices']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the invoice",
            trigger: "a[href^='/my/invoices/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invoice is shown",
            trigger: ".o_portal_invoice_sidebar",
        },
    ],
});

// A patient on a phone books a time, moves it to a later one, reads their pain chart and asks
// to be told of an earlier time with their therapist.
registry.category("web_tour.tours").add("trigger_point_clinic_patient_portal_reschedule", {
    steps: () => [
        {
            content: "Take the first free time",
            trigger: ".o_clinic_book .o_clinic_slot:first",
            run: "click",
            expectUnloadPage: true,
        },
        ...confirmBooking(),
        {
            content: "Reschedule it",
            trigger: ".o_clinic_session a.o_clinic_reschedule",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Take a time a few days later",
            trigger: ".o_clinic_book .o_clinic_day:last-child .o_clinic_slot",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The session was moved",
            trigger: ".o_clinic_session .o_clinic_moved",
        },
        {
            content: "Go to My sessions",
            trigger: ".o_portal_submenu a[href='/my/clinic']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The pain chart is drawn",
            trigger: ".o_clinic_pain_chart svg",
        },
        {
            content: "Ask to be e-mailed an earlier time",
            trigger: "form[action='/my/clinic/waitlist'] button:contains(E-mail me)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The waiting list names the therapist",
            trigger: "#waitlist ~ ul li:contains(With)",
        },
    ],
});

// A patient on a phone takes any therapist, picks a day in the date picker, books a time of
// that day and downloads the session's calendar file. The day comes from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_patient_day_ics", {
    steps: () => [
        {
            content: "Any therapist: one day at a time, with a date picker; pick the day",
            trigger: ".o_clinic_book .o_clinic_day_picker input[name=day]",
            run() {
                const day = new URLSearchParams(window.location.search).get("day_hint");
                this.anchor.value = day;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Show that day",
            trigger: ".o_clinic_day_picker button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "One day is shown, each time naming its therapist; take the first",
            trigger: ".o_clinic_days .o_clinic_day:only-child .o_clinic_slot:contains(Therapist)",
            run: "click",
            expectUnloadPage: true,
        },
        ...confirmBooking(),
        {
            content: "Its price is shown, tax included",
            trigger: ".o_clinic_session .o_clinic_price:contains(tax included)",
        },
        downloadsCalendar(
            "Add it to my calendar: the .ics downloads",
            ".o_clinic_session a.o_clinic_session_ics"
        ),
    ],
});
