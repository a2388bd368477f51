"""App config for directed development: connects its receiver and its additions to the read side."""

from django.apps import AppConfig


class DirectedDevelopmentConfig(AppConfig):
    name = "directed_development"
    verbose_name = "Directed development"

    def ready(self):
        from assurance.signals import year_became_public
        from directed_development import additions
        from directed_development.tasks import enqueue_publication_emails
        from leaguetable import extensions

        # Publishing happens in assurance.actions, but the rules for concern live here: the record
        # announces a year once it is public (after commit, at the embargo's moment if any) and
        # this app answers by queueing the emails as a background task (wcc/tasks.py).
        year_became_public.connect(
            enqueue_publication_emails, dispatch_uid="directed_development.email"
        )
        # The flag marker on league tables and the flags section of PCT profiles, for users who
        # may see flags; leaguetable asks its hooks and never imports this app.
        extensions.add_league_column(additions.league_flag_column)
        extensions.add_profile_section(additions.pct_flags_section)
        extensions.add_methodology_section(additions.rules_for_concern_section)
