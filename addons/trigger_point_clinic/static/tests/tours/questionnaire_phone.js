import { registry } from "@web/core/registry";

// The code the Python test makes the server e-mail (test_questionnaire_phone.py, TOUR_CODE).
const CODE = "535353";

// The patient answers a scheduled NRS on a phone, from the link of the e-mail.
registry.category("web_tour.tours").add("trigger_point_clinic_questionnaire_phone", {
    steps: () => [
        {
            content: "The link alone shows no question: the patient asks for a code",
            trigger: ".o_clinic_questionnaire_proof .o_clinic_send_code_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the code from the e-mail",
            trigger: ".o_clinic_questionnaire_proof:contains(We sent a code to) input[name=code]",
            run: `edit ${CODE}`,
        },
        {
            content: "Open the questionnaire",
            trigger: ".o_clinic_code_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Tap 3 on the pain scale",
            trigger: ".o_clinic_questionnaire_form label[for$='_3']",
            run: "click",
        },
        {
            content: "Submit",
            trigger: ".o_clinic_questionnaire_form input[type=radio][value='3']:checked",
            run() {
                document.querySelector(".o_clinic_questionnaire_submit").click();
            },
            expectUnloadPage: true,
        },
        {
            content: "The patient is thanked",
            trigger: ".o_clinic_questionnaire_done",
        },
    ],
});
