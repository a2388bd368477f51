"""The league table a year would publish, for the admins' publication page (assurance.previews)."""

from django.template.loader import render_to_string

from leaguetable import queries, ranking

SHOWN = 10


def publication_table(request, year) -> str:
    """The top and bottom ten under the default method, as the public would see them."""
    method = ranking.METHODS[ranking.DEFAULT_METHOD]
    rows = [row for row in queries.ranked_rows(year, None, method) if row.rank is not None]
    return render_to_string(
        "leaguetable/_publication_preview.html",
        {
            "method": method,
            "top": rows[:SHOWN],
            "bottom": rows[-SHOWN:] if len(rows) > SHOWN else [],
            "assessed": len(rows),
        },
        request=request,
    )
