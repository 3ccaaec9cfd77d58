import { formatDate, formatDateTime } from "@web/core/l10n/dates";
import { stepUtils } from "@web_tour/tour_utils";

const { DateTime } = luxon;

// The clinic of the Python tests (ScheduleCase) works in Paris, whatever the browser's zone.
export const CLINIC_ZONE = "Europe/Paris";

/** Open the Clinic app from the apps menu, as a user does after logging in. */
export function openClinicApp() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Clinic app",
            trigger: '.o_app[data-menu-xmlid="trigger_point_clinic.clinic_menu_root"]',
            run: "click",
        },
    ];
}

/**
 * Open ``item`` of the top menu ``section`` (xml ids of the addon's menus), and wait for the
 * screen it opens: ``title`` in the breadcrumbs, or else a dialog.
 */
export function openMenu(section, item, title) {
    return [
        {
            content: `Open the menu of ${title}`,
            trigger: `.o_menu_sections [data-menu-xmlid="trigger_point_clinic.${section}"]`,
            run: "click",
        },
        {
            content: `Choose ${title}`,
            trigger: `.dropdown-item[data-menu-xmlid="trigger_point_clinic.${item}"]`,
            run: "click",
        },
        {
            content: `${title} opens`,
            trigger:
                `.o_breadcrumb .o_last_breadcrumb_item:text(${title}), ` +
                `.modal .modal-title:text(${title})`,
        },
    ];
}

/**
 * Type ``search`` in the many2one (or many2many tags) field ``name`` of ``scope`` (or only open
 * its suggestions, when ``search`` is empty) and pick the one reading ``label`` (``exact``:
 * reading only that).
 */
export function pickRecord(name, search, { label = search, scope = "", exact = false } = {}) {
    return [
        {
            content: search ? `Type "${search}" in ${name}` : `Open the choices of ${name}`,
            trigger: `${scope} .o_field_widget[name=${name}] input`,
            run: search ? `edit ${search}` : "click",
        },
        {
            content: `Choose ${label}`,
            trigger: `.o-autocomplete--dropdown-item a:${exact ? "text" : "contains"}(${label})`,
            run: "click",
        },
    ];
}

/** Choose ``label`` in the selection field ``name`` of ``scope``. */
export function pickChoice(name, label, scope = "") {
    return [
        {
            content: `Open the choices of ${name}`,
            trigger: `${scope} .o_field_widget[name=${name}] .o_select_menu_toggler`,
            run: "click",
        },
        {
            content: `Choose ${label}`,
            trigger: `.o_select_menu_menu .o_select_menu_item:contains(${label})`,
            run: "click",
        },
    ];
}

/**
 * Type ``text`` as the value of the date field ``name`` of ``scope`` and press Enter. A date
 * already set shows as a button, which opens the input.
 */
export function typeDate(name, text, { scope = "" } = {}) {
    const field = `${scope} .o_field_widget[name=${name}]`;
    return [
        {
            content: `Open ${name}`,
            trigger: `${field} [data-field=${name}]`,
            run: "click",
        },
        {
            content: `Type ${text} in ${name}`,
            trigger: `${field} input[data-field=${name}]`,
            run: `edit ${text} && press Enter`,
        },
    ];
}

/** Type ``text`` in the date-time field ``name`` and leave the field, as a person does. */
export function typeDateTime(name, text) {
    return [
        {
            content: `Type ${text} in ${name}`,
            trigger: `.o_field_widget[name=${name}] input`,
            run: `edit ${text} && click body`,
        },
    ];
}

/** The button of a form's header (its Python method ``name``), clicked. */
export function clickHeaderButton(name, label) {
    return {
        content: `Click ${label}`,
        trigger: `.o_form_view .o_statusbar_buttons button[name=${name}]:enabled`,
        run: "click",
    };
}

/** The form's status bar shows ``label`` as the current state. */
export function statusIs(label) {
    return {
        content: `The status is ${label}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:text(${label})`,
    };
}

/** A refusal shown in an error dialog holding every text of ``texts``, then closed. */
export function refusedWith(content, ...texts) {
    const holding = texts.map((text) => `:contains(${text})`).join("");
    return [
        {
            content,
            trigger: `.modal .o_error_dialog${holding}`,
        },
        {
            content: "Close the message",
            trigger: ".modal .o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The message is closed",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ];
}

/** Save the form and wait until it is saved. */
export function saveForm() {
    return [
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "The record is saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}

/** ``local`` (a luxon DateTime in the clinic's zone) as the user types it, in their zone. */
export function typedDateTime(local) {
    return formatDateTime(local.setZone("default"));
}

/** A date as the user types it. */
export function typedDate(date) {
    return formatDate(date);
}

/** Monday of last week and the Sunday after it, in the browser's calendar. */
export function lastWeek() {
    const monday = DateTime.local().startOf("week").minus({ weeks: 1 });
    return [monday, monday.plus({ days: 6 })];
}

/** The first and last day of last month, in the browser's calendar. */
export function lastMonth() {
    const first = DateTime.local().startOf("month").minus({ months: 1 });
    return [first, first.endOf("month").startOf("day")];
}

/** Tuesday of next week at ``hour`` in the clinic's zone: always ahead, always a working day. */
export function nextWeekTuesday(hour) {
    return DateTime.local({ zone: CLINIC_ZONE })
        .startOf("week")
        .plus({ weeks: 1, days: 1 })
        .set({ hour });
}

/**
 * A finger stroke across the signature pad, sent as the pointer events a phone's touch screen
 * produces: pointerdown, a few pointermoves, pointerup.
 */
export function drawStroke(canvas) {
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
