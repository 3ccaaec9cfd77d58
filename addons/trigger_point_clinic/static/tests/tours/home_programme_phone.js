import { registry } from "@web/core/registry";

/** Tap ``pain`` on the practice of ``region`` and press Done. */
function logPractice(region, pain) {
    const card = `.o_clinic_practice[data-region-code=${region}]`;
    return [
        {
            content: `Tap ${pain} on the pain felt at ${region}`,
            trigger: `${card} .o_clinic_practice_log label[for$='_${pain}']`,
            run: "click",
        },
        {
            content: `Done: ${region}`,
            trigger: `${card} input[name=pain][value='${pain}']:checked`,
            run() {
                document.querySelector(`${card} .o_clinic_practice_submit`).click();
            },
            expectUnloadPage: true,
        },
        {
            content: `${region} counts one practice done today`,
            trigger: `${card} .o_clinic_practice_done:contains(1 / 2 done)`,
        },
    ];
}

// The patient's Today on a phone (test_home_tours.py): two practices logged with the pain
// felt, then the daily check with a swollen calf.
registry.category("web_tour.tours").add("trigger_point_clinic_home_programme_phone", {
    steps: () => [
        {
            content: "Today shows the practices, the pressure cap and the body diagram",
            trigger:
                ".o_clinic_today:has(.o_clinic_today_cap:contains(moderate))" +
                ":has(.o_clinic_practice[data-region-code=upper_trapezius] .o_clinic_body_map_shape.o_marked)",
        },
        ...logPractice("upper_trapezius", 6),
        ...logPractice("piriformis", 3),
        {
            content: "The daily check: no to everything but a swollen, painful calf",
            trigger: ".o_clinic_daily_check fieldset:contains(calves) label[for$='_yes']",
            run() {
                for (const label of document.querySelectorAll(
                    ".o_clinic_daily_check label[for$='_no']"
                )) {
                    label.click();
                }
                for (const fieldset of document.querySelectorAll(".o_clinic_daily_check fieldset")) {
                    if (fieldset.textContent.includes("calves")) {
                        fieldset.querySelector("label[for$='_yes']").click();
                    }
                }
            },
        },
        {
            content: "Send the answers",
            trigger: ".o_clinic_daily_check fieldset:contains(calves) input[value=yes]:checked",
            run() {
                document.querySelector(".o_clinic_daily_check_submit").click();
            },
            expectUnloadPage: true,
        },
        {
            content: "The programme is paused; the patient is told to call the clinic, or emergency services",
            trigger:
                ".o_clinic_today_paused:contains(contact the clinic):contains(call emergency services)",
        },
        {
            content: "No practice can be logged while paused",
            trigger: ".o_clinic_today:not(:has(.o_clinic_practice_log))",
        },
    ],
});

// The therapist, on a desktop, after the red flag: the re-screening activity, then the
// patient's adherence and pain series.
registry.category("web_tour.tours").add("trigger_point_clinic_home_programme_therapist", {
    steps: () => [
        {
            content: "Open the activities",
            trigger: ".o_menu_systray i[aria-label=Activities]",
            run: "click",
        },
        {
            content: "A re-screening waits",
            trigger: ".o-mail-ActivityGroup:contains(Daily Check)",
            run: "click",
        },
        {
            content: "Open the paused check",
            trigger: ".o_data_row:has([name=state]:contains(Paused)) [name=patient_id]",
            run: "click",
        },
        {
            content: "The check says what the patient answered yes to",
            trigger: ".o_form_view [name=flagged_ids] .o_tag:contains(Deep vein thrombosis)",
        },
        {
            content: "Open the patient",
            trigger: ".o_form_view [name=patient_id] a",
            run: "click",
        },
        {
            content: "The patient's form shows the programme paused, the adherence and the pain series",
            trigger:
                ".o_form_view:has(.o_clinic_home_adherence td:contains(%))" +
                ":has(.o_clinic_pain_chart[data-region-code=upper_trapezius] .o_clinic_pain_home)" +
                ":has(.o_clinic_pain_chart[data-region-code=piriformis])" +
                ":has(.o_clinic_home_paused)",
        },
        {
            content: "Back to the paused check",
            trigger: ".o_breadcrumb .breadcrumb-item.o_back_button",
            run: "click",
        },
        {
            content: "The therapist re-screened the patient: resume",
            trigger: ".o_form_view button[name=action_rescreened]",
            run: "click",
        },
        {
            content: "Confirm the re-screening",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The check is closed: read-only, re-screened, with its Closed At",
            trigger:
                ".o_form_view .o_form_readonly" +
                ":has(.o_statusbar_status .o_arrow_button_current:contains(Re-screened))" +
                ":not(:has(button[name=action_rescreened]))" +
                ":has(.o_form_label:contains(Closed At))" +
                " .o_field_widget[name=date_closed] span:not(:empty)",
        },
    ],
});
