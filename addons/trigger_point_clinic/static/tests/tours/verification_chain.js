import { registry } from "@web/core/registry";
import { verifyClinicalRecords } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

const FORM = ".o_form_view";

// A manager reads a verification made while a signed note waited for the next chaining batch:
// it says the note is signed and not yet chained. Verifying again links it into the chain:
// nothing waits any more. The records and the first verification come from
// test_screen_tours.py.
registry.category("web_tour.tours").add("trigger_point_clinic_verification_unchained", {
    steps: () => [
        {
            content: "Open the verification of this morning",
            trigger: ".o_list_view .o_data_row:first [name=verified_at]",
            run: "click",
        },
        {
            content: "The records are intact",
            trigger: `${FORM} .alert-success:contains(chain of seals is unbroken)`,
        },
        {
            content: "Records wait to be chained",
            trigger: `${FORM} .o_field_widget[name=unchained_count]:not(:text(0))`,
        },
        {
            content: "The signed note is listed as signed, not yet chained, in the clinic's time",
            trigger:
                `${FORM} .o_form_sheet .o_inner_group:contains(Signed, not yet chained) ` +
                ".o_field_widget[name=unchained]:contains(Treatment Note #):contains(Paris)",
        },
        ...verifyClinicalRecords(),
        {
            content: "The new verification: intact",
            trigger: `${FORM} .alert-success:contains(chain of seals is unbroken)`,
        },
        {
            content: "Nothing waits to be chained any more",
            trigger: `${FORM} .o_field_widget[name=unchained_count]:text(0)`,
        },
        {
            content: "The list of records not yet chained is gone",
            trigger: `${FORM}:not(:has(.o_field_widget[name=unchained])) .o_field_widget[name=seal_count]`,
        },
    ],
});
