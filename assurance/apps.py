"""App config for the assurance record."""

from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = "Assurance record"

    def ready(self):
        from assurance import audit, revisions

        audit.connect()
        revisions.connect()
