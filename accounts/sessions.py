"""How long a login lasts: shorter for those who can change the record or use Django's admin,
and for them it also ends after ADMIN_IDLE_SECONDS without a request."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from accounts.roles import is_assurance_admin

# Session keys: set at login for those who can change the record, so the middleware below knows
# them without asking the database on every request.
SIGNED_IN_AT = "wcc_admin_signed_in_at"
LAST_SEEN = "wcc_admin_last_seen"
# The last-seen time is written at most this often: not one session write per request.
LAST_SEEN_RESOLUTION = 60


def may_change_the_record(user) -> bool:
    return is_assurance_admin(user) or user.is_staff or user.is_superuser


def shorten_admin_sessions(sender, request, user, **kwargs):
    # A stolen or forgotten admin session can rewrite published results: it ends after a
    # working day at most, where a reader's lasts SESSION_COOKIE_AGE.
    if request is not None and may_change_the_record(user):
        request.session.set_expiry(settings.ADMIN_SESSION_SECONDS)
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = int(time.time())


class AdminSessionMiddleware:
    """Log out an admin idle for ADMIN_IDLE_SECONDS, or signed in ADMIN_SESSION_SECONDS ago.

    Django's session expiry alone moves on with every save of the session, so it cannot tell
    idle from busy nor bound a session's whole life; the times in the session can.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_at = request.session.get(SIGNED_IN_AT)
        if signed_in_at is not None:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN, signed_in_at)
            if (
                now - last_seen > settings.ADMIN_IDLE_SECONDS
                or now - signed_in_at > settings.ADMIN_SESSION_SECONDS
            ):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
