import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarController } from "@web/views/calendar/calendar_controller";
import { CalendarRenderer } from "@web/views/calendar/calendar_renderer";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";
import { CalendarQuickCreate } from "@web/views/calendar/quick_create/calendar_quick_create";
import { emptyDayMessage } from "./clinic_schedule_timeline";

const EMPTY_DAY = "o_clinic_calendar_empty_day";

/** Odoo's quick create, titled as what it books. */
export class ClinicSessionQuickCreate extends CalendarQuickCreate {
    get dialogTitle() {
        return _t("New Session");
    }
}

/** The sessions' calendar: every booking dialog (a selected slot, a click on a day, the quick
 * create) is titled "New Session", not Odoo's generic "New Event". */
export class ClinicSessionCalendarController extends CalendarController {
    static components = { ...CalendarController.components, QuickCreate: ClinicSessionQuickCreate };

    get editRecordDefaultDisplayText() {
        return _t("New Session");
    }

    getQuickCreateFormViewProps(record) {
        return { ...super.getQuickCreateFormViewProps(record), title: _t("New Session") };
    }
}

/** Each visible day without a session says so (in the day's all-day cell, shaded), rather
 * than a blank column: a background event, which a click goes through to book. */
export class ClinicSessionCommonRenderer extends CalendarCommonRenderer {
    mapRecordsToEvents() {
        const events = super.mapRecordsToEvents();
        const { model } = this.props;
        const busy = new Set(Object.values(model.records).map((record) => record.start.toISODate()));
        for (let day = model.rangeStart.startOf("day"); day < model.rangeEnd; ) {
            const next = day.plus({ days: 1 });
            if (!busy.has(day.toISODate())) {
                events.push({
                    id: `${EMPTY_DAY}_${day.toISODate()}`,
                    title: emptyDayMessage(day),
                    start: day.toISODate(),
                    end: next.toISODate(),
                    allDay: true,
                    display: "background",
                    classNames: [EMPTY_DAY],
                });
            }
            day = next;
        }
        return events;
    }
}

export class ClinicSessionCalendarRenderer extends CalendarRenderer {
    static components = {
        ...CalendarRenderer.components,
        day: ClinicSessionCommonRenderer,
        week: ClinicSessionCommonRenderer,
        month: ClinicSessionCommonRenderer,
    };
}

registry.category("views").add("clinic_session_calendar", {
    ...calendarView,
    Controller: ClinicSessionCalendarController,
    Renderer: ClinicSessionCalendarRenderer,
});
