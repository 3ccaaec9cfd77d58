import { registry } from "@web/core/registry";

/**
 * A finger stroke across the signature pad, sent as the pointer events a phone's touch screen
 * produces: pointerdown, a few pointermoves, pointerup.
 */
function drawStroke(canvas) {
    const box = canvas.getBoundingClientRect();
    const points = [
        [0.15, 0.65],
        [0.3, 0.3],
        [0.45, 0.7],
        [0.6, 0.35],
        [0.75, 0.7],
        [0.85, 0.4],
    ];
    const pointer = (type, [x, y]) =>
        new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            composed: true,
            pointerId: 1,
            pointerType: "touch",
            isPrimary: true,
            button: type === "pointermove" ? -1 : 0,
            buttons: type === "pointerup" ? 0 : 1,
            clientX: box.left + x * box.width,
            clientY: box.top + y * box.height,
        });
    canvas.dispatchEvent(pointer("pointerdown", points[0]));
    for (const point of points.slice(1)) {
        canvas.dispatchEvent(pointer("pointermove", point));
    }
    canvas.dispatchEvent(pointer("pointerup", points.at(-1)));
}

// The code the Python test makes the server e-mail (test_intake_portal_phone.py, TOUR_CODE).
const CODE = "424242";

// The patient's side of the online intake; the intake and its link come from the Python test.
registry.category("web_tour.tours").add("trigger_point_clinic_intake_phone", {
    steps: () => [
        {
            content: "The link alone shows no question: the patient asks for a code",
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
        {
            content: "Sign on the pad with a finger",
            trigger: ".o_clinic_intake_form canvas",
            run() {
                drawStroke(this.anchor);
            },
        },
        {
            content: "The signature shows on the pad",
            trigger: ".o_clinic_intake_form canvas",
            run: "canvasNotEmpty",
        },
        {
            content: "Submit the intake",
            trigger: ".o_clinic_intake_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The clinic thanks the patient",
            trigger: ".o_clinic_intake .alert-success:contains(Thank you)",
        },
    ],
});
