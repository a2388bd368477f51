"""The league table's directed development marker: a column for those who may see flags."""

import html

from django.urls import reverse

from leaguetable.ranking import RankedRow
from leaguetable.tables import ExportField, LeagueColumn

# Sorting by the marker puts confirmed flags above proposed ones, unflagged PCTs last.
FLAG_ORDER = {"proposed": 1, "confirmed": 2}


def flag_cell(flag) -> str:
    """An open directed development flag, linked to its page; nothing for an unflagged PCT."""
    if flag is None:
        return ""
    url = reverse("directed_development:flag", args=[flag.pk])
    return f'<a class="flag flag-{flag.status}" href="{url}">{html.escape(flag.label)}</a>'


FILTER_CHOICES = {
    "flagged": "Flagged (proposed or confirmed)",
    "proposed": "Proposed",
    "confirmed": "Confirmed",
    "unflagged": "Not flagged",
}


def flag_column(flags: dict) -> LeagueColumn:
    """The marker column, from the open flags of the year (PCT code -> OpenFlag) read up front.

    Only users who may see flags get it, on the page and in their downloads (`flag_status`);
    anonymous readers' pages and downloads, cached and shared, never do. `?flag=` filters by it.
    """

    def open_flag(row: RankedRow):
        return flags.get(row.scorecard.pct_code)

    def status_order(row: RankedRow) -> int | None:
        flag = open_flag(row)
        return None if flag is None else FLAG_ORDER[flag.status]

    def matches(row: RankedRow, chosen: str) -> bool:
        flag = open_flag(row)
        if chosen == "unflagged":
            return flag is None
        return flag is not None and chosen in ("flagged", flag.status)

    return LeagueColumn(
        "Flag",
        value=status_order,
        cell_html=lambda row: flag_cell(open_flag(row)),
        exported=(
            ExportField(
                "flag_status",
                lambda row: flag.label if (flag := open_flag(row)) else "",
                meaning="The PCT's open directed development flag this year: Proposed, "
                "Confirmed, or blank",
            ),
        ),
        filter_choices=FILTER_CHOICES,
        filter_matches=matches,
        attrs={"th": {"class": "", "scope": "col", "title": "Directed development flag"}},
    )
