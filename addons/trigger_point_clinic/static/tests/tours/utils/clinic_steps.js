import { drawStroke } from "@trigger_point_clinic/../tests/tours/utils/clinic_tour_utils";

// Steps that several tours take the same way, one builder each: a tour imports the builder
// instead of writing the steps again.

// The dialog on top (a dialog opened from a dialog leaves the first one inactive).
export const DIALOG = ".modal:not(.o_inactive_modal)";

/**
 * Run ``item`` of the top menu ``section`` (xml ids of the addon's menus) when it is an action
 * with no title of its own to wait for (a server action, a wizard).
 */
export function runMenu(section, item, content) {
    return [
        {
            content: `Open the menu of: ${content}`,
            trigger: `.o_menu_sections [data-menu-xmlid="trigger_point_clinic.${section}"]`,
            run: "click",
        },
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid="trigger_point_clinic.${item}"]`,
            run: "click",
        },
    ];
}

/** Reporting › Clinical Records Audit › Verify Clinical Records. */
export function verifyClinicalRecords() {
    return runMenu("clinic_menu_reporting", "clinic_record_verify_menu", "Verify the clinical records");
}

/** In the override dialog: give the reason and record the override. */
export function recordOverride(
    reason = "Her physician confirmed by phone that the clot has resolved; " +
        "light work on the upper back only."
) {
    return [
        {
            content: "Give the reason",
            trigger: `${DIALOG} .o_field_widget[name=reason] textarea`,
            run: `edit ${reason}`,
        },
        {
            content: "Record the override",
            trigger: `${DIALOG} .modal-footer .btn-primary:text(Override)`,
            run: "click",
        },
    ];
}

/** On the patient's review of a booking: confirm, and the session is booked. */
export function confirmBooking(booked = "The session is booked") {
    return [
        {
            content: "Review the booking: the time, the price with tax, the terms; confirm",
            trigger: ".o_clinic_book_review button.o_clinic_review_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: booked,
            trigger: ".o_clinic_session .o_clinic_booked",
        },
    ];
}

/** The patient's intake, answered: sign it with a finger and submit it. */
export function signAndSubmitIntake() {
    return [
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
    ];
}

/**
 * The link (or the address in the field) ``trigger`` downloads a calendar file
 * (``text/calendar``) holding every text of ``expected`` and none of ``absent``; ``content`` says
 * what the user does.
 */
export function downloadsCalendar(content, trigger, { expected = ["BEGIN:VEVENT"], absent = [] } = {}) {
    return {
        content,
        trigger,
        async run() {
            const response = await fetch(this.anchor.getAttribute("href") || this.anchor.value);
            const type = response.headers.get("Content-Type") || "";
            const text = await response.text();
            const missing = expected.filter((part) => !text.includes(part));
            const leaked = absent.filter((part) => text.includes(part));
            if (
                response.status !== 200 ||
                !type.startsWith("text/calendar") ||
                missing.length ||
                leaked.length
            ) {
                throw new Error(
                    `${content}: ${response.status} ${type}, missing [${missing}], leaked [${leaked}]`
                );
            }
        },
    };
}

/** Schedule › At the Desk: today's sessions, with check-in and check-out. */
export function openDesk() {
    return runMenu("clinic_menu_schedule", "clinic_session_menu_desk", "Choose At the Desk");
}

/** Schedule › Day Schedule: the timeline of the day, a row per therapist. */
export function openDaySchedule() {
    return runMenu("clinic_menu_schedule", "clinic_session_menu_schedule", "Choose Day Schedule");
}

/**
 * At the desk, check out the patient of the list's ``row`` (a selector) and take the payment
 * of what the session costs with ``method`` (``cash``, ``saved_card``…); ``checks`` are the
 * steps between choosing the method and taking the payment.
 */
export function checkOutAndPay(row, method, checks = []) {
    return [
        {
            content: "Check the patient out",
            trigger: `${row} button[name=action_check_out]`,
            run: "click",
        },
        {
            content: "The payment opens with what the session costs",
            trigger: `${DIALOG} .o_field_widget[name=amount_due]:not(:text(0.00))`,
        },
        {
            content: `Pay with: ${method}`,
            trigger: `${DIALOG} .o_field_widget[name=method] input[data-value=${method}]`,
            run: "click",
        },
        ...checks,
        {
            content: "Take the payment",
            trigger: `${DIALOG} .modal-footer button[name=action_pay]`,
            run: "click",
        },
    ];
}

/** The new session's dialog is titled as a session; discard it. */
export function discardNewSession() {
    return [
        {
            content: "The booking dialog is titled as a session",
            trigger: `${DIALOG} .modal-title:text(New Session)`,
        },
        {
            content: "Discard the booking",
            trigger: `${DIALOG} .o_form_button_cancel`,
            run: "click",
        },
    ];
}

/**
 * On a session's form: Cancel, then in the cancel dialog say the patient asked, give
 * ``reason`` and choose ``movedTo`` (a text of the new session's name: its local time) as
 * *Moved To*; cancel the session and see it cancelled.
 */
export function cancelAsMovedTo(movedTo, reason = "Moved by phone") {
    return [
        {
            content: "Cancel the old session",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_cancel]:enabled",
            run: "click",
        },
        {
            content: "The patient asked",
            trigger: `${DIALOG} .o_field_widget[name=party] input[data-value=patient]`,
            run: "click",
        },
        {
            content: "Say why",
            trigger: `${DIALOG} .o_field_widget[name=reason] textarea`,
            run: `edit ${reason}`,
        },
        {
            content: "Open the choices of Moved To",
            trigger: `${DIALOG} .o_field_widget[name=moved_to_id] input`,
            run: "click",
        },
        {
            content: `Moved To: the session of ${movedTo}`,
            trigger: `.o-autocomplete--dropdown-item a:contains(${movedTo})`,
            run: "click",
        },
        {
            content: "Cancel the session",
            trigger: `${DIALOG} .modal-footer button[name=action_confirm]`,
            run: "click",
        },
        {
            content: "The old session is cancelled",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_status " +
                ".o_arrow_button_current:text(Cancelled)",
        },
    ];
}
