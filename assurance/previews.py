"""Hooks through which the read side adds to the publication page, so assurance never imports it.

The page that asks admins to approve a publication shows what will go public; the league table
that will result is the read side's to draw (leaguetable registers it in its AppConfig.ready()).
A provider is (request, year) -> HTML.
"""

from collections.abc import Callable

_publication_previews: list[Callable] = []


def add_publication_preview(provider: Callable) -> None:
    if provider not in _publication_previews:
        _publication_previews.append(provider)


def publication_previews(request, year) -> list[str]:
    return [html for provider in _publication_previews if (html := provider(request, year))]
