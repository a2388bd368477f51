"""A PCT's profile explains its rank: ranks by method, keys, ties, neighbours, next step."""

import pytest

from leaguetable import computed, queries, ranking
from tests import pages

pytestmark = pytest.mark.django_db


def explained(response, year_slug):
    return pages.soup(response).select_one(f"section:has(> h3#explain-{year_slug})")


def facts(section) -> dict[str, object]:
    return {
        dt.get_text(" ", strip=True): dt.find_next_sibling("dd")
        for dt in section.select("dl.facts dt")
    }


def test_somerset_in_year_one_shares_first_place_with_the_other_two_leaders(client, demo_data):
    section = explained(client.get("/pct/5QL/"), "2008-09")
    sentence = section.select_one(".board-sentence").get_text(strip=True)
    assert sentence.startswith(
        "Somerset PCT ranked =1st of 152 in 2008/09 by governance first, one of 27 PCTs rated "
        "green for strategy, finance and board governance"
    )
    shown = facts(section)
    ties = [a.get_text(strip=True) for a in shown["Shares its rank with"].select("a")]
    assert ties == ["Birmingham East and North PCT", "Tower Hamlets PCT"]
    assert all(a["href"].startswith("/pct/") for a in shown["Shares its rank with"].select("a"))
    # Fourth, alone: the three leaders are clear of the rest (the demo's reported story).
    assert "Worcestershire PCT" in shown["Just below"].get_text()
    assert shown["Next step"].get_text(strip=True).startswith("No single step up")


@pytest.mark.parametrize("method", ranking.METHODS)
def test_the_profile_shows_the_rank_under_every_method_and_the_next_step(client, demo_data, method):
    years = queries.public_years()
    rows = computed.ranked_rows(years[-1], years[-2], ranking.METHODS[method])
    row = next(r for r in rows if r.standing and r.standing.next_step)
    response = client.get(f"/pct/{row.scorecard.pct_code}/?method={method}")
    shown = facts(explained(response, years[-1].slug))
    ranks = [li.get_text(strip=True) for li in shown["Rank under each method"].select("li")]
    assert ranks == [f"{m.name}: {row.standing.ranks[slug]}" for slug, m in ranking.METHODS.items()]
    step = row.standing.next_step
    assert (
        shown["Next step"]
        .get_text(strip=True)
        .endswith(
            f"would have moved it from {row.rank_label} to "
            f"{'=' if step.tied_after else ''}{step.rank_after}."
        )
    )
    assert shown["Band"].get_text(strip=True).startswith(f"{row.band} of 4")
