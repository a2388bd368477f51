"""How long a login lasts: shorter for those who can change the record or use Django's admin."""

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.dispatch import receiver

from accounts.roles import is_assurance_admin


def may_change_the_record(user) -> bool:
    return is_assurance_admin(user) or user.is_staff or user.is_superuser


@receiver(user_logged_in)
def _shorten_admin_sessions(sender, request, user, **kwargs):
    # A stolen or forgotten admin session can rewrite published results: it ends after a
    # working day, where a reader's lasts SESSION_COOKIE_AGE.
    if request is not None and may_change_the_record(user):
        request.session.set_expiry(settings.ADMIN_SESSION_SECONDS)
