"""Security review (issue #13): inputs of the patient portal that answer a server error
instead of a 404 or a 400."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_patient_portal import PortalCase

HUGE = 99999999999


@tagged("post_install", "-at_install")
class TestReviewPortalInput(PortalCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sols = cls.env["clinic.online.booking"]._book(cls.patient, cls.therapist, cls._slot())

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_review_portal_bad_ids_answer_404_not_500(self):
        self.authenticate("sol", "sol")
        for url in (
            *self._record_urls(HUGE, HUGE),
            "/my/clinic/book?session_id=abc",
            "/my/clinic/book?therapist_id=%C2%B2",  # "²": str.isdigit() but not int()
        ):
            with self.subTest(url=url):
                self.assertLess(self.url_open(url).status_code, 500)
        csrf = self._csrf()
        for url, data in (
            (f"/my/clinic/waitlist/{HUGE}/leave", {}),
            ("/my/clinic/book", {"therapist_id": "\u00b2", "start": "2030-01-07 09:00:00"}),
            ("/my/clinic/book", {"session_id": "x", "start": "2030-01-07 09:00:00"}),
        ):
            with self.subTest(url=url, data=data):
                response = self.url_open(url, data={**data, "csrf_token": csrf})
                self.assertLess(response.status_code, 500)

    def test_review_leaving_the_waiting_list_keeps_a_booked_entry_booked(self):
        """A patient whose waiting-list entry already got them a time cannot rewrite it as
        withdrawn by posting the old leave form."""
        entry = self.env["clinic.waitlist"].create(
            {"patient_id": self.patient.id, "therapist_id": self.therapist.id, "state": "booked"}
        )
        self.authenticate("sol", "sol")
        response = self.url_open(
            f"/my/clinic/waitlist/{entry.id}/leave", data={"csrf_token": self._csrf()}
        )
        self.assertLess(response.status_code, 500)
        entry.invalidate_recordset()
        self.assertEqual(entry.state, "booked")
