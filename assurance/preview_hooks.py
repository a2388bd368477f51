"""Hooks through which the read side adds to admins' previews, so assurance never imports it.

The page that asks admins to approve a publication shows what will go public, and an import's
preview shows what it would do; the league table that results is the read side's to draw
(leaguetable registers its providers in its AppConfig.ready()).
- publication preview: (request, year) -> HTML;
- import preview: (request, year, changes) -> HTML, `changes` being DecisionChanges.
"""

from collections.abc import Callable

_publication_previews: list[Callable] = []
_import_previews: list[Callable] = []


def add_publication_preview(provider: Callable) -> None:
    if provider not in _publication_previews:
        _publication_previews.append(provider)


def publication_previews(request, year) -> list[str]:
    return [html for provider in _publication_previews if (html := provider(request, year))]


def add_import_preview(provider: Callable) -> None:
    if provider not in _import_previews:
        _import_previews.append(provider)


def import_previews(request, year, changes) -> list[str]:
    return [html for provider in _import_previews if (html := provider(request, year, changes))]
