"""App config for saved groups: its answer to publication, and its additions to the read side."""

from django.apps import AppConfig


class WatchlistsConfig(AppConfig):
    name = "watchlists"
    verbose_name = "Saved groups of PCTs"

    def ready(self):
        from assurance.signals import year_became_public
        from leaguetable import extensions
        from watchlists import additions, tasks

        # One email per owner who asked for it, queued once the year is public.
        year_became_public.connect(
            tasks.enqueue_group_summaries, dispatch_uid="watchlists.email_group_summaries"
        )
        # ?group=<token> on the league table, and "Add to group" on a PCT's profile.
        extensions.add_league_filter("group", additions.group_filter)
        extensions.add_profile_section(additions.add_to_group_section)
