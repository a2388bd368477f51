"""What saved groups add to the read side's pages (see leaguetable.extensions)."""

from django.template.loader import render_to_string
from django.urls import reverse

from leaguetable.extensions import RowFilter
from watchlists import queries


def group_filter(request, token: str) -> RowFilter | None:
    """?group=<token> on the league table: the group's PCTs, for anyone holding the link."""
    found = queries.codes_by_token(token)
    if found is None:
        return None
    name, codes = found
    url = reverse("watchlists:group", args=[token])
    return RowFilter(label=f"the saved group “{name}”", codes=frozenset(codes), url=url)


def add_to_group_section(request, pct_code: str) -> str:
    """ "Add to group" on a PCT's profile, for logged-in readers: their groups, or a new one."""
    return render_to_string(
        "watchlists/_add_to_group.html",
        {"pct_code": pct_code, "groups": queries.groups_of(request.user)},
        request=request,
    )
