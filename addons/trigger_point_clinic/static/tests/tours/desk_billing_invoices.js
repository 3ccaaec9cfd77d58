import { registry } from "@web/core/registry";

const DIALOG = ".modal:not(.o_inactive_modal)";

// A manager reads the invoices of a billing run: from its Invoices tab (one invoice opens in a
// dialog) and from its Invoices button (a list naming each customer). The run comes from the
// Python test (test_desk_tours.py), which opens its form.
registry.category("web_tour.tours").add("trigger_point_clinic_billing_invoices", {
    steps: () => [
        {
            content: "Open the run's Invoices tab",
            trigger: ".o_form_view .o_notebook .nav-link:text(Invoices)",
            run: "click",
        },
        {
            content: "Open Bella's invoice from the tab",
            trigger:
                ".o_form_view .o_field_widget[name=move_ids] .o_data_row:contains(Bella Billing) td.o_data_cell",
            run: "click",
        },
        {
            content: "The invoice opens, naming its customer and the session it bills",
            trigger:
                `${DIALOG} .o_field_widget[name=partner_id]:contains(Bella Billing), ` +
                `${DIALOG} .o_field_widget[name=partner_id] input:value(Bella Billing)`,
        },
        {
            content: "No error dialog",
            trigger: `body:not(:has(.o_error_dialog))`,
        },
        {
            content: "Close the invoice",
            trigger: `${DIALOG} .modal-header .btn-close`,
            run: "click",
        },
        {
            content: "Open the run's invoices",
            trigger: "body:not(:has(.modal)) .o_form_view .oe_stat_button[name=action_view_invoices]:contains(2)",
            run: "click",
        },
        {
            content: "The list names each invoice's customer",
            trigger:
                ".o_list_view .o_data_row:contains(Bella Billing) ~ .o_data_row:contains(Carl Customer), " +
                ".o_list_view .o_data_row:contains(Carl Customer) ~ .o_data_row:contains(Bella Billing)",
        },
    ],
});
