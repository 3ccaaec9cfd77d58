import { registry } from "@web/core/registry";
import { NameAndSignature } from "@web/core/signature/name_and_signature";
import { Interaction } from "@web/public/interaction";

/**
 * The signature of the online intake: Odoo's own drawing pad (the one portal customers sign
 * quotations with), mounted by the public interactions service whenever the intake form is on
 * the page, however late the frontend assets arrive. The form is posted as a whole, so the
 * drawing is kept in its hidden "signature" field as the PNG data URL the server checks; an
 * empty pad empties the field, and the server then asks the patient to sign.
 */
export class IntakeSignature extends Interaction {
    static selector = ".o_clinic_intake_form";
    dynamicContent = {
        ".o_clinic_signature_pad": {
            "t-component": () => [
                NameAndSignature,
                {
                    signature: this.signature,
                    // The patient types their name in the form's own field, and draws.
                    noInputName: true,
                    mode: "draw",
                    fontColor: "black",
                    // Drawing needs no font; asking for one spares a phone the whole set.
                    defaultFont: "LaBelleAurore-Regular.ttf",
                    // A finger needs more height than the 3:1 pad of a desktop.
                    displaySignatureRatio: 2,
                    onSignatureChange: () => this.keepSignature(),
                },
            ],
        },
    };

    setup() {
        this.signature = { name: "" };
        this.field = this.el.querySelector("input[name=signature]");
    }

    keepSignature() {
        this.field.value = this.signature.isSignatureEmpty
            ? ""
            : this.signature.getSignatureImage();
    }
}

registry
    .category("public.interactions")
    .add("trigger_point_clinic.intake_signature", IntakeSignature);
