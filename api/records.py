"""What the API answers, as plain dicts, built from the read side's own rules: public years
(leaguetable.years), ranked rows and summaries (leaguetable.computed over leaguetable.queries'
reads), the downloads' records
(leaguetable.exports) and the league page's filters (leaguetable.filters)."""

import math

from django.http import Http404

from assurance.vocabulary import GOVERNANCE_AREAS, competency_column
from leaguetable import computed, exports, queries, ranking, years
from leaguetable.filters import select_rows
from leaguetable.ranked_table import ranked_table
from leaguetable.tables import LeagueTable

# A page of a league table holds at most this many rows (152 PCTs fit in the default).
DEFAULT_PER_PAGE = 200
MAX_PER_PAGE = 1000


class BadRequest(ValueError):
    """A parameter the API cannot answer for, with what was wrong in words (a 400)."""


def _timeline(method: ranking.RankingMethod):
    public = queries.public_years()
    years.public_year(None, public)  # Http404 when no year is public
    return computed.timeline(method, public)


def year_list() -> dict:
    ranked = _timeline(ranking.METHODS[ranking.DEFAULT_METHOD])
    return {
        "data_status": exports.data_status(ranked),
        "years": [
            {
                "slug": year.slug,
                "label": year.label,
                "data_status": exports.data_status([year]),
                "is_illustrative": year.is_illustrative,
                "is_hypothetical": year.is_hypothetical,
                "note": year.note,
                "pcts": len(year.rows),
                "assessed": year.summary.england.assessed,
                "competencies": [
                    {"number": c.number, "column": competency_column(c.number), "name": c.name}
                    for c in year.competencies
                ],
            }
            for year in ranked
        ],
    }


def _change(pct, change) -> dict:
    return {
        "pct_code": pct.code,
        "pct_name": pct.name,
        "kind": change.kind,
        "effective": change.effective,
    }


def pct_reference(scorecard: ranking.PCTScorecard) -> dict:
    changes = scorecard.changes
    became = changes.became
    return {
        "pct_code": scorecard.pct_code,
        "pct_name": scorecard.pct_name,
        "sha_code": scorecard.sha_code,
        "sha_name": scorecard.sha_name,
        "predecessors": [_change(change.predecessor, change) for change in changes.formed_from],
        "successor": None if became is None else _change(became.successor, became),
    }


def pct_list() -> dict:
    return {"pcts": [pct_reference(pct) for pct in queries.all_pcts()]}


def pct_record(code: str, method: ranking.RankingMethod) -> dict:
    """The PCT's reference data and its row in every public year it was a PCT of."""
    scorecard = queries.pct_scorecard(code)
    if scorecard is None:
        raise Http404(f"No PCT has the code {code.upper()}")
    ranked = _timeline(method)
    rows = []
    for year in ranked:
        if (row := year.by_code.get(scorecard.pct_code)) is not None:
            table = LeagueTable([row], year.competencies)
            status = exports.data_status([year])
            rows += exports.table_records(table, status, year=year.label, method=method.slug)
    return pct_reference(scorecard) | {
        "data_status": exports.data_status(ranked),
        "method": method.slug,
        "years": rows,
    }


def sha_list() -> dict:
    return {"shas": [{"sha_code": code, "sha_name": name} for code, name in queries.all_shas()]}


def sha_record(code: str, method: ranking.RankingMethod) -> dict:
    """The SHA, its PCTs, and its PCTs' summary in every public year."""
    code = code.upper()
    name = dict(queries.all_shas()).get(code)
    if name is None:
        raise Http404(f"No SHA has the code {code}")
    ranked = _timeline(method)
    summaries = []
    for year in ranked:
        summary = year.sha_summary(code)
        if summary is not None:
            summaries.append(
                {
                    "year": year.label,
                    "assessed": summary.assessed,
                    "total_median": summary.total_median,
                    "rank_median": summary.rank_median,
                    "ratings": {
                        area: dict(summary.rag_counts.get(area, {})) for area in GOVERNANCE_AREAS
                    },
                }
            )
    pcts = [pct for pct in queries.all_pcts() if pct.sha_code == code]
    return {
        "sha_code": code,
        "sha_name": name,
        "data_status": exports.data_status(ranked),
        "method": method.slug,
        "pcts": [pct_reference(pct) for pct in pcts],
        "years": summaries,
    }


def league_page(request, slug: str, method: ranking.RankingMethod, page: int, per_page: int):
    """One page of the year's league table under `method`, with the league page's filters
    (read from request.GET by its own filter form) and sort, as the downloads' records."""
    public = queries.public_years()
    year = years.public_year(slug, public)
    previous = years.previous_year(year, public)
    whole = ranked_table(year, previous, method)
    selection = select_rows(request, year, whole)
    if not selection.is_valid:
        raise BadRequest(_form_errors(selection.filterset.form.errors))
    for _, value, kept in selection.row_filters:
        if kept is None:
            raise Http404(f"No saved group has the token {value}")
    table = LeagueTable(selection.rows, computed.competencies(year), whole=whole)
    _sort(table, request.GET.get("sort", ""))
    rows = list(table.data)
    pages = max(1, math.ceil(len(rows) / per_page))
    if page > pages:
        raise Http404(f"Page {page} is past the last page, {pages}")
    shown = rows[(page - 1) * per_page : page * per_page]
    status = exports.data_status([year])
    return {
        "year": year.label,
        "method": method.slug,
        "data_status": status,
        "count": len(rows),
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "next": _page_link(request, page + 1) if page < pages else None,
        "previous": _page_link(request, page - 1) if page > 1 else None,
        "rows": exports.table_records(
            table, status, year=year.label, method=method.slug, rows=shown
        ),
    }


def _sort(table: LeagueTable, sort: str) -> None:
    """Sort by one column as the league page's ?sort= does (django-tables2's columns and
    order), refusing what the page would silently ignore."""
    if not sort:
        return
    table.order_by = [sort]
    if list(table.order_by or ()) != [sort]:
        columns = ", ".join(bound.name for bound in table.columns if bound.orderable)
        raise BadRequest(
            f"Cannot sort by {sort!r}: sort by one of {columns}, with a leading - for descending"
        )


def _page_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


def _form_errors(errors) -> str:
    return "; ".join(
        f"{name}: {' '.join(str(message) for message in messages)}"
        for name, messages in errors.items()
    )
