import { registry } from "@web/core/registry";
import { signAndSubmitIntake } from "@trigger_point_clinic/../tests/tours/utils/clinic_steps";

// The code the Python test makes the server e-mail (test_intake_portal_phone.py, TOUR_CODE).
const CODE = "424242";

// The patient proves who they are with the e-mailed code, opens the form and answers no to
// every health question: how both intake tours begin.
function openAndAnswerNo(askContent) {
    return [
        {
            content: askContent,
            trigger: ".o_clinic_intake_proof .o_clinic_send_code_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the code from the e-mail",
            trigger: ".o_clinic_intake_proof:contains(We sent a code to) input[name=code]",
            run: `edit ${CODE}`,
        },
        {
            content: "Open the intake",
            trigger: ".o_clinic_code_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Answer no to every health question",
            trigger: ".o_clinic_intake_form input[type=radio][value=no]",
            async run(helpers) {
                for (const radio of helpers.queryAll("input[type=radio][value=no]")) {
                    await helpers.click(radio);
                }
            },
        },
    ];
}

// The patient's side of the online intake; the intake and its link come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_intake_phone", {
    steps: () => [
        ...openAndAnswerNo("The link alone shows no question: the patient asks for a code"),
        {
            content: "Agree to be treated",
            trigger: ".o_clinic_intake_form input[name=consent]",
            run: "check",
        },
        {
            content: "Type the signer's name",
            trigger: ".o_clinic_intake_form input[name=signer_name]",
            run: "edit Petra P. Phone",
        },
        ...signAndSubmitIntake(),
    ],
});

// The patient marks where it hurts on the body diagram of the intake, on a phone.
registry.category("web_tour.tours").add("trigger_point_clinic_intake_body", {
    steps: () => [
        ...openAndAnswerNo("Ask for a code"),
        {
            content: "Tap the low back on the body, seen from the back",
            trigger:
                ".o_clinic_pain_map [data-view=back] .o_clinic_body_map_shape[data-region-code=low_back_hip]",
            run: "click",
        },
        {
            content: "Choose how much it hurts: 7",
            trigger: ".o_clinic_pain_picker:not(.d-none):contains(Low back) .o_clinic_pain_score[data-score='7']",
            run: "click",
        },
        {
            content: "The low back is drawn marked, with its score",
            trigger:
                ".o_clinic_pain_map .o_clinic_body_map_shape.o_marked[data-region-code=low_back_hip] text:contains(7)",
        },
        {
            content: "Agree to be treated",
            trigger: ".o_clinic_intake_form input[name=consent]",
            run: "check",
        },
        ...signAndSubmitIntake(),
    ],
});
