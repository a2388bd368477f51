"""App config for accounts: users, their roles, logging in."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import logins  # noqa: F401  (connects the login throttle's receivers)
