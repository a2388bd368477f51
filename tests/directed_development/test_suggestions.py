"""Suggestions for directed development: assembled per SHA from the rules, in fixed queries."""

import io
import json
import re

import pandas as pd
import pytest

from accounts import roles
from assurance.models import SHA, AssessmentYear
from directed_development import concerns, queries
from directed_development.access import FlagScope
from directed_development.models import SuggestionDismissal
from leaguetable import ranking
from leaguetable.computed import rank_intervals, ranked_rows
from leaguetable.queries import public_years, year_scorecards
from tests.factories import build_flagged_sha, make_user
from tests.pages import csv_rows, soup, table_rows

pytestmark = pytest.mark.django_db


def suggested(year, sha_code):
    years = public_years()
    staff_scope = FlagScope(sha=SHA.objects.get(code=sha_code))
    return {
        s.concern.row.scorecard.pct_code: {rule.slug for rule in s.concern.rules}
        for s in queries.suggestions(year, years, staff_scope, sha_code)
    }


def test_the_2008_09_triple_red_pcts_are_suggested_to_their_own_shas_staff(demo_data):
    year = AssessmentYear.objects.get(start_year=2008)
    triple_red = [r for r in year_scorecards(year) if r.is_triple_red]
    assert len(triple_red) == 2  # as HSJ reported
    for result in triple_red:
        found = suggested(year, result.sha_code)
        assert {"triple-red", "red-finance"} <= found[result.pct_code]
        elsewhere = SHA.objects.exclude(code=result.sha_code).first().code
        assert result.pct_code not in suggested(year, elsewhere)


def test_suggestions_for_one_sha_are_exactly_its_pcts_meeting_a_rule(demo_data):
    year = AssessmentYear.objects.get(start_year=2009)
    found = suggested(year, "Q36")
    rows = queries.concern_rows(year, public_years())
    before = AssessmentYear.objects.get(start_year=2008)
    previous_rows = ranked_rows(before, None, queries.CONCERN_METHOD)
    national = concerns.national_picture(rows, previous_rows)
    expected = {
        row.scorecard.pct_code
        for row in rows
        if row.scorecard.sha_code == "Q36"
        and row.scorecard.assessed
        and any(
            rule.evidence(row, national.previous.get(row.scorecard.pct_code), national)
            for rule in concerns.RULES
        )
    }
    assert expected  # the illustrative London has PCTs of concern in 2009/10
    assert set(found) == expected


def test_the_bottom_tenth_is_measured_against_england_not_the_sha(demo_data):
    year = AssessmentYear.objects.get(start_year=2009)
    rows = queries.concern_rows(year, public_years())
    cutoff = concerns.national_picture(rows).bottom_total_cutoff
    london_totals = {
        r.scorecard.pct_code: r.scorecard.total for r in rows if r.scorecard.sha_code == "Q36"
    }
    bottom = {code for code, rules in suggested(year, "Q36").items() if "bottom-tenth" in rules}
    # A PCT not assessed that year has no total, so no place in the bottom tenth.
    assert bottom == {
        code for code, total in london_totals.items() if total is not None and total <= cutoff
    }


def test_the_page_shows_the_latest_year_with_each_rule_named_and_a_link_to_flag(client, demo_data):
    client.force_login(make_user("sam", roles.SHA_STAFF, SHA.objects.get(code="Q36")))
    response = client.get("/flags/suggestions/")
    content, text = response.content.decode(), soup(response).get_text(" ")
    assert "Suggestions for directed development, 2009/10" in content
    assert "Illustrative data" in content
    year = AssessmentYear.objects.get(start_year=2009)
    for code, slugs in suggested(year, "Q36").items():
        assert f'href="/flags/new/2009-10/{code}/"' in content
        for slug in slugs:
            assert concerns.RULES_BY_SLUG[slug].name in text
    # Only London's PCTs: every row's SHA is London, so no SHA column is needed.
    assert '<th scope="col">SHA</th>' not in content


def test_a_pct_already_flagged_links_to_its_flag_instead_of_the_form(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    content = client.get("/flags/suggestions/").content.decode()
    assert f'href="/flags/{flag_world.flag.pk}/"' in content
    assert 'href="/flags/new/2009-10/5C4/"' not in content
    assert 'href="/flags/new/2009-10/5QL/"' in content


def test_staff_cannot_look_at_another_shas_suggestions_through_the_query(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    content = client.get("/flags/suggestions/?sha=Q30").content.decode()
    assert "5QL" in content
    assert "5PG" not in content


def test_admins_see_every_sha_and_can_choose_one(client, flag_world):
    client.force_login(flag_world.users["admin"])
    everyone = client.get("/flags/suggestions/").content.decode()
    assert {"5C4", "5QL", "5PG"} <= set(re.findall(r'class="code">(\w+)<', everyone))
    other = client.get("/flags/suggestions/?sha=Q30").content.decode()
    assert re.findall(r'class="code">(\w+)<', other) == ["5PG"]
    unknown = client.get("/flags/suggestions/?sha=Q99").content.decode()
    assert "Select a valid choice" in unknown
    assert re.findall(r'class="code">(\w+)<', unknown) == []


# Session, user, groups; published years; PCTs, assessments, scores, organisation changes
# (ranked once, memoised);
# the open flags of the year; the suggestions set aside that year. SHA staff add their SHA;
# admins the SHA list for the filter.
@pytest.mark.parametrize("pct_count", [4, 40])
@pytest.mark.parametrize(("who", "queries_run"), [("sha_staff", 11), ("admin", 11)])
def test_the_suggestions_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, pct_count, who, queries_run
):
    staff, admin = build_flagged_sha(pct_count, ratings="RRR", flag_every=2)
    client.force_login(staff if who == "sha_staff" else admin)
    with django_assert_num_queries(queries_run):
        response = client.get("/flags/suggestions/")
    rows = table_rows(response)
    assert len(rows) == pct_count
    assert all(row["Rules met"].startswith("Three red governance ratings") for row in rows)


def test_any_published_years_suggestions_can_be_triaged(client, demo_data):
    london = SHA.objects.get(code="Q36")
    client.force_login(make_user("sam", roles.SHA_STAFF, london))
    page = client.get("/flags/suggestions/?year=2008-09")
    assert soup(page).h1.get_text(strip=True) == "Suggestions for directed development, 2008/09"
    year = AssessmentYear.objects.get(start_year=2008)
    expected = {
        s.concern.row.scorecard.pct_code
        for s in queries.suggestions(year, public_years(), FlagScope(sha=london), "Q36")
    }
    assert {row["code"] for row in table_rows(page)} == expected
    assert client.get("/flags/suggestions/?year=1999-00").status_code == 404


def test_suggested_pcts_link_to_their_profiles(client, demo_data):
    client.force_login(make_user("sam", roles.SHA_STAFF, SHA.objects.get(code="Q36")))
    links = soup(client.get("/flags/suggestions/")).select("table.suggestions tbody th a")
    assert links and all(a["href"] == f"/pct/{a.find_next('span').get_text()}/" for a in links)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_suggestions_download_holds_the_rows_the_page_shows(client, demo_data, fmt):
    client.force_login(make_user("sam", roles.SHA_STAFF, SHA.objects.get(code="Q36")))
    page = table_rows(client.get("/flags/suggestions/"))
    shown = [(row["code"], row["Rank"].lstrip("="), row["Rank"].startswith("=")) for row in page]
    response = client.get(f"/flags/suggestions/?_export={fmt}")
    if fmt == "csv":
        frame = csv_rows(response)
    elif fmt == "xlsx":
        frame = pd.read_excel(
            io.BytesIO(response.content), sheet_name="Suggestions", dtype=str, engine="openpyxl"
        )
    else:
        frame = pd.DataFrame(json.loads(response.content)["rows"]).astype(str)
    shared = frame["rank_shared"].map(lambda value: value in ("True", "true", "1"))
    assert list(zip(frame["pct_code"], frame["rank"], shared, strict=True)) == shown
    assert frame["data_status"].str.startswith("ILLUSTRATIVE").all()


def test_a_suggestion_set_aside_with_a_reason_is_listed_apart_and_can_be_restored(
    client, flag_world
):
    client.force_login(flag_world.users["sha_staff"])
    client.post("/flags/suggestions/2009-10/5QL/dismiss/", {"reason": "Recovery plan agreed"})
    page = client.get("/flags/suggestions/")
    assert "5QL" not in [
        row["code"] for row in table_rows(page, "table.suggestions:not(.set-aside)")
    ]
    (aside,) = table_rows(page, "table.set-aside")
    assert aside["code"] == "5QL" and "Recovery plan agreed" in aside["Directed development"]
    dismissal = SuggestionDismissal.objects.get()
    client.post(f"/flags/suggestions/dismissals/{dismissal.pk}/restore/")
    page = client.get("/flags/suggestions/")
    assert "5QL" in [row["code"] for row in table_rows(page)]
    dismissal.refresh_from_db()
    assert dismissal.restored_by == flag_world.users["sha_staff"]  # kept on record


def test_only_the_pcts_own_sha_staff_and_admins_may_set_it_aside(client, flag_world):
    client.force_login(flag_world.users["other_sha_staff"])
    response = client.post("/flags/suggestions/2009-10/5QL/dismiss/", {"reason": "Not ours"})
    assert response.status_code == 403
    assert not SuggestionDismissal.objects.exists()
    client.force_login(flag_world.users["sha_staff"])
    client.post("/flags/suggestions/2009-10/5QL/dismiss/", {"reason": "  "})
    assert not SuggestionDismissal.objects.exists()  # a reason is required


def test_restoring_another_shas_set_aside_answers_as_for_one_that_does_not_exist(
    client, flag_world
):
    client.force_login(flag_world.users["sha_staff"])
    client.post("/flags/suggestions/2009-10/5QL/dismiss/", {"reason": "Recovery plan agreed"})
    dismissal = SuggestionDismissal.objects.get()
    client.force_login(flag_world.users["other_sha_staff"])
    theirs = client.post(f"/flags/suggestions/dismissals/{dismissal.pk}/restore/")
    missing = client.post(f"/flags/suggestions/dismissals/{dismissal.pk + 1}/restore/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    dismissal.refresh_from_db()
    assert dismissal.restored_by is None


def test_the_demos_2009_10_suggests_at_most_one_pct_in_six_and_explains_the_greens(demo_data):
    """Rules that mean concern: few suggestions, and a PCT rated green on two or more areas is
    suggested only for its competencies, never for the table moving around it."""
    years = public_years()
    found = queries.found_concerns(years[-1], years)
    assessed = sum(row.scorecard.assessed for row in queries.concern_rows(years[-1], years))
    assert 0 < len(found) <= assessed / 6
    for concern in found:
        if concern.row.scorecard.greens >= 2:
            assert any(rule.kind == "competency" for rule in concern.rules), concern


def test_each_suggestion_shows_its_evidence_in_numbers(client, demo_data):
    client.force_login(make_user("sam", roles.SHA_STAFF, SHA.objects.get(code="Q36")))
    years = public_years()
    expected = {
        c.row.scorecard.pct_code: c for c in queries.found_concerns(years[-1], years, "Q36")
    }
    for shown in table_rows(client.get("/flags/suggestions/")):
        concern = expected[shown["code"]]
        for rule, finding in concern.findings:
            assert f"{rule.name}: {finding}" in shown["Rules met"]


def test_the_methodology_page_states_every_rule_and_its_thresholds(client, db):
    text = " ".join(soup(client.get("/methodology/")).get_text(" ").split())
    assert all(rule.name in text for rule in concerns.RULES)
    assert f"drops by {concerns.TOTAL_DROP_POINTS} points or more" in text
    assert f"drops {concerns.BAND_FALL} bands or more into band {concerns.BOTTOM_BAND}" in text


def old_band_rule_only(rows, previous_rows) -> set[str]:
    """PCTs the band rule found before it asked for a PCT clearly in the bottom quarter (a fall
    of 2 bands or more into band 4 on the observed rank), and that meet no rule now."""
    before = {row.scorecard.pct_code: row.band for row in previous_rows}
    suggested = {c.row.scorecard.pct_code for c in concerns.concerns(rows, None, previous_rows)}
    return {
        row.scorecard.pct_code
        for row in rows
        if row.band == 4
        and before.get(row.scorecard.pct_code) is not None
        and 4 - before[row.scorecard.pct_code] >= 2
        and row.scorecard.pct_code not in suggested
    }


def test_the_methodology_page_says_how_many_suggestions_asking_for_clarity_removed(
    client, demo_data
):
    years = public_years()
    governance = ranking.METHODS["governance"]
    rows = ranked_rows(years[-1], years[-2], governance)
    removed = old_band_rule_only(rows, ranked_rows(years[-2], None, governance))
    # Each of them fell into band 4, but its rank interval reaches above it.
    assert all(r.clear_band != 4 for r in rows if r.scorecard.pct_code in removed)
    page = soup(client.get("/methodology/"))
    text = " ".join(page.select_one("#rules-removed-by-clarity").get_text(" ").split())
    plural = "" if len(removed) == 1 else "s"
    assert f"removed {len(removed)} suggestion{plural} in 2009/10 (illustrative data)" in text


def test_each_suggestion_shows_its_rank_interval(client, demo_data):
    client.force_login(make_user("sam", roles.SHA_STAFF, SHA.objects.get(code="Q36")))
    years = public_years()
    intervals = rank_intervals(years[-1])["governance"]
    shown = table_rows(client.get("/flags/suggestions/"))
    assert shown
    for row in shown:
        assert row["Likely rank"] == f"{row['Rank']} ({intervals[row['code']].label})"
