from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import GROUPS, ClinicCase


@tagged("post_install", "-at_install")
class TestRoles(ClinicCase):
    def _has(self, user, role):
        return user.has_group(GROUPS[role])

    def test_therapist_is_not_a_manager(self):
        self.assertTrue(self._has(self.user_therapist, "therapist"))
        self.assertFalse(self._has(self.user_therapist, "manager"))
        self.assertFalse(self._has(self.user_therapist, "front_desk"))
        self.assertFalse(self._has(self.user_therapist, "administrator"))

    def test_front_desk_is_neither_therapist_nor_manager(self):
        self.assertFalse(self._has(self.user_front_desk, "therapist"))
        self.assertFalse(self._has(self.user_front_desk, "manager"))

    def test_manager_implies_therapist_and_front_desk_only(self):
        self.assertTrue(self._has(self.user_manager, "therapist"))
        self.assertTrue(self._has(self.user_manager, "front_desk"))
        self.assertFalse(self._has(self.user_manager, "administrator"))

    def test_administrator_implies_every_role(self):
        for role in GROUPS:
            self.assertTrue(self._has(self.user_administrator, role), role)

    def test_admin_user_is_clinic_administrator(self):
        self.assertTrue(self._has(self.env.ref("base.user_admin"), "administrator"))

    def test_roles_share_one_privilege(self):
        privileges = {self.env.ref(xmlid).privilege_id for xmlid in GROUPS.values()}
        self.assertEqual(
            privileges, {self.env.ref("trigger_point_clinic.res_groups_privilege_clinic")}
        )

    def test_clinic_menu_visible_to_roles_only(self):
        root = self.env.ref("trigger_point_clinic.clinic_menu_root")
        plain_user = self.env["res.users"].create({"name": "Plain", "login": "plain_clinic_user"})
        visible_ids = self.env["ir.ui.menu"].with_user(plain_user)._visible_menu_ids()
        self.assertNotIn(root.id, visible_ids)
        visible_ids = self.env["ir.ui.menu"].with_user(self.user_therapist)._visible_menu_ids()
        self.assertIn(root.id, visible_ids)

    def test_settings_menu_for_settings_administrators_only(self):
        """Odoo lets only Settings administrators save settings; the clinic follows that rule."""
        settings_menu = self.env.ref("trigger_point_clinic.res_config_settings_menu")
        admin = self.env.ref("base.user_admin")
        for user, visible in ((self.user_manager, False), (admin, True)):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual(settings_menu.id in menus, visible, user.login)


@tagged("post_install", "-at_install")
class TestClinicPolicy(ClinicCase):
    def test_policy_values_are_checked(self):
        for field, value in (
            ("clinic_intake_validity_months", 0),
            ("clinic_late_cancel_hours", -1),
            ("clinic_plan_horizon_weeks", 0),
            ("clinic_plan_horizon_weeks", 53),
        ):
            with self.subTest(field=field, value=value), self.assertRaises(ValidationError):
                self.company.write({field: value})
        self.company.write({"clinic_plan_horizon_weeks": 12})
        self.assertEqual(self.company.clinic_plan_horizon_weeks, 12)
