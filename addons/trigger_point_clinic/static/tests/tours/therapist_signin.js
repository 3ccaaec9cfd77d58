import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// The password is the test user's, the code the one the tests' SMTP server receives (the
// Python test, tests/test_signin.py, fixes it and checks the mail held it).
const LOCK = "form.o_check_identity_form";

async function checkSession() {
    const response = await fetch("/web/session/check", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ params: {} }),
    });
    return response.json();
}

async function retryUntil(predicate, message) {
    let body;
    for (let attempt = 0; attempt < 10; attempt++) {
        body = await checkSession();
        if (predicate(body)) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`${message}: ${JSON.stringify(body)}`);
}

// A therapist signs in with the password and the e-mail code, the screen locks when she goes
// idle, and she unlocks it with her password.
registry.category("web_tour.tours").add("trigger_point_clinic_therapist_signin", {
    steps: () => [
        {
            content: "Type the login",
            trigger: "form.oe_login_form input[name=login]",
            run: "edit clinic_therapist",
        },
        {
            content: "Type the password",
            trigger: "form.oe_login_form input[name=password]",
            run: "edit clinic_therapist-clinic-test-password",
        },
        {
            content: "Sign in",
            trigger: "form.oe_login_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The second step asks for the code sent by e-mail",
            trigger: "form input[name=totp_token]",
            run: "edit 424242",
        },
        {
            content: "Confirm the code",
            trigger: "form:has(input[name=totp_token]) button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The clinic opens",
            trigger: ".o_main_navbar",
            run() {
                // While locked, the web client's calls wait for the unlock (as in auth_timeout's
                // own tours): the tour must not fail on the refusals the lock is made of.
                const call = rpc._rpc;
                rpc._rpc = (...args) =>
                    call(...args).catch((error) => {
                        if (error.data?.name?.endsWith("CheckIdentityException")) {
                            return new Promise(() => {});
                        }
                        throw error;
                    });
            },
        },
        {
            // The idle timeout is ten minutes (tests/test_signin.py), far beyond the first load
            // of the back office, however slow: nothing locks before she goes away.
            content: "The clinic has loaded, unlocked",
            trigger: `body:not(:has(${LOCK})) .o_action_manager > *`,
            timeout: 60000,
        },
        {
            // Ten idle minutes, without waiting for them: the browser's last presence moves back
            // eleven minutes, as another tab of hers would report it (the presence service's
            // storage event). The web client's own timer then tells the server she is away
            // and shows the lock, exactly as after a real absence.
            content: "She goes idle for eleven minutes",
            trigger: ".o_main_navbar",
            run() {
                const away = String(Date.now() - 11 * 60 * 1000);
                localStorage.setItem("presence.lastPresence", away);
                window.dispatchEvent(
                    new StorageEvent("storage", { key: "presence.lastPresence", newValue: away })
                );
            },
        },
        {
            content: "Idle: the screen locks and asks who is there",
            trigger: LOCK,
            timeout: 60000,
        },
        {
            content: "Locked: the server refuses her calls until she unlocks",
            trigger: LOCK,
            run: async () => {
                // The inactivity reaches the server through the websocket: retry a little.
                await retryUntil(
                    (body) => body.error?.data?.name?.endsWith("CheckIdentityException"),
                    "locked on screen, but the server still answers",
                );
            },
        },
        {
            // The lock offers the password first, or one link away behind the e-mail code.
            content: "Unlock with the password",
            trigger: 'form#password input, a[data-auth-method="password"]',
            run() {
                if (this.anchor.matches("a")) {
                    this.anchor.click();
                }
            },
        },
        {
            content: "Type the password",
            trigger: "form#password input",
            run: "edit clinic_therapist-clinic-test-password",
        },
        {
            content: "Confirm",
            trigger: "form#password button",
            run: "click",
        },
        {
            content: "Unlocked: the clinic is there again",
            trigger: `body:not(:has(${LOCK})) .o_main_navbar`,
            run: async () => {
                await retryUntil((body) => !body.error, "unlocked on screen, but still locked");
            },
        },
    ],
});
