"""The printable one-page PCT report: its content, parsed."""

import pytest

from assurance import actions
from assurance.models import AssessmentYear
from tests.pages import soup

pytestmark = pytest.mark.django_db


def test_the_report_gives_ranks_ratings_scores_and_the_sentence_for_each_year(client, demo_data):
    page = soup(client.get("/pct/5C4/report/"))
    assert page.h1.get_text(" ", strip=True).startswith("Tower Hamlets PCT 5C4")
    table = page.select_one("#report-years-caption").find_parent("table")
    years = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    assert years == ["2008/09", "2009/10"]
    measures = {
        row.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in row("td")]
        for row in table.select("tbody tr")
    }
    for measure in ("Rank", "Strategy", "Finance", "Board governance", "Total competency score"):
        assert len(measures[measure]) == 2, measure
    headings = [h3.get_text(" ", strip=True) for h3 in page.select(".report-year h3")]
    assert headings[0].startswith(f"2009/10: {measures['Rank'][1]} of ")  # the table's rank
    c11 = measures["Competency 11: Make sound financial investments"]
    assert c11[0] == "–" and c11[1] in {"1", "2", "3", "4"}  # first scored in 2009/10
    sentences = [p.get_text(" ", strip=True) for p in page.select(".report-year .board-sentence")]
    assert len(sentences) == 2
    assert all(sentence.startswith("Tower Hamlets PCT ranked ") for sentence in sentences)
    assert "in 2009/10" in sentences[0] and "in 2008/09" in sentences[1]
    assert page.select_one(".banner-illustrative") is not None
    assert "not the official" in page.select_one(".report-source").get_text()


def test_the_report_has_no_forms_and_no_charts(client, demo_data):
    page = soup(client.get("/pct/5C4/report/"))
    assert page.select("main form, main button, figure.chart, script[src]") == []


def test_the_report_follows_the_ranking_method(client, demo_data):
    page = soup(client.get("/pct/5C4/report/?method=competency"))
    assert "ranked by competency" in page.select_one(".lede").get_text(" ", strip=True).lower()


def test_an_unknown_pct_has_no_report(client, demo_data):
    assert client.get("/pct/ZZZ/report/").status_code == 404
    assert client.get("/pct/TOOLONG/report/").status_code == 404


def test_a_draft_year_stays_out_of_the_report_until_published(
    client, demo_data, django_capture_on_commit_callbacks
):
    draft = AssessmentYear.objects.get(start_year=2010)
    assert not draft.is_approved
    content = client.get("/pct/5C4/report/").content.decode()
    assert "2010/11" not in content
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_year(year=draft, by=None)
    page = soup(client.get("/pct/5C4/report/"))
    table = page.select_one("#report-years-caption").find_parent("table")
    assert "2010/11" in [th.get_text(strip=True) for th in table.select("thead th")]


def test_the_profile_links_to_its_report(client, demo_data):
    link = soup(client.get("/pct/5C4/?method=competency")).select_one(".report-link a")
    assert link["href"] == "/pct/5C4/report/?method=competency"
