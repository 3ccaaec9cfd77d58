import { registry } from "@web/core/registry";
import { openClinicApp, openMenu } from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

const DIALOG = ".modal:not(.o_inactive_modal)";

// A manager reads a patient's balance, prints the statement, and charges again a saved card
// whose charge failed. The patient, the invoice and the card come from the Python test
// (test_money_screens.py).
registry.category("web_tour.tours").add("trigger_point_clinic_manager_money", {
    steps: () => [
        ...openClinicApp(),
        ...openMenu("clinic_menu_patients", "clinic_patient_menu", "Patients"),
        {
            content: "Search the patient",
            trigger: ".o_control_panel .o_searchview_input",
            run: "edit Sol Session && press Enter",
        },
        {
            content: "Open the patient",
            trigger: ".o_list_view .o_data_row [name=name]:contains(Sol Session)",
            run: "click",
        },
        {
            content: "Open the Balance tab",
            trigger: ".o_form_view .o_notebook .nav-link:text(Balance)",
            run: "click",
        },
        {
            content: "The balance owes the unpaid invoice",
            trigger: ".o_form_view .o_field_widget[name=balance_owed]:contains(70.00)",
        },
        {
            content: "Open the statement",
            trigger: ".o_form_view .o_notebook button:contains(Statement)",
            run: "click",
        },
        {
            content: "The statement asks for a period",
            trigger: `${DIALOG} .o_field_widget[name=date_from]:contains(1)`,
        },
        {
            content: "Print it",
            trigger: `${DIALOG} .modal-footer button[name=action_print]`,
            run: "click",
        },
        {
            content: "The statement is printed and the dialog closed",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=balance_owed]",
        },
        ...openMenu("clinic_menu_billing", "clinic_failed_payment_menu", "Failed Payments"),
        {
            content: "The invoice whose card charge failed is listed, with the reason",
            trigger: ".o_list_view .o_data_row:has([name=clinic_card_error]:contains(error))",
        },
        {
            content: "Charge the card again",
            trigger: ".o_list_view .o_data_row button.o_clinic_retry_charge",
            run: "click",
        },
        {
            content: "Paid with the saved card",
            trigger: ".o_notification:contains(Paid with the saved card)",
        },
        {
            content: "Nothing is left on Failed Payments",
            trigger: ".o_action:has(.o_view_nocontent), .o_list_view:not(:has(.o_data_row))",
        },
    ],
});

// The patient reads their balance on the portal.
registry.category("web_tour.tours").add("trigger_point_clinic_patient_balance", {
    steps: () => [
        {
            content: "The balance link is on My sessions",
            trigger: ".o_clinic_portal a.o_clinic_balance_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "What is owed",
            trigger: ".o_clinic_balance .o_clinic_owed:contains(70.00)",
        },
        {
            content: "The statement of a period downloads",
            trigger: ".o_clinic_balance form[action='/my/clinic/statement']",
            async run() {
                const response = await fetch("/my/clinic/statement");
                if (response.status !== 200) {
                    throw new Error(`statement: ${response.status}`);
                }
            },
        },
    ],
});
