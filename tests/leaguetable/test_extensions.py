"""The hooks other apps add to the read side through: never for anonymous (cached) pages."""

import pytest
from django.utils.safestring import mark_safe

from leaguetable import extensions
from leaguetable.tables import LeagueColumn
from tests.factories import build_league, make_user
from tests.pages import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_marker_column(monkeypatch):
    """A provider adding a column that shows each PCT's code backwards, for logged-in users."""
    column = LeagueColumn("Backwards", value=lambda row: row.scorecard.pct_code[::-1])
    monkeypatch.setattr(extensions, "_league_columns", [lambda request, year: ("back", column)])
    monkeypatch.setattr(
        extensions, "_profile_sections", [lambda request, code: mark_safe(f"<p>{code}!</p>")]
    )


def headings(response) -> list[str]:
    return [th.get_text(strip=True) for th in soup(response).select("table.league thead th")]


def test_an_added_column_follows_the_pct_for_logged_in_readers_only(client, a_marker_column):
    build_league(2)
    assert "Backwards" not in headings(client.get("/"))
    client.force_login(make_user("ann", "analyst"))
    shown = headings(client.get("/"))
    assert shown[shown.index("PCT") + 1] == "Backwards"


def test_an_added_profile_section_is_for_logged_in_readers_only(client, a_marker_column):
    build_league(1)
    assert "000!" not in client.get("/pct/000/").content.decode()
    client.force_login(make_user("ann", "analyst"))
    assert "<p>000!</p>" in client.get("/pct/000/").content.decode()
