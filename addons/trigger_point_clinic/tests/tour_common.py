"""What the back-office tours (``test_tours.py``, ``test_desk_tours.py`` and the screens'
tours) start from: the clinic of ScheduleCase in a browser, a session starting now and a signed
note."""

from odoo import Command, fields
from odoo.tests import HttpCase

from .common import ScheduleCase


class TourCase(ScheduleCase, HttpCase):
    """The clinic of ScheduleCase, in Paris, with Tess Therapist, Theo Therapist, Room 1 and
    Room 2, and one user per role; the tours' records come from here, not from the demo data."""

    @classmethod
    def _book_today(cls, patient, therapist, room, state="draft"):
        """A session starting now, whatever the hour or the day: a manager forced it into the
        clinic's hours (the test may run at night or on a Sunday)."""
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        return cls._book(
            cls._local(now),
            state=state,
            patient_id=patient.id,
            therapist_id=therapist.id,
            room_id=room.id,
            forced_schedule=True,
        )

    @classmethod
    def _sign_note(cls, session, region_code="upper_trapezius"):
        """A note of ``session`` charting ``region_code``, signed."""
        note = cls.env["clinic.treatment.note"].create(
            {
                "session_id": session.id,
                "line_ids": [
                    Command.create(
                        {"region_id": cls._region(region_code).id, "technique": "pressure_release"}
                    )
                ],
            }
        )
        note.action_sign()
        return note
