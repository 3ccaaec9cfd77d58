import base64
import io
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, TransactionCase, get_db_name
from odoo.tests import new_test_user as odoo_new_test_user

from ..models.clinic_workflow import workflow


def csrf_of(html):
    """The CSRF token of a page of the site: a form's hidden field, else the token every page
    carries in its script (a page whose links are all GET has no form)."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'csrf_token: "([^"]+)"', html
    )
    return match.group(1)


def post_booking(case, csrf, therapist, start, **fields_):
    """As the patient signed in to HTTP test ``case``: post the booking form (CSRF token
    ``csrf``) for ``therapist`` at ``start`` (UTC), with the form's other ``fields_``."""
    return case.url_open(
        "/my/clinic/book",
        data={
            "csrf_token": csrf,
            "therapist_id": therapist.id,
            "start": fields.Datetime.to_string(start),
            **fields_,
        },
    )


def new_test_user(env, login="", groups="base.group_user", context=None, **kwargs):
    """Odoo's ``new_test_user``, with a password the clinic's policy accepts (12 characters at
    least; Odoo's own helper gives the login padded to 8). Tests sign in with
    ``HttpCase.authenticate``, which does not check the password."""
    kwargs.setdefault("password", f"{login}-clinic-test-password")
    return odoo_new_test_user(env, login, groups, context, **kwargs)


GROUPS = {
    "therapist": "trigger_point_clinic.group_clinic_therapist",
    "front_desk": "trigger_point_clinic.group_clinic_front_desk",
    "manager": "trigger_point_clinic.group_clinic_manager",
    "administrator": "trigger_point_clinic.group_clinic_administrator",
}


class CommittedCase(BaseCase):
    """Tests of concurrent transactions or processes: they work on committed data, with
    connections of their own, and remove what they made."""

    def _env(self):
        cr = db_connect(get_db_name()).cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, SUPERUSER_ID, {})

    @staticmethod
    def _retried(env, work):
        """``work()`` in ``env``'s transaction, then committed, as Odoo runs a request: a
        serialization failure is rolled back and tried again, three times at most; what
        ``work`` returned, or "gave up"."""
        for _attempt in range(3):
            try:
                result = work()
                env.cr.commit()
                return result
            except psycopg2.errors.SerializationFailure:
                env.cr.rollback()
                env.invalidate_all()
        return "gave up"

    def _second_waits_for_first(self, env_a, second, what):
        """Run ``second`` (B's ``what``: a booking, a checkout) in a thread while ``env_a``'s
        transaction (A's) holds its write: B waits for A; once A commits, B ends."""
        other = threading.Thread(target=second)
        other.start()
        other.join(timeout=2)
        self.assertTrue(other.is_alive(), f"B waits for A's {what} to commit or roll back")
        env_a.cr.commit()
        other.join(timeout=20)
        self.assertFalse(other.is_alive())

    @staticmethod
    def _submitted_intake(env, patient):
        """In ``env``, ``patient``'s intake, no to every question, consented, signed and
        submitted: what clears the patient for treatment."""
        intake = env["clinic.intake"].create({"patient_id": patient.id})
        intake.answer_ids.write({"answer": "no"})
        intake.write(
            {
                "consent": True,
                "signer_name": patient.name,
                "signature": base64.b64encode(ClinicCase._signature_png()),
            }
        )
        intake.action_submit()
        return intake

    def _committed_clinic(self, name, submit_intakes=False):
        """Commit a therapist and a room working weekdays 08:00-19:00 in Paris and two
        patients (``submit_intakes``: cleared by a submitted intake), all named after
        ``name``; set ``self.therapist``, ``self.room``, ``self.patients`` and ``self.start``
        (next Monday 10:00, Paris) and remove them at the end (patients with a submitted
        intake, part of the health record, are archived)."""
        env = self._env()
        attendances = [
            fields.Command.create(
                {"name": f"day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 19}
            )
            for day in range(5)
        ]
        calendar = env["resource.calendar"].create(
            {"name": f"{name} hours", "tz": "Europe/Paris", "attendance_ids": attendances}
        )
        self.therapist = env["clinic.therapist"].create(
            {"name": f"{name} Therapist", "calendar_id": calendar.id}
        )
        self.room = env["clinic.room"].create({"name": f"{name} Room", "calendar_id": calendar.id})
        self.patients = env["clinic.patient"].create(
            [{"name": f"{name} One"}, {"name": f"{name} Two"}]
        )
        if submit_intakes:
            for patient in self.patients:
                self._submitted_intake(env, patient)
        env.cr.commit()
        self.addCleanup(self._remove_clinic, calendar.id, submit_intakes)
        today = fields.Date.today()
        monday = today + timedelta(days=7 - today.weekday())
        local = pytz.timezone("Europe/Paris").localize(
            datetime(monday.year, monday.month, monday.day, 10)
        )
        self.start = local.astimezone(pytz.utc).replace(tzinfo=None)

    def _remove_clinic(self, calendar_id, archive_patients):
        env = self._env()
        env["clinic.session"].search([("therapist_id", "=", self.therapist.id)]).unlink()
        self.therapist.with_env(env).unlink()
        self.room.with_env(env).unlink()
        if archive_patients:
            self.patients.with_env(env).action_archive()
        else:
            self.patients.with_env(env).unlink()
        env["resource.calendar"].browse(calendar_id).unlink()
        env.cr.commit()


class ClinicCase(TransactionCase):
    """Fixtures shared by the clinic's tests: one user per role, built once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_therapist = cls._make_user("therapist")
        cls.user_front_desk = cls._make_user("front_desk")
        cls.user_manager = cls._make_user("manager")
        cls.user_administrator = cls._make_user("administrator")

    @classmethod
    def _make_user(cls, role, login=None, name=None):
        login = login or f"clinic_{role}"
        return new_test_user(
            cls.env,
            login=login,
            name=name or f"Clinic {role.replace('_', ' ').title()}",
            groups=f"base.group_user,{GROUPS[role]}",
            email=f"{login}@clinic.example.com",
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Like assertRaises (whose savepoint undoes the refused change, so that a test can
        check nothing changed), and the message must match ``pattern``."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception.args[0]), pattern)

    @classmethod
    def _signature_png(cls):
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (120, 40), "white")
        ImageDraw.Draw(image).line((5, 30, 60, 5, 115, 30), fill="black", width=3)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    @classmethod
    def _contraindication(cls, code):
        return cls.env.ref(f"trigger_point_clinic.contraindication_{code}")

    @classmethod
    def _region(cls, code):
        return cls.env.ref(f"trigger_point_clinic.body_region_{code}")

    @classmethod
    def _clearance(cls, patient, code="thrombocytopenia", **vals):
        """A physician's clearance for ``patient`` covering the catalogue entry ``code``."""
        physician = cls.env["res.partner"].search([("name", "=", "Dr. Clearwater")], limit=1)
        physician = physician or cls.env["res.partner"].create({"name": "Dr. Clearwater"})
        return cls.env["clinic.clearance"].create(
            {
                "patient_id": patient.id,
                "physician_id": physician.id,
                "contraindication_ids": [fields.Command.set(cls._contraindication(code).ids)],
                **vals,
            }
        )

    @classmethod
    def _weekday_calendar(cls, name, spans):
        """Working hours in Paris, Monday to Friday, each day the ``spans`` (from, to)."""
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "Europe/Paris",
                "attendance_ids": [
                    fields.Command.create(
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                        }
                    )
                    for day in range(5)
                    for start, stop in spans
                ],
            }
        )

    @classmethod
    def _portal_user(cls, patient, login):
        """``patient``'s account on the portal, signing in as ``login`` (password too)."""
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            partner_id=patient.partner_id.id,
            name=patient.name,
        )

    @classmethod
    def _make_patient(cls, name="Ada Patient", **vals):
        return cls.env["clinic.patient"].create(
            {"name": name, "email": f"{name.split()[0].lower()}@patient.example.com", **vals}
        )

    @classmethod
    def _submit_intake(
        cls, patient, yes=(), medications=(), days_ago=0, pain=None, signed=True, **vals
    ):
        """A submitted intake answering yes to the catalogue ``yes`` codes (no to the others),
        taking the ``medications`` classes, submitted ``days_ago`` days before now."""
        intake = cls.env["clinic.intake"].create({"patient_id": patient.id, **vals})
        yes_ids = {cls._contraindication(code).id for code in yes}
        for answer in intake.answer_ids:
            answer.answer = "yes" if answer.contraindication_id.id in yes_ids else "no"
        intake.write(
            {
                "medication_ids": [
                    fields.Command.set([cls._contraindication(c).id for c in medications])
                ],
                "pain_ids": [
                    fields.Command.create({"region_id": cls._region(code).id, "pain": score})
                    for code, score in (pain or {}).items()
                ],
            }
        )
        if signed:
            intake.write(
                {
                    "consent": True,
                    "signer_name": patient.name,
                    "signature": base64.b64encode(cls._signature_png()),
                }
            )
        intake._submit(fields.Datetime.now() - timedelta(days=days_ago))
        return intake

    @classmethod
    def _walk(cls, sessions, state, party="patient"):
        """Take draft ``sessions`` to ``state`` the way the clinic does, through the buttons
        (cancelled: by ``party``)."""
        if state == "cancelled":
            sessions._cancel("Cancelled in a test", party)
            return sessions
        for step in {
            "draft": (),
            "confirmed": ("action_confirm",),
            "in_progress": ("action_confirm", "action_start"),
            "done": ("action_confirm", "action_start", "action_done"),
            "no_show": ("action_confirm", "action_no_show"),
        }[state]:
            getattr(sessions, step)()
        return sessions


class ScheduleCase(ClinicCase):
    """A clinic in Paris open Monday to Friday, 08:00-12:00 and 13:00-19:00, with two
    therapists, two rooms and a patient cleared for treatment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._weekday_calendar("Clinic hours", ((8, 12), (13, 19)))
        cls.company.resource_calendar_id = cls.calendar
        cls.therapist = cls.env["clinic.therapist"].create(
            {
                "name": "Tess Therapist",
                "calendar_id": cls.calendar.id,
                "user_id": cls.user_therapist.id,
            }
        )
        cls.therapist_2 = cls.env["clinic.therapist"].create(
            {"name": "Theo Therapist", "calendar_id": cls.calendar.id}
        )
        cls.room = cls.env["clinic.room"].create({"name": "Room 1", "calendar_id": cls.calendar.id})
        cls.room_2 = cls.env["clinic.room"].create(
            {"name": "Room 2", "calendar_id": cls.calendar.id}
        )
        cls.patient = cls._make_patient("Sol Session")
        cls._submit_intake(cls.patient)
        cls.patient_2 = cls._make_patient("Tom Second")
        cls._submit_intake(cls.patient_2)
        cls.tz = pytz.timezone(cls.calendar.tz)

    @classmethod
    def _utc(cls, local):
        """Naive UTC of a naive Paris local datetime."""
        return cls.tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @classmethod
    def _local(cls, utc):
        return pytz.utc.localize(utc).astimezone(cls.tz).replace(tzinfo=None)

    @classmethod
    def _session_values(cls, local_start, hours=1.0, **vals):
        start = cls._utc(local_start)
        values = {
            "patient_id": cls.patient.id,
            "therapist_id": cls.therapist.id,
            "room_id": cls.room.id,
            "start": start,
            "stop": start + timedelta(hours=hours),
        }
        values.update(vals)
        return values

    @classmethod
    def _book(cls, local_start, hours=1.0, state="draft", cancel_party="patient", **vals):
        """A session booked at ``local_start`` (Paris), then taken to ``state``. A plan's
        session (``plan_id``, ``plan_slot_date``) is made as the plan makes it."""
        values = cls._session_values(local_start, hours, **vals)
        if vals.get("plan_id"):
            with workflow("clinic.session"):
                session = cls.env["clinic.session"].create(values)
        else:
            values.pop("plan_slot_date", None)
            values.pop("plan_id", None)
            session = cls.env["clinic.session"].create(values)
        return cls._walk(session, state, cancel_party)

    @classmethod
    def _next_weekday(cls, weekday, hour=10, weeks_ahead=1):
        """A local datetime on ``weekday`` (0 = Monday) at ``hour``, some weeks from today."""
        today = fields.Date.today()
        day = today + timedelta(days=(weekday - today.weekday()) % 7, weeks=weeks_ahead)
        return datetime(day.year, day.month, day.day, hour)
