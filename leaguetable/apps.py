"""App config for the league table (the read side)."""

from django.apps import AppConfig


class LeaguetableConfig(AppConfig):
    name = "leaguetable"
    verbose_name = "League table"

    def ready(self):
        from assurance.signals import year_published
        from leaguetable.notifications import email_sha_staff

        # Publishing happens in assurance.actions, but the rules for concern live here: the record
        # announces the publication with a signal and the read side answers it, so assurance
        # never imports leaguetable. The signal is sent on commit of the publishing transaction.
        year_published.connect(email_sha_staff, dispatch_uid="leaguetable.email_sha_staff")
