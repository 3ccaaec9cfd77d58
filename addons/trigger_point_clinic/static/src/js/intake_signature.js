/* Signature pad of the online intake: draws on a canvas with finger or mouse and keeps the
 * drawing as a PNG data URL in the form's hidden "signature" field. Plain DOM code, so the page
 * needs no framework to work on a phone. */
(function () {
    "use strict";

    function setup(form) {
        const canvas = form.querySelector(".o_clinic_signature_pad");
        const field = form.querySelector(".o_clinic_signature_value");
        if (!canvas || !field) {
            return;
        }
        const context = canvas.getContext("2d");
        let drawing = false;
        let drawn = false;

        function resize() {
            canvas.width = canvas.clientWidth;
            context.lineWidth = 2.5;
            context.lineCap = "round";
            context.strokeStyle = "#1b1b1b";
        }
        function point(event) {
            const box = canvas.getBoundingClientRect();
            return [event.clientX - box.left, event.clientY - box.top];
        }
        canvas.addEventListener("pointerdown", (event) => {
            drawing = true;
            canvas.setPointerCapture(event.pointerId);
            context.beginPath();
            context.moveTo(...point(event));
        });
        canvas.addEventListener("pointermove", (event) => {
            if (drawing) {
                context.lineTo(...point(event));
                context.stroke();
                drawn = true;
            }
        });
        canvas.addEventListener("pointerup", () => {
            drawing = false;
            field.value = drawn ? canvas.toDataURL("image/png") : "";
        });
        form.querySelector(".o_clinic_signature_clear").addEventListener("click", () => {
            context.clearRect(0, 0, canvas.width, canvas.height);
            drawn = false;
            field.value = "";
        });
        resize();
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll(".o_clinic_intake_form").forEach(setup);
    });
})();
