import { registry } from "@web/core/registry";
import { clickHeaderButton, openClinicApp, openMenu, pickChoice, pickRecord, saveForm, statusIs } from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

const LINES = ".o_form_view .o_field_widget[name=line_ids]";
// What the manager writes in the template, and the therapist then finds on the note.
const HEADING = "Where does it hurt today, and since when?";

// A manager makes the note template of the 60-minute session: each region starts with
// myofascial release for 12 minutes, and the subjective part asks where it hurts.
registry.category("web_tour.tours").add("trigger_point_clinic_note_template", {
    steps: () => [
        ...openClinicApp(),
        ...openMenu("clinic_menu_configuration", "clinic_treatment_note_template_menu", "Note Templates"),
        {
            content: "No template yet: the list says what one is for",
            trigger: ".o_view_nocontent:contains(A template per service)",
        },
        {
            content: "Make a template",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Neck and shoulders, 60 minutes",
        },
        ...pickRecord("product_id", "60 min", { label: "Trigger point therapy session (60 min)" }),
        ...pickChoice("technique", "Myofascial release"),
        {
            content: "Each region starts with 12 minutes",
            trigger: ".o_form_view .o_field_widget[name=minutes] input",
            run: "edit 12",
        },
        {
            content: "Write the subjective heading",
            trigger: ".o_form_view .o_field_widget[name=subjective] .odoo-editor-editable",
            run: `editor ${HEADING}`,
        },
        ...saveForm(),
        {
            content: "Back to the list of templates",
            trigger: ".o_breadcrumb a:contains(Note Templates)",
            run: "click",
        },
        {
            content: "The template is listed with its service and technique",
            trigger:
                ".o_list_view .o_data_row:has([name=product_id]:contains(60 min))" +
                ":has([name=technique]:contains(Myofascial release)):has([name=minutes]:text(12))",
        },
    ],
});

// The therapist starts the session of that service and opens its note: it started from the
// template (its SOAP heading), and a region charted on the note takes the template's technique
// and minutes.
registry.category("web_tour.tours").add("trigger_point_clinic_note_from_template", {
    steps: () => [
        ...openClinicApp(),
        {
            content: "Open Tara's session on My Day",
            trigger: ".o_list_view .o_data_row [name=patient_id]:contains(Tara Template)",
            run: "click",
        },
        clickHeaderButton("action_start", "Start"),
        statusIs("In Progress"),
        clickHeaderButton("action_open_treatment_note", "Treatment Note"),
        {
            content: "The note names the template it started from",
            trigger:
                ".o_form_view .o_field_widget[name=template_id]:contains(Neck and shoulders, 60 minutes)",
        },
        {
            content: "The SOAP tab's subjective part starts with the template's heading",
            trigger: `.o_form_view .o_field_widget[name=subjective]:contains(${HEADING})`,
        },
        {
            content: "Add a treated region",
            trigger: `${LINES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        ...pickRecord("region_id", "Upper trapezius", { scope: LINES }),
        {
            content: "The region starts with the template's technique and minutes",
            trigger: `${LINES} .o_selected_row [name=minutes] input:value(12)`,
            run() {
                const cell = this.anchor.closest(".o_data_row").querySelector("[name=technique]");
                const technique = cell.querySelector("input")?.value || cell.textContent;
                if (!technique.includes("Myofascial release")) {
                    throw new Error(`The region starts with the technique "${technique}"`);
                }
            },
        },
        ...saveForm(),
        {
            content: "The region is charted with them",
            trigger:
                `${LINES} .o_data_row:has([name=region_id]:contains(Upper trapezius))` +
                ":has([name=technique]:contains(Myofascial release)):has([name=minutes]:text(12))",
        },
    ],
});
