import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

const { DateTime } = luxon;

const CARD = ".o_kanban_view .o_kanban_record";

/** The day shown lists the session of ``shown`` and not that of ``hidden``. */
function dayShows(content, shown, hidden) {
    return {
        content,
        trigger:
            `.o_kanban_renderer:has(.o_kanban_record:contains(${shown}))` +
            `:not(:has(.o_kanban_record:contains(${hidden})))`,
    };
}

// My Day on a 390 x 844 phone: each session's patient, service, screening and alerts on its
// card, another day with previous / next and the date picker, the note one tap away. Records
// come from test_charting_tours.py.
registry.category("web_tour.tours").add("trigger_point_clinic_my_day_phone", {
    steps: () => [
        {
            content: "Today's card shows the patient",
            trigger: `${CARD}:contains(Pia Pain)`,
        },
        {
            content: "… the service",
            trigger: `${CARD}:contains(Pia Pain):contains(Trigger point therapy session)`,
        },
        {
            content: "… the screening verdict",
            trigger: `${CARD}:contains(Pia Pain):contains(Cleared with precautions)`,
        },
        {
            content: "… what to avoid and the maximum pressure",
            trigger:
                `${CARD}:contains(Pia Pain):has(.o_tag:contains(Leg))` +
                ":contains(Max. Moderate)",
        },
        {
            content: "The day reads today",
            trigger: ".o_clinic_my_day_nav .o_clinic_day_label:contains(Today)",
        },
        {
            content: "Go to the next day",
            trigger: ".o_clinic_my_day_nav .o_clinic_day_next",
            run: "click",
        },
        dayShows("Tomorrow's session is listed, today's is not", "Nico Next", "Pia Pain"),
        {
            content: "Back to the previous day",
            trigger: ".o_clinic_my_day_nav .o_clinic_day_previous",
            run: "click",
        },
        dayShows("Today again", "Pia Pain", "Nico Next"),
        {
            content: "Pick tomorrow in the date picker",
            trigger: ".o_clinic_my_day_nav .o_clinic_day_picker input",
            run: `edit ${formatDate(DateTime.local().plus({ days: 1 }))} && press Enter`,
        },
        dayShows("The picked day is shown", "Nico Next", "Pia Pain"),
        {
            content: "Back to today",
            trigger: ".o_clinic_my_day_nav .o_clinic_day_previous",
            run: "click",
        },
        {
            content: "Today's card again",
            trigger: `${CARD}:contains(Pia Pain)`,
        },
        {
            content: "Open the note of today's session in one tap",
            trigger: `${CARD}:contains(Pia Pain) button[name=action_open_treatment_note]`,
            run: "click",
        },
        {
            content: "The treatment note opens",
            trigger: ".o_form_view .o_field_widget[name=line_ids]",
        },
    ],
});
