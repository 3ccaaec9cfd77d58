"""The translation template: translators start from ``i18n/trigger_point_clinic.pot``, which
Odoo's own export writes (README, *Translations*). These tests keep it there and current: every
message the addon's Python code translates is in it, so a new message without a new export
fails here."""

import ast
import re

from .conftest import ROOT

ADDON = ROOT / "addons" / "trigger_point_clinic"
POT = ADDON / "i18n" / "trigger_point_clinic.pot"


def pot_entries(text):
    """{msgid: msgstr} of a .po/.pot file (multi-line strings joined, escapes read)."""
    entries, current, key = {}, {}, None
    for line in [*text.splitlines(), ""]:
        match = re.match(r'^(msgid|msgstr) (".*")$', line)
        if match:
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current:
            entries[current.get("msgid", "")] = current.get("msgstr", "")
            current, key = {}, None
    entries.pop("", None)
    return entries


def translated_in_python(folder):
    """The literal first argument of every ``_(…)`` / ``env._(…)`` call under ``folder``."""
    messages = set()
    for path in folder.rglob("*.py"):
        if "tests" in path.relative_to(folder).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name == "_" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                messages.add(first.value)
    return messages


def test_pot_is_an_empty_template_of_the_addon():
    text = POT.read_text(encoding="utf-8")
    assert "#. module: trigger_point_clinic" in text
    entries = pot_entries(text)
    assert len(entries) > 500
    assert not any(entries.values()), "a template carries no translation"


def test_pot_holds_the_key_screens_strings():
    entries = pot_entries(POT.read_text(encoding="utf-8"))
    for message in (
        # screening verdicts and the patient form
        "Do not treat",
        "Clearance required",
        "Cleared with precautions",
        "Regions to Avoid",
        # treatment notes, their report, the outcomes graph
        "Sign",
        "Subjective",
        "Pain Relief per Body Region",
        "Only %(therapist)s, the session's therapist, can sign this note.",
        # the patient's intake on the phone
        "Answer yes or no to: %(question)s",
        "The signature could not be read: sign again.",
        # utilisation
        "Utilisation Analysis",
        "Therapists",
        "Utilisation %(date_from)s to %(date_to)s",
    ):
        assert message in entries, f"{message!r} missing: re-export the .pot (README)"


def test_pot_holds_every_message_of_the_python_code():
    entries = pot_entries(POT.read_text(encoding="utf-8"))
    missing = sorted(translated_in_python(ADDON) - set(entries))
    assert not missing, f"re-export the .pot (README, Translations): missing {missing}"


FRENCH = ADDON / "i18n" / "fr.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{\{.*?\}\}|<[^>]+>")


def test_french_translates_only_what_the_template_holds():
    """fr.po is merged with the template: a message that changed in the code (or was
    removed) is no longer translated by a stale entry, and every entry has its French."""
    template = pot_entries(POT.read_text(encoding="utf-8"))
    french = pot_entries(FRENCH.read_text(encoding="utf-8"))
    assert len(french) > 400
    stale = sorted(set(french) - set(template))
    assert not stale, f"fr.po has messages the .pot no longer has (merge it): {stale}"
    assert not [msgid for msgid, msgstr in french.items() if not msgstr.strip()]


def test_french_keeps_every_placeholder():
    """A French message names the same %(placeholders)s, {{ expressions }} and inline tags as
    its English: a lost one would fail at rendering, or show the patient nothing."""
    french = pot_entries(FRENCH.read_text(encoding="utf-8"))
    for msgid, msgstr in french.items():
        if "aria-label" in msgid or "title=" in msgid:
            # labels of icons are words, translated inside the tag
            continue
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_french_covers_the_patients_pages():
    """The sentences a French patient reads first on /my/clinic, Today and the intake link."""
    french = pot_entries(FRENCH.read_text(encoding="utf-8"))
    for message in (
        "Upcoming sessions",
        "Home care",
        "Booked",
        "Today",
        "Health intake",
        "Send me a code",
        "Answer yes or no to: %(question)s",
        "Nothing was saved: first show it is you with the code we e-mail to you.",
        "Have you started a new medicine since your last session?",
    ):
        assert french.get(message), f"{message!r} has no French in fr.po"
