import { registry } from "@web/core/registry";
import { discardNewSession, openDaySchedule } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const { DateTime } = luxon;

/** The Sunday of the timeline's week from today: the clinic never works on Sundays. */
function nextSunday() {
    const today = DateTime.local().startOf("day");
    return today.plus({ days: (7 - today.weekday) % 7 });
}

/** A click on the all-day cell of a day of the calendar's week, as FullCalendar reads it. */
function clickDay(selector) {
    const cell = document.querySelector(selector);
    const box = cell.getBoundingClientRect();
    const at = { bubbles: true, which: 1, button: 0, clientX: box.x + 5, clientY: box.y + 5 };
    const target = document.elementFromPoint(at.clientX, at.clientY);
    target.dispatchEvent(new MouseEvent("mousedown", at));
    target.dispatchEvent(new MouseEvent("mouseup", at));
}

// A day with no session says so, on the day schedule and on the calendar, rather than a blank
// area; the calendar's booking dialog is titled as a session (test_desk_checkout_tours.py).
registry.category("web_tour.tours").add("trigger_point_clinic_schedule_empty_day", {
    steps: () => [
        ...openDaySchedule(),
        {
            content: "Show the week",
            trigger: ".oe_timeline_button_scale_week",
            run: "click",
        },
        {
            content: "Sunday says it has no session",
            trigger: `.vis-item.vis-background:contains(No sessions booked on ${nextSunday().toFormat("cccc d LLLL")})`,
        },
        {
            content: "Switch to the calendar",
            trigger: ".o_switch_view.o_calendar",
            run: "click",
        },
        {
            content: "The calendar's Sunday says it has no session",
            trigger: ".fc-bg-event.o_clinic_calendar_empty_day:contains(No sessions booked on Sunday)",
        },
        {
            content: "Book on a day of the week",
            trigger: ".fc-timegrid .fc-daygrid-day.fc-day-sun",
            run: () => clickDay(".fc-timegrid .fc-daygrid-day.fc-day-sun"),
        },
        ...discardNewSession(),
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
