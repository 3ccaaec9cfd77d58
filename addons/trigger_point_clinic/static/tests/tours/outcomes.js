import { registry } from "@web/core/registry";
import { openClinicApp, openMenu } from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";
import { runMenu } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const NRS = ".o_clinic_outcome_chart[data-code=nrs]";
const PPT = ".o_clinic_outcome_chart[data-code=ppt]";

function openSolsEpisode() {
    return [
        ...openMenu("clinic_menu_patients", "clinic_episode_menu", "Episodes of Care"),
        {
            content: "Open Sol's episode",
            trigger: ".o_data_row td[name=patient_id]:contains(Sol Session)",
            run: "click",
        },
        {
            content: "The episode opens",
            trigger: ".o_form_view .o_field_widget[name=patient_id]:contains(Sol Session)",
        },
    ];
}

// A therapist opens her patient's episode: is this working? The charts answer, against the
// NRS's line of important change and the PPT's measurement error; records from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_outcomes_therapist", {
    steps: () => [
        ...openClinicApp(),
        ...openSolsEpisode(),
        {
            content: "The outcome table says the patient improved",
            trigger: ".o_clinic_outcomes .badge:text(Improved)",
        },
        {
            content: "The NRS chart has three sessions on its dated axis",
            trigger: `${NRS}:has(circle.o_clinic_point:nth-of-type(3)) text.o_clinic_date`,
        },
        {
            content: "and the line of clinically important change at 5 (7 - 2 points)",
            trigger: `${NRS} text.o_clinic_mcid_label[data-value='5']:text(MCID 5)`,
        },
        {
            content: "The PPT chart draws the measurement error around the baseline",
            trigger: `${PPT} rect.o_clinic_mdc_band[data-low='0.88'][data-high='2.12']`,
        },
        {
            content: "labelled MDC",
            trigger: `${PPT} text.o_clinic_mdc_label:text(MDC ±0.62)`,
        },
    ],
});

// A manager reads what works, exports the outcomes for research and sends the letter to the
// referring physician.
registry.category("web_tour.tours").add("trigger_point_clinic_outcomes_manager", {
    steps: () => [
        ...openClinicApp(),
        ...openMenu("clinic_menu_reporting", "clinic_what_works_menu", "What Works"),
        {
            content: "The upper trapezius row: one episode",
            trigger: ".o_pivot tr:has(th:contains(Upper trapezius)) td:text(1)",
        },
        ...runMenu(
            "clinic_menu_reporting",
            "clinic_research_export_generate_menu",
            "Export outcomes for research"
        ),
        {
            content: "The export holds one episode",
            trigger: ".o_form_view .o_field_widget[name=episode_count]:text(1)",
        },
        {
            content: "and its CSV file to download",
            trigger: ".o_form_view .o_field_widget[name=csv_file]:contains(.csv)",
        },
        ...openSolsEpisode(),
        {
            content: "The charts are on the manager's screen too",
            trigger: `${NRS} circle.o_clinic_point`,
        },
        {
            content: "Send the letter to the physician",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_send_letter]",
            run: "click",
        },
        {
            content: "The letter is in the chatter, addressed to the physician, with its PDF",
            trigger:
                ".o-mail-Message:contains(please find attached our progress letter)" +
                ":has(.o-mail-AttachmentContainer, .o-mail-AttachmentCard, .o-mail-AttachmentImage, [title*='Letter'])",
        },
    ],
});
