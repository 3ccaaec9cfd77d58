"""Sessions in one's own calendar: the page where a patient (portal) or a therapist (from their
preferences) makes, replaces or turns off their private feed, and the feed itself, opened by
calendar applications without a login. See ``models/clinic_calendar_feed.py``."""

from odoo import http
from odoo.http import request


def ics_response(content, filename):
    return request.make_response(
        content,
        headers=[
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Length", len(content)),
            ("Content-Disposition", http.content_disposition(filename)),
            ("Cache-Control", "private, no-store"),
        ],
    )


class ClinicCalendarFeed(http.Controller):
    def _feeds(self):
        return request.env["clinic.calendar.feed"].sudo()

    def _page(self, owner, token=None, status=200):
        base_url = request.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return request.render(
            "trigger_point_clinic.portal_clinic_calendar",
            {
                "sales_user": request.env["res.users"],
                "page_name": "clinic_calendar" if owner._name == "clinic.patient" else "calendar",
                "owner": owner,
                "is_patient": owner._name == "clinic.patient",
                "feed": self._feeds()._feed_of(owner),
                "feed_url": token and f"{base_url}/clinic/calendar/{token}.ics",
            },
            status=status,
        )

    def _owner(self):
        return self._feeds()._owner_of(request.env.user)

    @http.route(
        "/my/clinic/calendar",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
        sitemap=False,
        website=True,
    )
    def clinic_calendar(self, **kwargs):
        owner = self._owner()
        if not owner:
            return request.not_found()
        return self._page(owner)

    @http.route(
        "/my/clinic/calendar/new",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def clinic_calendar_new(self, **post):
        """A new private address: shown once, on this page; the previous one stops working."""
        owner = self._owner()
        if not owner:
            return request.not_found()
        return self._page(owner, token=self._feeds()._make(owner))

    @http.route(
        "/my/clinic/calendar/revoke",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def clinic_calendar_revoke(self, **post):
        owner = self._owner()
        if not owner:
            return request.not_found()
        self._feeds()._revoke(owner)
        return request.redirect("/my/clinic/calendar")

    @http.route(
        "/clinic/calendar/<string:token>.ics",
        type="http",
        auth="public",
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    def clinic_calendar_feed(self, token, **kwargs):
        """The feed: the owner's sessions, or 404 for a wrong, replaced or revoked address."""
        feeds = self._feeds()
        feed = feeds._from_token(token)
        if not feed:
            return request.not_found()
        owner = feed.patient_id or feed.therapist_id
        content = feeds._ics(feeds._sessions(owner), for_therapist=bool(feed.therapist_id))
        return ics_response(content, "clinic-sessions.ics")
