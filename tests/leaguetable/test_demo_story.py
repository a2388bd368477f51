"""The illustrative demo tells the story HSJ and DH reported (DOMAIN.md), read off the pages."""

import io
from collections import Counter

import pandas as pd
import pytest

from assurance import actions, demo
from assurance.models import AssessmentYear, CompetencyScore
from leaguetable import exports, ranking
from tests import pages

pytestmark = pytest.mark.django_db


def ranks_by_code(client, url) -> dict[str, str]:
    return {row["code"]: row["Rank"] for row in pages.table_rows(client.get(url))}


@pytest.mark.parametrize("method", ranking.METHODS)
def test_year_one_has_exactly_three_leaders_clear_of_the_rest(client, demo_data, method):
    ranks = ranks_by_code(client, f"/league/2008-09/?method={method}")
    leaders = {code for code, rank in ranks.items() if rank.lstrip("=") == "1"}
    assert leaders == set(demo.YEAR_ONE_LEADERS)
    # Nobody shares the leaders' place, and the next PCT is fourth on its own merit.
    assert sorted(int(rank.lstrip("=")) for rank in ranks.values())[3] == 4


def test_year_one_then_has_24_more_triple_green_pcts(client, demo_data):
    rows = pages.table_rows(client.get("/league/2008-09/?pattern=triple-green"))
    codes = {row["code"] for row in rows}
    assert len(codes) == 27
    assert set(demo.YEAR_ONE_LEADERS) < codes


def test_year_two_gives_the_better_pcts_some_threes_and_some_fours(demo_data):
    scores = CompetencyScore.objects.filter(assessment__year__start_year=2009)
    fours_per_pct = Counter(scores.filter(score=4).values_list("assessment__pct__code", flat=True))
    values = list(scores.values_list("score", flat=True))
    assert 0 < len(fours_per_pct) <= 20  # some of the better PCTs, not a third of England
    assert max(fours_per_pct.values()) <= 3  # some 4s, not near-perfect
    assert sum(2 <= v <= 3 for v in values) / len(values) > 0.7  # "most between 2 and 3"


def test_year_two_analysed_146_of_152_pcts(client, demo_data):
    rows = pages.table_rows(client.get("/league/2009-10/"))
    not_assessed = [row for row in rows if row["Rank"] == "Not assessed"]
    assert (len(rows), len(not_assessed)) == (152, 6)
    assert not set(demo.YEAR_ONE_LEADERS) & {row["code"] for row in not_assessed}


def test_the_year_two_export_says_which_six_were_not_assessed(client, demo_data):
    response = client.get("/league/2009-10/?_export=csv")
    frame = pd.read_csv(io.BytesIO(response.content), dtype=str, comment="#")
    assert frame["rank"].isna().sum() == 6


def test_pages_showing_the_hypothetical_round_say_it_never_took_place(admin_client, demo_data):
    year = AssessmentYear.objects.get(start_year=2010)
    for url in ("/assurance/", f"/assurance/{year.slug}/", f"/assurance/{year.slug}/publication/"):
        text = pages.soup(admin_client.get(url)).get_text(" ", strip=True)
        assert "2010/11" in text
        assert "no such round took place" in text or "No 2010/11 round" in text, url


def test_the_real_rounds_carry_no_hypothetical_notice(client, demo_data):
    text = pages.soup(client.get("/league/2009-10/")).get_text(" ", strip=True)
    assert "round of WCC assurance took place" not in text


def test_a_published_hypothetical_year_says_so_on_its_pages_and_downloads(client, demo_data):
    actions.publish_year(year=AssessmentYear.objects.get(start_year=2010), by=None)
    for url in ("/league/2010-11/", "/pct/5QL/"):
        text = pages.soup(client.get(url)).get_text(" ", strip=True)
        assert "No 2010/11 round of WCC assurance took place" in text, url
    response = client.get("/league/2010-11/?_export=csv")
    frame = pd.read_csv(io.BytesIO(response.content), dtype=str, comment="#")
    assert set(frame["data_status"]) == {
        "HYPOTHETICAL: no WCC assurance round took place in 2010/11; " + exports.ILLUSTRATIVE
    }
