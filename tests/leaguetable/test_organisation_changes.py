"""PCTs that merged: tables and profiles say so instead of "not assessed", and link both ways."""

import csv
import datetime
from pathlib import Path

import pytest

from accounts import roles
from assurance.models import AssessmentYear
from leaguetable import organisations, search
from tests.factories import build_merger, make_user
from tests.leaguetable.test_trend_pages import figure
from tests.pages import csv_rows, soup, table_rows

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

MERGED = "Merged into Newer PCT (NEW) on 1 April 2010"
FORMED = "Formed on 1 April 2010 from Older A PCT (OLA) and Older B PCT (OLB)"


def change(old, new, effective=datetime.date(2010, 4, 1), kind=organisations.MERGER):
    return organisations.OrganisationChange(
        organisations.PCTRef(*old), organisations.PCTRef(*new), kind, effective
    )


def test_a_predecessor_is_merged_from_the_change_on_and_the_successor_formed_before_it():
    changes = organisations.by_pct(
        [change(("B", "B PCT"), ("N", "N PCT")), change(("A", "A PCT"), ("N", "N PCT"))]
    )
    starts = organisations.financial_year_start
    assert changes["A"].status_in_year(starts(2009)) == ""  # 2009/10 ended on 31 March 2010
    assert changes["A"].status_in_year(starts(2010)) == "Merged into N PCT (N) on 1 April 2010"
    assert changes["N"].status_in_year(starts(2010)) == ""
    assert changes["N"].status_in_year(starts(2009)) == (
        "Formed on 1 April 2010 from A PCT (A) and B PCT (B)"  # predecessors in name order
    )


def test_a_renaming_says_renamed_and_names_the_former_name():
    changes = organisations.by_pct(
        [change(("OLD", "Old PCT"), ("NEW", "New PCT"), kind="renaming")]
    )
    starts = organisations.financial_year_start(2010)
    assert changes["OLD"].status_in_year(starts) == "Renamed New PCT (NEW) on 1 April 2010"
    assert (
        changes["NEW"]
        .status_in_year(organisations.financial_year_start(2009))
        .startswith("Named so on 1 April 2010; formerly Old PCT (OLD)")
    )


def test_the_league_table_after_the_merger_says_merged_into_not_not_assessed(client):
    build_merger()
    rows = {row["code"]: row for row in table_rows(client.get("/league/2010-11/"))}
    assert rows["OLA"]["Rank"] == rows["OLB"]["Rank"] == MERGED
    assert rows["NEW"]["Rank"] == "1" or rows["NEW"]["Rank"] == "=1"
    headline = {
        dt.get_text(strip=True): dd.get_text(strip=True)
        for dt, dd in zip(
            soup(client.get("/league/2010-11/")).select(".headline dt"),
            soup(client.get("/league/2010-11/")).select(".headline dd"),
            strict=True,
        )
    }
    assert headline["Merged into another PCT"] == "2"
    assert "Not assessed" not in headline


def test_the_league_table_before_the_merger_leaves_out_the_pct_not_yet_formed(client):
    build_merger()
    rows = {row["code"]: row for row in table_rows(client.get("/league/2009-10/"))}
    assert set(rows) == {"OLA", "OLB", "OTH"}  # the PCTs of 2009/10
    assert rows["OLA"]["Rank"] not in (MERGED, "Not assessed")


def test_the_successors_profile_exists_before_any_year_it_was_assessed_in_is_published(client):
    build_merger()
    AssessmentYear.objects.filter(start_year=2010).update(status="draft")
    response = client.get("/pct/NEW/")
    assert response.status_code == 200
    formed = soup(response).select_one("section.organisation-changes p.formed")
    assert formed.get_text(" ", strip=True).startswith(FORMED.replace(" (", " ").replace(")", ""))
    assert client.get("/pct/NOPE/").status_code == 404


def test_exports_carry_the_merger_in_an_assessment_status_column(client):
    build_merger()
    frame = csv_rows(client.get("/league/2010-11/?_export=csv"))
    status = dict(zip(frame["pct_code"], frame["assessment_status"], strict=True))
    assert status == {"NEW": "assessed", "OTH": "assessed", "OLA": MERGED, "OLB": MERGED}
    assert frame.set_index("pct_code").loc["OLA", "rank"] == ""  # still blank, never 0


def test_the_predecessors_profile_says_it_merged_and_links_its_successor(client):
    build_merger()
    page = soup(client.get("/pct/OLA/"))
    section = page.select_one("section.organisation-changes")
    assert (
        section.select_one("p.ceased")
        .get_text(" ", strip=True)
        .startswith("Merged into Newer PCT NEW on 1 April 2010")
    )
    assert [a["href"] for a in section.select("a")] == ["/pct/NEW/"]
    # Its years side by side: 2010/11 says merged, not "not assessed".
    years = page.select_one("table.side-by-side")
    assert MERGED in years.get_text(" ", strip=True)
    assert "Not assessed" not in years.get_text(" ", strip=True)


def test_the_successors_profile_links_its_predecessors_history(client):
    build_merger()
    section = soup(client.get("/pct/NEW/")).select_one("section.organisation-changes")
    formed = section.select_one("p.formed")
    assert formed.get_text(" ", strip=True).startswith(
        "Formed on 1 April 2010 from Older A PCT OLA and Older B PCT OLB"
    )
    assert [a["href"] for a in formed.select("a")] == ["/pct/OLA/", "/pct/OLB/"]


def test_a_pct_that_never_changed_has_no_changes_section(client):
    build_merger()
    assert soup(client.get("/pct/OTH/")).select_one("section.organisation-changes") is None


def test_the_sha_page_and_compare_say_merged_into(client):
    build_merger()
    sha_rows = {r["code"]: r for r in table_rows(client.get("/sha/Q35/?year=2010-11"))}
    assert sha_rows["OLA"]["Rank"] == MERGED
    compared = soup(client.get("/compare/?pct=OLA&pct=NEW")).get_text(" ", strip=True)
    assert MERGED in compared


def fixture_candidates() -> list[search.Candidate]:
    with (FIXTURES / "pcts.csv").open(encoding="utf-8") as handle:
        return [search.Candidate(row["code"], row["name"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("query", "first"),
    [("NHS Hertfordshire", "5QV"), ("hertfordshire", "5QV"), ("5qv", "5QV")],
)
def test_search_finds_the_successor_first_and_its_predecessors_too(query, first):
    found = [pct.code for pct in search.search(query, fixture_candidates())]
    assert found[0] == first
    if not query.startswith("5"):
        assert {"5P3", "5P4"} <= set(found)


def test_in_the_demo_hertfordshire_pct_has_a_profile_linking_the_two_pcts_it_was_formed_from(
    client, demo_data
):
    response = client.get("/pct/5QV/")
    assert response.status_code == 200
    formed = soup(response).select_one("section.organisation-changes p.formed")
    assert [a["href"] for a in formed.select("a")] == ["/pct/5P3/", "/pct/5P4/"]
    rows = {row["code"]: row for row in table_rows(client.get("/league/2009-10/?q=hertfordshire"))}
    assert set(rows) == {"5P3", "5P4"}  # 5QV was formed after 2009/10
    assert all(row["Rank"].lstrip("=").isdigit() for row in rows.values())


def test_the_publication_page_says_why_a_merged_pct_has_no_results(client):
    build_merger()
    AssessmentYear.objects.filter(start_year=2010).update(status="draft")
    client.force_login(make_user("ada", roles.ADMIN))
    page = soup(client.get("/assurance/2010-11/publication/"))
    not_assessed, merged = page.select("details")[:2]
    assert [li.get_text(strip=True) for li in not_assessed.select("li")] == [
        "None: every PCT was assessed."
    ]
    listed = [li.get_text(" ", strip=True) for li in merged.select("li")]
    assert listed == [
        "Older A PCT OLA (merged into Newer PCT (NEW) on 1 April 2010)",
        "Older B PCT OLB (merged into Newer PCT (NEW) on 1 April 2010)",
    ]


@pytest.mark.parametrize(
    "entries",
    [["5P3", "5QV"], ["East and North Hertfordshire PCT", "NHS Hertfordshire"], ["5QV", "5C4"]],
)
def test_compare_takes_any_pct_on_record_merged_or_formed_since(client, demo_data, entries):
    """5P3 merged into 5QV on 1 April 2010; no published year ranks 5QV, yet its profile is
    there, so the comparison takes it too."""
    response = client.get("/compare/", {"pct": entries})
    page = soup(response)
    assert response.status_code == 200
    assert page.select("[role=alert]") == []
    names = [trace["name"] for trace in figure(response, "rank")["data"]]
    assert "Hertfordshire PCT" in names and len(names) == 2
