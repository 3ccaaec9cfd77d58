import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const SIDE_LABELS = {
    left: _t("left"),
    right: _t("right"),
    bilateral: _t("both sides"),
};

/**
 * The note's body chart: the clinic's body diagram (clinic.body.region._body_map, served by the
 * note's ``body_chart`` field), front and back. A click on a region or muscle adds a treated
 * line for it with the side clicked; what the note already charts is filled, what the
 * screening excludes is greyed out and cannot be clicked (the line's constraint refuses it
 * anyway).
 */
export class BodyChartField extends Component {
    static template = "trigger_point_clinic.BodyChartField";
    static props = { ...standardFieldProps };

    get chart() {
        return this.props.record.data[this.props.name] || { views: [], unmapped: [] };
    }

    get lines() {
        return this.props.record.data.line_ids;
    }

    get editable() {
        // The chart itself is computed (read-only); what it edits is the note's lines.
        return this.props.record.data.state !== "signed";
    }

    get charted() {
        const charted = new Set();
        for (const line of this.lines?.records || []) {
            const region = line.data.region_id?.id;
            if (!region) {
                continue;
            }
            const sides =
                line.data.side === "left" || line.data.side === "right"
                    ? [line.data.side]
                    : ["left", "right", "bilateral"];
            for (const side of sides) {
                charted.add(`${region}:${side}`);
            }
        }
        return charted;
    }

    isExcluded(regionId) {
        return (this.chart.excluded || []).includes(regionId);
    }

    shapeClass(shape, charted) {
        const classes = ["o_clinic_body_chart_shape", `o_kind_${shape.kind}`];
        if (this.isExcluded(shape.region_id)) {
            classes.push("o_excluded");
        } else if (charted.has(`${shape.region_id}:${shape.side}`)) {
            classes.push("o_charted");
        } else if (this.editable) {
            classes.push("o_clickable");
        }
        return classes.join(" ");
    }

    shapeTitle(shape) {
        const side = SIDE_LABELS[shape.side] || shape.side;
        const title = `${shape.name} (${side})`;
        return this.isExcluded(shape.region_id) ? `${title}: ${_t("excluded by the screening")}` : title;
    }

    async onShapeClick(regionId, side) {
        if (!this.editable || this.isExcluded(regionId) || this.charted.has(`${regionId}:${side}`)) {
            return;
        }
        // The technique and minutes of the line charted last: a session mostly repeats them.
        const last = this.lines.records.findLast((line) => line.data.technique);
        const context = { default_region_id: regionId, default_side: side };
        if (last) {
            context.default_technique = last.data.technique;
            context.default_minutes = last.data.minutes;
        }
        await this.lines.addNewRecord({
            context,
            position: "bottom",
            mode: "readonly",
        });
    }
}

export const bodyChartField = {
    component: BodyChartField,
    displayName: _t("Body chart"),
    supportedTypes: ["json"],
    fieldDependencies: [{ name: "state", type: "selection" }],
};

registry.category("fields").add("clinic_body_chart", bodyChartField);
