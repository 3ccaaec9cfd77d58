import { registry } from "@web/core/registry";
import { discardNewSession, openDaySchedule } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";


/** The selector of the timeline's row of ``name`` (its label and its row share their rank). */
function rowOf(name) {
    const labels = [...document.querySelectorAll(".vis-labelset .vis-label")];
    const rank = labels.findIndex((label) => label.textContent.includes(name)) + 1;
    return `.vis-foreground > .vis-group:nth-child(${rank})`;
}

/** Select the session (the step's anchor), as vis-timeline drags only a selected item, then drag
 * it into the row of ``name``, at the same time. */
function dragToRow(name) {
    return async function (helpers) {
        await helpers.click();
        const item = await new Promise((resolve) => {
            const find = () => {
                const selected = document.querySelector(".vis-item.vis-selected");
                return selected ? resolve(selected) : setTimeout(find, 50);
            };
            find();
        });
        helpers.anchor = item;
        const row = rowOf(name);
        const left =
            item.getBoundingClientRect().left -
            document.querySelector(row).getBoundingClientRect().left +
            20;
        await helpers.drag_and_drop(row, { position: { left, top: 20 }, relative: true });
    };
}

// The front desk's schedule: a row per therapist; dragging Sol's session onto Theo, who is
// busy then, is refused before anything is written; onto Tina it lands, and is undone. The
// sessions come from the Python test (test_desk_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_schedule", {
    steps: () => [
        ...openDaySchedule(),
        {
            content: "A row per therapist",
            trigger: ".vis-labelset .vis-label:contains(Tina Third)",
        },
        {
            content: "Book from the New button",
            trigger: ".o_control_panel .o_clinic_schedule_new",
            run: "click",
        },
        ...discardNewSession(),
        {
            content: "Drag Sol's session onto Theo, who has Tom then",
            trigger: "body:not(:has(.modal)) .vis-item:contains(Sol Session)",
            run: dragToRow("Theo Therapist"),
        },
        {
            content: "The clash is refused with its message",
            trigger: ".o_notification:contains(Theo Therapist is already booked)",
        },
        {
            content: "Drag it onto Tina, who is free",
            trigger: ".o_notification:contains(already booked) ~ * .vis-item:contains(Sol Session), .vis-item:contains(Sol Session)",
            run: dragToRow("Tina Third"),
        },
        {
            content: "The move lands and can be undone",
            trigger: ".o_notification:contains(Session moved) button:contains(Undo)",
            run: "click",
        },
        {
            content: "Undone",
            trigger: "body:not(:has(.o_notification:contains(Session moved)))",
        },
    ],
});
