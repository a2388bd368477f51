"""App config for accounts: users, their roles, logging in."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Importing them connects their receivers: the login throttle, the session length.
        from accounts import logins, sessions  # noqa: F401
