import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { TimelineView } from "@web_timeline/views/timeline/timeline_view.esm";
import { TimelineController } from "@web_timeline/views/timeline/timeline_controller.esm";
import { TimelineRenderer } from "@web_timeline/views/timeline/timeline_renderer.esm";
import { makeContext } from "@web/core/context";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";

const { DateTime } = luxon;

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

ClinicScheduleController.template = "trigger_point_clinic.ClinicScheduleView";

registry.category("views").add("clinic_schedule_timeline", {
    ...TimelineView,
    Controller: ClinicScheduleController,
    Renderer: ClinicScheduleRenderer,
});
