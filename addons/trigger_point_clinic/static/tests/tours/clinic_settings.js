import { registry } from "@web/core/registry";

/** Type ``value`` in the integer setting ``name``. */
function setNumber(name, value) {
    return {
        content: `Set ${name} to ${value}`,
        trigger: `.o_form_view .o_field_widget[name=${name}] input`,
        run: `edit ${value}`,
    };
}

// An administrator sets the clinic's reminders, portal and audit policies in Settings.
registry.category("web_tour.tours").add("trigger_point_clinic_settings", {
    steps: () => [
        {
            content: "The Clinic settings show the portal and the clinical records blocks",
            trigger: ".o_form_view:contains(Patient portal):contains(Clinical Records)",
        },
        setNumber("clinic_appointment_reminder_hours", "48"),
        setNumber("clinic_online_weekly_limit", "3"),
        setNumber("clinic_access_log_days", "400"),
        setNumber("clinic_emergency_access_hours", "12"),
        {
            content: "Save",
            trigger: ".o_control_panel button:contains(Save)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved: the settings show the new retention",
            trigger: ".o_form_view .o_field_widget[name=clinic_access_log_days] input:value(400)",
        },
    ],
});
