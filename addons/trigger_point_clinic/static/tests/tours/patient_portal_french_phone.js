import { registry } from "@web/core/registry";

const FRENCH_DAY = /\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b/;
const ENGLISH_DAY = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;

/** A step that reads the text of ``trigger`` and fails unless it names a French day. */
function frenchDay(content, trigger) {
    return {
        content,
        trigger,
        run() {
            const text = this.anchor.textContent;
            if (!FRENCH_DAY.test(text) || ENGLISH_DAY.test(text)) {
                throw new Error(`not a French day: ${text.trim()}`);
            }
        },
    };
}

// A French patient of the Lyon clinic on a phone: the home page, booking and Today read French,
// with French day names. The records come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_patient_portal_french_phone", {
    steps: () => [
        {
            content: "My sessions reads French",
            trigger: ".o_clinic_portal h2:contains(Prochaines séances)",
        },
        frenchDay(
            "The upcoming session is dated in French",
            ".o_clinic_portal .o_clinic_session_item .fw-bold"
        ),
        {
            content: "Its state reads French",
            trigger: ".o_clinic_session_item .o_clinic_state:contains(Réservée)",
        },
        {
            content: "Home care reads French",
            trigger: ".o_clinic_portal h2:contains(Soins à la maison)",
        },
        {
            content: "Book a session",
            trigger: ".o_clinic_portal a.o_clinic_book_button:contains(Réserver une séance)",
            run: "click",
            expectUnloadPage: true,
        },
        frenchDay("The free times are listed under French days", ".o_clinic_book .o_clinic_day h3"),
        {
            content: "Back to My sessions",
            trigger: ".o_portal_submenu a[href='/my/clinic']:contains(Mes séances)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open Today",
            trigger: ".o_clinic_portal",
            run() {
                window.location.href = "/my/clinic/today";
            },
            expectUnloadPage: true,
        },
        {
            content: "Today reads French",
            trigger: ".o_clinic_today h3:contains(Aujourd'hui)",
        },
        frenchDay("Today is dated in French", ".o_clinic_today .o_clinic_today_date"),
    ],
});
