import { registry } from "@web/core/registry";
import { downloadsCalendar } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const MADE = ".o_clinic_calendar .o_clinic_feed_made input.o_clinic_feed_url";

// The addresses made during a tour: each new one replaces the one before.
const made = [];

/** The address shown once is a private feed address: kept, to be opened again later. */
function addressShown() {
    return {
        content: "The private address is shown once, to copy",
        trigger: MADE,
        run() {
            const url = this.anchor.value;
            if (!/\/clinic\/calendar\/[A-Za-z0-9_-]{20,}\.ics$/.test(url) || made.includes(url)) {
                throw new Error(`not a new private feed address: ${url}`);
            }
            made.push(url);
        },
    };
}

/** Address ``index`` of those made (-2: the one before the last) no longer opens. */
function answersNotFound(content, index) {
    return {
        content,
        trigger: ".o_clinic_calendar",
        async run() {
            const response = await fetch(made.at(index));
            if (response.status !== 404) {
                throw new Error(`${content}: ${made.at(index)} answered ${response.status}`);
            }
        },
    };
}

function makeAddress(label) {
    return {
        content: `Click "${label}"`,
        trigger: `.o_clinic_calendar button.o_clinic_feed_new:contains(${label})`,
        run: "click",
        expectUnloadPage: true,
    };
}

// A patient subscribes their calendar to their sessions from the portal: makes the private
// address, which opens as a calendar of their sessions; replaces it (the old one stops); turns
// the feed off; then downloads one session's .ics. The sessions come from test_screen_tours.py.
registry.category("web_tour.tours").add("trigger_point_clinic_patient_calendar_feed", {
    steps: () => {
        made.length = 0;
        return [
            {
                content: "My sessions link to the calendar page",
                trigger: ".o_clinic_portal a.o_clinic_calendar_link",
                run: "click",
                expectUnloadPage: true,
            },
            {
                content: "The page says what the feed shows, and that there is none yet",
                trigger:
                    ".o_clinic_calendar:contains(your therapist):contains(nothing of your health) " +
                    ".o_clinic_feed_off",
            },
            makeAddress("Make my calendar address"),
            addressShown(),
            downloadsCalendar("The address opens as a calendar of the patient's sessions", MADE, {
                expected: ["BEGIN:VEVENT", "Session with Tess Therapist"],
                absent: ["Tom Second", "Theo Therapist"],
            }),
            makeAddress("Make a new address"),
            addressShown(),
            downloadsCalendar("The new address opens", MADE),
            answersNotFound("The previous address no longer opens", -2),
            {
                content: "Turn the feed off",
                trigger: ".o_clinic_calendar button.o_clinic_feed_revoke",
                run: "click",
                expectUnloadPage: true,
            },
            {
                content: "The page says there is no feed",
                trigger: ".o_clinic_calendar .o_clinic_feed_off",
            },
            answersNotFound("The last address no longer opens either", -1),
            {
                content: "Back to My sessions",
                trigger: ".o_portal_submenu a[href='/my/clinic'], .breadcrumb a[href='/my/clinic']",
                run: "click",
                expectUnloadPage: true,
            },
            {
                content: "Open the booked session",
                trigger: ".o_clinic_portal .o_clinic_session_item",
                run: "click",
                expectUnloadPage: true,
            },
            downloadsCalendar(
                "Add to my calendar: the session's .ics downloads",
                ".o_clinic_session a.o_clinic_session_ics",
                { expected: ["BEGIN:VEVENT", "Session with Tess Therapist"] }
            ),
        ];
    },
});

// A therapist finds her own feed in Preferences › Calendar, follows it to the page that makes
// the address, and subscribes: her sessions, each patient by initials only.
registry.category("web_tour.tours").add("trigger_point_clinic_therapist_calendar_feed", {
    steps: () => {
        made.length = 0;
        return [
            {
                content: "Open the user menu",
                trigger: ".o_user_menu button",
                run: "click",
            },
            {
                content: "Open the preferences",
                trigger: ".dropdown-item[data-menu=preferences]",
                run: "click",
            },
            {
                content: "Open the Calendar tab",
                trigger: ".o_form_view .o_notebook .nav-link:text(Calendar)",
                run: "click",
            },
            {
                content: "Her clinic calendar is there, a link to the page of her feed",
                trigger:
                    ".o_form_view .o_field_widget[name=clinic_calendar_url] " +
                    "a[href$='/my/clinic/calendar']",
                run() {
                    // The link opens in a new tab; the tour follows it in this one.
                    window.location.href = this.anchor.href;
                },
                expectUnloadPage: true,
            },
            {
                content: "The page says patients are named by their initials only",
                trigger: ".o_clinic_calendar:contains(initials only) .o_clinic_feed_off",
            },
            makeAddress("Make my calendar address"),
            addressShown(),
            downloadsCalendar("The address opens as a calendar of her sessions", MADE, {
                expected: ["BEGIN:VEVENT", "Session: S. S."],
                absent: ["Sol Session", "Tom Second", "T. S."],
            }),
        ];
    },
});
