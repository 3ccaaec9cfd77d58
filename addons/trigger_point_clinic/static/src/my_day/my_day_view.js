import { Component } from "@odoo/owl";
import { Domain } from "@web/core/domain";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { serializeDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { SearchModel } from "@web/search/search_model";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";

const { DateTime } = luxon;

/**
 * My Day for any day: the search model adds the day shown to the view's domain. Without a
 * chosen day, the clinic's own today (``is_today``, its local day on the server, whatever the
 * browser's clock says); after "previous", "next" or the date picker, that local day.
 */
export class MyDaySearchModel extends SearchModel {
    setup() {
        super.setup(...arguments);
        this.clinicDay = null;
    }

    _getDomain(params = {}) {
        const day = this.clinicDay
            ? [["local_date", "=", this.clinicDay]]
            : [["is_today", "=", true]];
        const domain = Domain.and([super._getDomain({ ...params, raw: true }), day]);
        return params.raw ? domain : domain.toList(this.domainEvalContext);
    }

    exportState() {
        return { ...super.exportState(), clinicDay: this.clinicDay };
    }

    _importState(state) {
        super._importState(state);
        this.clinicDay = state.clinicDay || null;
    }

    /** The day shown, as a luxon date (today's browser date until another is chosen). */
    get shownDay() {
        return this.clinicDay ? DateTime.fromISO(this.clinicDay) : DateTime.local().startOf("day");
    }

    showDay(day) {
        const today = DateTime.local().startOf("day");
        this.clinicDay = day && !day.hasSame(today, "day") ? serializeDate(day) : null;
        this._notify();
    }
}

export class MyDayNavigation extends Component {
    static template = "trigger_point_clinic.MyDayNavigation";
    static components = { DateTimeInput };
    static props = {};

    get searchModel() {
        return this.env.searchModel;
    }

    get day() {
        return this.searchModel.shownDay;
    }

    get isToday() {
        return !this.searchModel.clinicDay;
    }

    get label() {
        return this.day.toFormat("cccc d LLLL");
    }

    move(days) {
        this.searchModel.showDay(this.day.plus({ days }));
    }

    onPick(day) {
        if (day) {
            this.searchModel.showDay(day);
        }
    }
}

export class MyDayKanbanRenderer extends KanbanRenderer {
    static template = "trigger_point_clinic.MyDayKanbanRenderer";
    static components = { ...KanbanRenderer.components, MyDayNavigation };
}

export class MyDayListRenderer extends ListRenderer {
    static template = "trigger_point_clinic.MyDayListRenderer";
    static components = { ...ListRenderer.components, MyDayNavigation };
}

registry.category("views").add("clinic_my_day_kanban", {
    ...kanbanView,
    SearchModel: MyDaySearchModel,
    Renderer: MyDayKanbanRenderer,
});

registry.category("views").add("clinic_my_day_list", {
    ...listView,
    SearchModel: MyDaySearchModel,
    Renderer: MyDayListRenderer,
});
