import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { TimelineView } from "@web_timeline/views/timeline/timeline_view.esm";
import { TimelineController } from "@web_timeline/views/timeline/timeline_controller.esm";
import { TimelineRenderer } from "@web_timeline/views/timeline/timeline_renderer.esm";
import { makeContext } from "@web/core/context";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";

const { DateTime } = luxon;

// Days of a wider window are not marked one by one (a year would be 365 labels).
const MAX_MARKED_DAYS = 31;
const EMPTY_DAY = "o_clinic_schedule_empty_day";

// Only these may change when a session is dragged: its time, and the therapist or room it is
// grouped by (models/clinic_session_schedule.py checks the move before anything is written).
const MOVABLE_GROUPS = ["therapist_id", "room_id"];

export class ClinicScheduleController extends TimelineController {
    setup() {
        super.setup();
        this.notification = this.env.services.notification;
    }

    /** Book a session from the button, or from a slot selected on the timeline (its time and
     * its therapist or room as defaults), in a dialog titled as a session. */
    openNewSession(defaults = {}, onClose = () => {}) {
        this.dialogService.add(
            FormViewDialog,
            {
                resModel: this.model.model_name,
                title: _t("New Session"),
                context: makeContext([defaults], this.env.searchModel.context),
                onRecordSaved: async () => {
                    await this.model.load(this.getSearchProps());
                    this.render();
                },
            },
            { onClose }
        );
    }

    onNewClick() {
        this.openNewSession();
    }

    _onAdd(item, callback) {
        const defaults = {};
        const start = DateTime.fromJSDate(item.start);
        defaults.default_start = this.model.serializeDate("start", start);
        defaults.default_stop = this.model.serializeDate(
            "stop",
            item.end ? DateTime.fromJSDate(item.end) : start.plus({ hours: 1 })
        );
        const grouped = this.model.last_group_bys[0];
        if (item.group > 0 && MOVABLE_GROUPS.includes(grouped)) {
            defaults[`default_${grouped}`] = item.group;
        }
        this.openNewSession(defaults, () => callback(null));
    }

    /** Each dragged session is checked before it is written: a refused move goes back to its
     * place with the clinic's message; a move that lands can be undone. */
    async internalMove() {
        const queue = this.moveQueue.slice();
        this.moveQueue = [];
        let moved = false;
        for (const { id, data, item, callback } of queue) {
            const grouped = this.model.last_group_bys[0];
            if (grouped in data && !MOVABLE_GROUPS.includes(grouped)) {
                delete data[grouped];
            }
            const refusal = await this.model.orm.call(this.model.model_name, "check_schedule_move", [
                [id],
                data,
            ]);
            if (refusal) {
                callback(null);
                this.notification.add(refusal, { type: "danger", title: _t("Not moved") });
                continue;
            }
            const before = { start: item.evt.start, stop: item.evt.stop };
            for (const name of MOVABLE_GROUPS) {
                if (name in data) {
                    before[name] = item.evt[name] && item.evt[name][0];
                }
            }
            await this.model.write_completed(id, data);
            moved = true;
            callback(item);
            const close = this.notification.add(_t("Session moved."), {
                type: "success",
                autocloseDelay: 8000,
                buttons: [
                    {
                        name: _t("Undo"),
                        primary: true,
                        onClick: async () => {
                            close();
                            await this.model.write_completed(id, before);
                            await this.model.load(this.getSearchProps());
                            this.render();
                        },
                    },
                ],
            });
        }
        // A refused move changed nothing: the timeline is left as it is (and its selection).
        if (moved) {
            await this.model.load(this.getSearchProps());
            this.render();
        }
    }
}

/** A row for every therapist (or room), free or not: a session can be dragged to a therapist
 * who has nothing booked yet. */
export class ClinicScheduleRenderer extends TimelineRenderer {
    init_timeline() {
        super.init_timeline();
        this.timeline.on("rangechanged", () => this.markEmptyDays());
    }

    async on_data_loaded(records, adjust_window) {
        await super.on_data_loaded(records, adjust_window);
        this.markEmptyDays();
    }

    /** Each visible day without a session says so, across every row, rather than leaving a
     * blank area: a background item (not clickable: a double-click there still books). */
    markEmptyDays() {
        const items = this.timeline && this.timeline.itemsData;
        if (!items) {
            return;
        }
        items.remove(items.getIds({ filter: (item) => item.className === EMPTY_DAY }));
        const busy = new Set(
            items.get().map((item) => DateTime.fromJSDate(new Date(item.start)).toISODate())
        );
        const window = this.timeline.getWindow();
        const last = DateTime.fromJSDate(window.end);
        let day = DateTime.fromJSDate(window.start).startOf("day");
        const empty = [];
        for (let count = 0; day < last && count < MAX_MARKED_DAYS; count++) {
            if (!busy.has(day.toISODate())) {
                empty.push({
                    id: `${EMPTY_DAY}_${day.toISODate()}`,
                    type: "background",
                    className: EMPTY_DAY,
                    start: day.toJSDate(),
                    end: day.plus({ days: 1 }).toJSDate(),
                    content: emptyDayMessage(day),
                });
            }
            day = day.plus({ days: 1 });
        }
        items.add(empty);
    }

    async split_groups(records) {
        const grouped = this.model.last_group_bys[0];
        if (!MOVABLE_GROUPS.includes(grouped)) {
            return super.split_groups(records);
        }
        const rows = await this.orm.searchRead(
            this.model.fields[grouped].relation,
            [],
            ["display_name"],
            { order: "name, id" }
        );
        return rows.map((row, rank) => ({ id: row.id, content: row.display_name, order: rank }));
    }
}

/** "No sessions booked on Tuesday 8 December", in the user's language. */
export function emptyDayMessage(day) {
    return _t("No sessions booked on %(day)s", {
        day: day.toFormat("cccc d LLLL"),
    });
}

ClinicScheduleController.template = "trigger_point_clinic.ClinicScheduleView";

registry.category("views").add("clinic_schedule_timeline", {
    ...TimelineView,
    Controller: ClinicScheduleController,
    Renderer: ClinicScheduleRenderer,
});
