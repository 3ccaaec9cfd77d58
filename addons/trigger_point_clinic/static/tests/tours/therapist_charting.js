import { registry } from "@web/core/registry";
import { statusIs } from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

const LINES = ".o_form_view .o_field_widget[name=line_ids]";
// The most clicks a two-region note may take (issue 23: Jane charts one in about 15).
const MOST_CLICKS = 15;

let clicks = 0;

/** A click the therapist makes: counted. */
function tap(content, trigger) {
    return {
        content,
        trigger,
        async run(helpers) {
            clicks += 1;
            await helpers.click();
        },
    };
}

/** A row's cell (1-based row), clicked to edit it, then ``text`` typed: one counted click. */
function typeInCell(row, name, text) {
    return [
        tap(`Click ${name} of line ${row}`, `${LINES} .o_data_row:nth-child(${row}) td[name=${name}]`),
        {
            content: `Type ${text} in ${name}`,
            trigger: `${LINES} .o_data_row:nth-child(${row}).o_selected_row [name=${name}] input`,
            run: `edit ${text}`,
        },
    ];
}

function isEmpty(content, trigger) {
    return {
        content,
        trigger,
        run() {
            if (this.anchor.textContent.trim()) {
                throw new Error(`${content}: it reads "${this.anchor.textContent.trim()}"`);
            }
        },
    };
}

// A therapist charts a two-region note on a 1024 x 768 tablet from My Day: copy the previous
// note forward, add a region on the body chart, enter the pain scores, lower a pressure, sign.
// Records come from test_charting_tours.py.
registry.category("web_tour.tours").add("trigger_point_clinic_therapist_charting", {
    steps: () => {
        clicks = 0;
        return [
            {
                content: "My Day lists Pia's session with her service and screening",
                trigger:
                    ".o_list_view .o_data_row:has([name=patient_id]:contains(Pia Pain))" +
                    ":has([name=patient_screening_verdict]:contains(Cleared with precautions))",
            },
            tap(
                "Open the treatment note from My Day",
                ".o_list_view .o_data_row:contains(Pia Pain) button[name=action_open_treatment_note]"
            ),
            {
                content: "The body chart greys out the legs the screening excludes",
                trigger:
                    ".o_clinic_body_chart g.o_excluded[data-region-code=gastrocnemius]" +
                    ":not(.o_clickable)",
            },
            tap(
                "Copy the previous note",
                ".o_form_view .o_statusbar_buttons button[name=action_copy_previous_note]:enabled"
            ),
            {
                content: "The previous note's region and technique are copied",
                trigger:
                    `${LINES} .o_data_row:nth-child(1):has([name=region_id]:contains(Upper trapezius))` +
                    ":has([name=technique]:contains(Stretching)):not(:has(.o_data_row:nth-child(2)))",
            },
            isEmpty(
                "The copied line's NRS before is empty",
                `${LINES} .o_data_row:nth-child(1) td[name=pain_before]`
            ),
            tap(
                "Chart the left piriformis on the body chart",
                ".o_clinic_body_chart g.o_clickable[data-region-code=piriformis][data-side=left]"
            ),
            {
                content: "A second line: the piriformis, left, with the same technique",
                trigger:
                    `${LINES} .o_data_row:nth-child(2):has([name=region_id]:contains(Piriformis))` +
                    ":has([name=side]:contains(Left)):has([name=technique]:contains(Stretching))",
            },
            {
                content: "The piriformis is marked on the chart",
                trigger: ".o_clinic_body_chart g.o_charted[data-region-code=piriformis][data-side=left]",
            },
            {
                content: "Each line fits in one row of the tablet: no sideways scrolling",
                trigger: `${LINES} .o_list_renderer`,
                run() {
                    const table = this.anchor.querySelector("table");
                    if (table.scrollWidth > this.anchor.clientWidth + 1) {
                        throw new Error(
                            `The lines are ${table.scrollWidth} px wide in ${this.anchor.clientWidth} px`
                        );
                    }
                },
            },
            ...typeInCell(1, "pain_before", "6"),
            isEmpty(
                "NRS after stays empty until entered",
                `${LINES} .o_data_row:nth-child(1) [name=pain_after] input`
            ),
            ...typeInCell(1, "pain_after", "3"),
            ...typeInCell(2, "pain_before", "5"),
            ...typeInCell(2, "pain_after", "2"),
            tap(
                "Open the pressures of the piriformis",
                `${LINES} .o_data_row:nth-child(2) [name=pressure] .o_select_menu_toggler`
            ),
            {
                content: "Only the pressures Pia's cap allows are offered",
                trigger:
                    ".o_select_menu_menu:has(.o_select_menu_item:contains(Light))" +
                    ":has(.o_select_menu_item:contains(Moderate))" +
                    ":not(:has(.o_select_menu_item:contains(Deep)))" +
                    ":not(:has(.o_select_menu_item:contains(Firm)))",
            },
            tap("Choose Light", ".o_select_menu_menu .o_select_menu_item:contains(Light)"),
            tap("Save", ".o_form_view .o_form_button_save:enabled"),
            { content: "Saved", trigger: ".o_form_view .o_form_saved" },
            tap("Sign", ".o_form_view .o_statusbar_buttons button[name=action_sign]:enabled"),
            tap("Confirm the signature", ".modal .modal-footer .btn-primary"),
            statusIs("Signed"),
            {
                content: "The signed note still shows its body chart, read-only",
                trigger:
                    ".o_clinic_body_chart g.o_charted[data-region-code=piriformis][data-side=left]",
                run() {
                    if (document.querySelector(".o_clinic_body_chart g.o_clickable")) {
                        throw new Error("A signed note's body chart offers regions to chart");
                    }
                },
            },
            {
                content: `A two-region note in ${MOST_CLICKS} clicks at most`,
                trigger: ".o_form_view",
                run() {
                    console.log(`clinic charting clicks: ${clicks}`);
                    if (clicks > MOST_CLICKS) {
                        throw new Error(`The note took ${clicks} clicks, more than ${MOST_CLICKS}`);
                    }
                },
            },
        ];
    },
});
