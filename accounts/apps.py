"""App config for accounts: users, their roles, logging in."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Every receiver and hook this app connects, here and nowhere else (docs/architecture.md).
        from django.contrib.auth import user_logged_in, user_login_failed

        from accounts import logins, sessions

        # The login throttle counts failures per user and address, and forgets them on success.
        user_login_failed.connect(logins.record_failure, dispatch_uid="accounts.login_failed")
        user_logged_in.connect(logins.forget_failures_on_login, dispatch_uid="accounts.logged_in")
        # An admin's session ends sooner than a reader's.
        user_logged_in.connect(
            sessions.shorten_admin_sessions, dispatch_uid="accounts.admin_session"
        )
