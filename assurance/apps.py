"""App config for the assurance record."""

from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = "Assurance record"

    def ready(self):
        from assurance import audit, logins  # noqa: F401  (connect their signal receivers)
