import { registry } from "@web/core/registry";
import {
    lastMonth,
    openClinicApp,
    openMenu,
    typeDate,
    typedDate,
} from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

const DIALOG = ".modal:not(.o_inactive_modal)";
// The pivot's row of the test's therapist; its last four cells are the Total column's
// measures: available hours, booked hours, booked %, attended %.
const TESS = ".o_pivot tr:has(th:contains(Tess Therapist))";

// An administrator reads last month's utilisation; the sessions come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_administrator", {
    steps: () => {
        const [first, last] = lastMonth();
        return [
            ...openClinicApp(),
            ...openMenu(
                "clinic_menu_reporting",
                "clinic_utilisation_wizard_menu",
                "Utilisation Report"
            ),
            ...typeDate("date_from", typedDate(first), { scope: DIALOG }),
            ...typeDate("date_to", typedDate(last), { scope: DIALOG }),
            {
                content: "Analyse",
                trigger: `${DIALOG} .modal-footer button[name=action_open]`,
                run: "click",
            },
            {
                content: "The analysis opens",
                trigger: ".o_last_breadcrumb_item:text(Utilisation Analysis)",
            },
            {
                content: "Tess booked 2 hours last month (the Total column's Booked Hours)",
                trigger: `${TESS} td:nth-last-child(3):text(2.00)`,
            },
            {
                content: "out of the hours she was available",
                trigger: `${TESS} td:nth-last-child(4):not(:text(0.00)):not(:empty)`,
            },
            {
                content: "which gives her booked share",
                trigger: `${TESS} td:nth-last-child(2):not(:text(0.00)):not(:empty)`,
            },
        ];
    },
});
