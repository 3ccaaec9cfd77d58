import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

const SVG = "http://www.w3.org/2000/svg";

/**
 * The intake's pain map: the clinic's body diagram (the shared body_map template), where the
 * patient taps a region and then its score. The score goes into the region's own number field,
 * the one the form posts with or without this script (the "Or type the scores" fields), and the
 * region is drawn marked with its score, as the server draws it after a refused submission.
 */
export class IntakePainMap extends Interaction {
    static selector = ".o_clinic_intake_form";
    dynamicContent = {
        ".o_clinic_pain_map .o_clinic_body_map_shape": { "t-on-click": this.pick },
        ".o_clinic_pain_score": { "t-on-click": this.score },
        ".o_clinic_pain_input": { "t-on-change": this.redraw },
    };

    setup() {
        this.code = null;
        this.picker = this.el.querySelector(".o_clinic_pain_picker");
    }

    start() {
        this.redraw();
    }

    input(code) {
        return this.el.querySelector(`.o_clinic_pain_input[data-region-code="${code}"]`);
    }

    pick(ev) {
        const shape = ev.currentTarget;
        const code = shape.dataset.regionCode;
        if (!this.input(code)) {
            return;
        }
        this.code = code;
        this.picker.querySelector(".o_clinic_pain_region").textContent =
            shape.querySelector("title")?.textContent || code;
        this.picker.classList.remove("d-none");
        this.picker.scrollIntoView({ block: "nearest" });
    }

    score(ev) {
        const field = this.code && this.input(this.code);
        if (field) {
            field.value = ev.currentTarget.dataset.score;
        }
        this.picker.classList.add("d-none");
        this.code = null;
        this.redraw();
    }

    redraw() {
        for (const shape of this.el.querySelectorAll(".o_clinic_pain_map .o_clinic_body_map_shape")) {
            const field = this.input(shape.dataset.regionCode);
            const value = field ? field.value.trim() : "";
            const marked = value !== "";
            const ellipse = shape.querySelector("ellipse");
            shape.classList.toggle("o_marked", marked);
            ellipse.setAttribute("fill", marked ? "#d9534f" : "transparent");
            ellipse.setAttribute("fill-opacity", marked ? "0.35" : "0");
            ellipse.setAttribute("stroke", marked ? "#a94442" : "none");
            let text = shape.querySelector("text");
            if (marked && !text) {
                text = document.createElementNS(SVG, "text");
                text.setAttribute("x", ellipse.getAttribute("cx"));
                text.setAttribute("y", Number(ellipse.getAttribute("cy")) + 4);
                text.setAttribute("text-anchor", "middle");
                text.setAttribute("font-size", "11");
                text.setAttribute("font-weight", "bold");
                text.setAttribute("fill", "#fff");
                shape.appendChild(text);
            }
            if (text) {
                text.textContent = marked ? value : "";
            }
            shape.style.cursor = field ? "pointer" : "";
        }
    }
}

registry
    .category("public.interactions")
    .add("trigger_point_clinic.intake_pain_map", IntakePainMap);
