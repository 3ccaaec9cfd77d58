from datetime import datetime, timedelta

from lxml import html as lxml_html

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ScheduleCase


@tagged("post_install", "-at_install")
class TestUtilisation(ScheduleCase):
    """A crafted past week: Uma works Monday to Friday 08:00-13:00 and 14:00-19:00 (50 hours)
    and is on leave on Wednesday (40 hours left); her room is open 08:00-20:00 (60 hours)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "clinic_require_signed_note": False,
                "clinic_invoice_post": True,
                "clinic_no_show_fee": 0,
                "clinic_late_cancel_fee": 0,
            }
        )

        cls.uma = cls.env["clinic.therapist"].create(
            {
                "name": "Uma Utilised",
                "calendar_id": cls._weekday_calendar("Uma", [(8, 13), (14, 19)]).id,
            }
        )
        cls.studio = cls.env["clinic.room"].create(
            {"name": "Studio", "calendar_id": cls._weekday_calendar("Studio", [(8, 20)]).id}
        )
        today = fields.Date.today()
        cls.monday = today - timedelta(days=today.weekday(), weeks=2)
        cls.sunday = cls.monday + timedelta(days=6)
        wednesday = cls.monday + timedelta(days=2)
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Uma's day off",
                "resource_id": cls.uma.resource_id.id,
                "calendar_id": cls.uma.calendar_id.id,
                "date_from": cls._utc(datetime.combine(wednesday, datetime.min.time())),
                "date_to": cls._utc(datetime.combine(wednesday, datetime.max.time())),
            }
        )

    def _at(self, day, hour, hours=1.0, state="done", **vals):
        local = datetime.combine(self.monday + timedelta(days=day), datetime.min.time())
        return self._book(
            local + timedelta(hours=hour),
            hours,
            therapist_id=self.uma.id,
            room_id=self.studio.id,
            state=state,
            **vals,
        )

    def _crafted_week(self):
        """30 hours booked: 27 attended, one no-show, two confirmed; and a late cancellation."""
        hours = [8, 9, 10, 11, 12, 14, 15, 16, 17, 18]
        for day in (0, 1):
            for hour in hours:
                self._at(day, hour)
        for hour in hours[:7]:
            self._at(3, hour)
        self._at(3, 16, state="no_show")
        self._at(3, 17, state="confirmed")
        self._at(3, 18, state="confirmed")
        self._at(4, 8, state="cancelled", cancel_party="patient")

    def _wizard(self, user=None, **vals):
        wizard = (
            self.env["clinic.utilisation.wizard"]
            .with_user(user or self.user_administrator)
            .create({"date_from": self.monday, "date_to": self.sunday, **vals})
        )
        wizard._prepare_period()
        return wizard

    def _row(self, table, kind, name):
        return next(row for row in table[kind] if row["name"] == name)

    def test_crafted_week_exact_figures(self):
        self._crafted_week()
        table = self._wizard()._figures()
        uma = self._row(table, "therapist", "Uma Utilised")
        self.assertEqual(uma["available_hours"], 40.0, "50 hours of calendar, 10 of leave")
        self.assertEqual((uma["booked_hours"], uma["attended_hours"]), (30.0, 27.0))
        self.assertAlmostEqual(uma["utilisation_booked"], 75.0)
        self.assertAlmostEqual(uma["utilisation_attended"], 67.5)
        self.assertEqual((uma["sessions"], uma["no_shows"], uma["late_cancellations"]), (30, 1, 1))

        studio = self._row(table, "room", "Studio")
        self.assertEqual(studio["available_hours"], 60.0)
        self.assertAlmostEqual(studio["utilisation_booked"], 50.0)
        self.assertAlmostEqual(studio["utilisation_attended"], 45.0)

    def test_leave_or_hours_changed_after_a_first_report_show_in_the_next(self):
        """The wizard computes only the days missing; a leave or a calendar change forgets the
        days it touches, so the next report shows it (it must not keep the first figures)."""
        self._crafted_week()
        first = self._row(self._wizard()._figures(), "therapist", "Uma Utilised")
        self.assertEqual(first["available_hours"], 40.0)
        thursday = self.monday + timedelta(days=3)
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Uma's second day off",
                "resource_id": self.uma.resource_id.id,
                "calendar_id": self.uma.calendar_id.id,
                "date_from": self._utc(datetime.combine(thursday, datetime.min.time())),
                "date_to": self._utc(datetime.combine(thursday, datetime.max.time())),
            }
        )
        second = self._row(self._wizard()._figures(), "therapist", "Uma Utilised")
        self.assertEqual(second["available_hours"], 30.0, "a second day of leave: 10 hours less")
        self.assertAlmostEqual(second["utilisation_booked"], 100.0)
        leave.unlink()
        self.uma.calendar_id.attendance_ids.filtered(lambda a: a.hour_from == 14).unlink()
        third = self._row(self._wizard()._figures(), "therapist", "Uma Utilised")
        self.assertEqual(third["available_hours"], 20.0, "mornings only, Wednesday off")

    def test_day_off_divides_by_nothing(self):
        self._crafted_week()
        self._wizard()
        report = self.env["clinic.utilisation"]
        wednesday = report.search(
            [("therapist_id", "=", self.uma.id), ("date", "=", self.monday + timedelta(days=2))]
        )
        self.assertEqual(wednesday.available_hours, 0.0)
        self.assertFalse(wednesday.utilisation_booked)
        by_day = dict(
            report._read_group(
                [("therapist_id", "=", self.uma.id), ("date", ">=", self.monday)],
                ["date:day"],
                ["utilisation_booked:sum"],
            )
        )
        self.assertEqual(len(by_day), 7)
        self.assertAlmostEqual(by_day[self.monday], 100.0)

    def test_sessions_near_midnight_land_on_the_local_day(self):
        # 23:15 Paris on Monday is 22:15 UTC on Monday; 00:15 Paris on Tuesday is still Monday
        # in UTC: each counts on its Paris day.
        self._at(0, 23.25, 0.5, forced_schedule=True)
        self._at(1, 0.25, 0.5, forced_schedule=True)
        self._wizard()
        rows = self.env["clinic.utilisation"].search(
            [("therapist_id", "=", self.uma.id), ("sessions", ">", 0)]
        )
        self.assertEqual(
            {row.date: row.booked_hours for row in rows},
            {self.monday: 0.5, self.monday + timedelta(days=1): 0.5},
        )

    def test_revenue_invoiced_per_therapist(self):
        self._crafted_week()
        run = self.env["clinic.billing.run"].create(
            {
                "date_from": self.monday,
                "date_to": self.sunday,
                "patient_ids": [fields.Command.set(self.patient.ids)],
            }
        )
        run._run()
        table = self._wizard()._figures()
        session_lines = run.move_ids.invoice_line_ids
        self.assertEqual(run.move_ids.mapped("state"), ["posted"])
        self.assertAlmostEqual(
            self._row(table, "therapist", "Uma Utilised")["revenue"],
            sum(session_lines.mapped("price_subtotal")),
        )
        self.assertAlmostEqual(self._row(table, "therapist", "Uma Utilised")["revenue"], 27 * 70)

    def test_rebooking_within_fourteen_days(self):
        self._at(0, 9)
        self._at(0, 10, patient_id=self.patient_2.id)
        self._book(
            datetime.combine(self.monday + timedelta(days=10), datetime.min.time())
            + timedelta(hours=9),
            therapist_id=self.therapist.id,
        )
        self._book(
            datetime.combine(self.monday + timedelta(days=21), datetime.min.time())
            + timedelta(hours=9),
            therapist_id=self.therapist.id,
            patient_id=self.patient_2.id,
        )
        self.env.flush_all()
        [(rate, rebooked)] = self.env["clinic.rebooking"]._read_group(
            [("therapist_id", "=", self.uma.id)], [], ["rebooking_rate:sum", "rebooked:sum"]
        )
        self.assertEqual(rebooked, 1)
        self.assertAlmostEqual(rate, 50.0)

    def test_spreadsheet_and_pdf_carry_the_table(self):
        self._crafted_week()
        wizard = self._wizard(therapist_ids=[self.uma.id], room_ids=[self.studio.id])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("trigger_point_clinic.report_utilisation", wizard.ids)[0]
            .decode()
        )
        for expected in ("Uma Utilised", "Studio", "75.0 %", "67.5 %", "Total"):
            self.assertIn(expected, html)
        workbook = wizard._xlsx()
        self.assertEqual(workbook[:2], b"PK", "an xlsx file")
        action = wizard.action_export_xlsx()
        self.assertIn("/web/content/", action["url"])

    def test_pdf_prints_counts_as_whole_numbers(self):
        self._crafted_week()
        wizard = self._wizard(therapist_ids=[self.uma.id])
        page = lxml_html.fromstring(
            self.env["ir.actions.report"]._render_qweb_html(
                "trigger_point_clinic.report_utilisation", wizard.ids
            )[0]
        )
        [uma] = [row for row in page.iter("tr") if "Uma Utilised" in row.text_content()]
        cells = [cell.text_content().strip() for cell in uma.iter("td")]
        self.assertEqual(cells[1:4], ["40.00", "30.00", "27.00"], "hours")
        self.assertEqual(cells[4:6], ["75.0 %", "67.5 %"])
        self.assertEqual(cells[6:9], ["30", "1", "1"], "sessions, no-shows, late cancellations")

    def test_first_print_opens_no_document_layout_wizard(self):
        """Odoo's administrator prints before the company chose a document layout: the PDF,
        on Odoo's standard letterhead, not the layout configurator."""
        self.company.external_report_layout_id = False
        admin = self.env.ref("base.user_admin")
        action = self._wizard(user=admin).action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "trigger_point_clinic.report_utilisation")

    def test_menu_opens_last_month_wizard_its_period_replacing_the_screen(self):
        menu_action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_utilisation_action"
        )
        self.assertEqual(safe_eval(menu_action["context"])["search_default_date"], "month-1")
        action = self._wizard().action_open()
        self.assertEqual(action["target"], "main", "no breadcrumbs of what was behind")
        self.assertNotIn("search_default_date", action["context"], "the wizard's period only")
        self.assertIn(("date", ">=", self.monday), action["domain"])
        self.assertIn(("date", "<=", self.sunday), action["domain"])

    def test_period_end_before_start_refused(self):
        with self.assertRefused(ValidationError, "ends on .* before it starts"):
            self._wizard(date_from=self.sunday, date_to=self.monday)

    def test_only_managers_and_administrators_open_the_report(self):
        for user in (self.user_therapist, self.user_front_desk):
            with self.assertRaises(AccessError):
                self.env["clinic.utilisation"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self._wizard(user=user)
        action = self._wizard().action_open()
        self.assertEqual(action["res_model"], "clinic.utilisation")
        self.env["clinic.utilisation"].with_user(self.user_administrator).search(action["domain"])
