"""The league table's directed development marker: a column for those who may see flags."""

import html

from django.urls import reverse

from leaguetable.ranking import RankedRow
from leaguetable.tables import LeagueColumn

# Sorting by the marker puts confirmed flags above proposed ones, unflagged PCTs last.
FLAG_ORDER = {"proposed": 1, "confirmed": 2}


def flag_cell(flag) -> str:
    """An open directed development flag, linked to its page; nothing for an unflagged PCT."""
    if flag is None:
        return ""
    url = reverse("directed_development:flag", args=[flag.pk])
    return f'<a class="flag flag-{flag.status}" href="{url}">{html.escape(flag.label)}</a>'


def flag_column(flags: dict) -> LeagueColumn:
    """The marker column, from the open flags of the year (PCT code -> OpenFlag) read up front.

    Downloads leave it out, as they always have: who may see flags is decided per user, and a
    download travels further than the page.
    """

    def status_order(row: RankedRow) -> int | None:
        flag = flags.get(row.scorecard.pct_code)
        return None if flag is None else FLAG_ORDER[flag.status]

    return LeagueColumn(
        "Flag",
        value=status_order,
        cell_html=lambda row: flag_cell(flags.get(row.scorecard.pct_code)),
        exported=(),
        attrs={"th": {"class": "", "scope": "col", "title": "Directed development flag"}},
    )
