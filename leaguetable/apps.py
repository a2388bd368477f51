"""App config for the league table (the read side)."""

from django.apps import AppConfig


class LeaguetableConfig(AppConfig):
    name = "leaguetable"
    verbose_name = "League table"

    def ready(self):
        from django.core import checks

        from assurance import preview_hooks
        from assurance.signals import year_changed
        from leaguetable.previews import import_rank_moves, publication_table
        from leaguetable.staticfiles import check_plotly_bundle
        from leaguetable.warming import enqueue_warming

        # The admins approving a publication see the table it would publish; assurance offers
        # the hook and never imports the read side.
        checks.register(check_plotly_bundle, checks.Tags.staticfiles)
        preview_hooks.add_publication_preview(publication_table)
        preview_hooks.add_import_preview(import_rank_moves)
        # A publication, correction or withdrawal re-renders the public pages in the background.
        year_changed.connect(enqueue_warming, dispatch_uid="leaguetable.warming")
