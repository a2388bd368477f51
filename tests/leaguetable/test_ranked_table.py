"""What the league page keeps per revision (leaguetable.ranked_table) is what it would work out
from scratch, and is worked out again when results change."""

import re
import statistics

import pytest
from bs4 import BeautifulSoup

from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import AssessmentYear
from leaguetable import computed, queries, ranked_table, ranking, search
from leaguetable.years import previous_year
from tests.leaguetable.test_league_page import shown_codes, table_rows

pytestmark = pytest.mark.django_db


def latest(method="governance") -> ranked_table.RankedTable:
    years = queries.public_years()
    previous = previous_year(years[-1], years)
    return ranked_table.ranked_table(years[-1], previous, ranking.METHODS[method])


def headline_from_scratch(rows) -> ranking.Headline:
    """The headline as it was worked out before it was kept: a walk per figure."""
    scorecards = [row.scorecard for row in rows]
    totals = [card.total for card in scorecards if card.assessed]
    return ranking.Headline(
        pcts=len(scorecards),
        assessed=len(totals),
        triple_green=sum(card.is_triple_green for card in scorecards),
        triple_red=sum(card.is_triple_red for card in scorecards),
        median_total=statistics.median(totals) if totals else None,
        band_counts={band: sum(row.band == band for row in rows) for band in ranking.BANDS},
        changed=sum(bool(card.organisation_status) and not card.assessed for card in scorecards),
    )


@pytest.mark.parametrize("method", list(ranking.METHODS))
def test_the_kept_headline_is_the_headline_from_scratch(demo_data, method):
    table = latest(method)
    assert table.headline == headline_from_scratch(table.rows)
    some = table.rows[::3]
    assert ranking.headline(some) == headline_from_scratch(some)


def test_the_one_pass_headline_counts_triple_ratings_merged_and_not_assessed_pcts():
    def card(code, *ratings, status=""):
        scores = {1: 2, 2: 3} if ratings else {}
        return ranking.PCTScorecard(code, code, "Q1", "SHA", *ratings, scores=scores,
                                    organisation_status=status)  # fmt: skip

    rows = ranking.rank(
        [
            card("A", "G", "G", "G"),
            card("B", "R", "R", "R"),
            card("C", "G", "G", "A"),
            card("D", "R", "R", "A"),
            card("E"),
            card("F", status="Merged into A on 1 Oct 2009"),
        ],
        ranking.METHODS["governance"],
    )
    figures = ranking.headline(rows)
    assert figures == headline_from_scratch(rows)
    assert (figures.triple_green, figures.triple_red) == (1, 1)
    assert (figures.pcts, figures.assessed, figures.changed, figures.not_assessed) == (6, 4, 1, 1)
    assert figures.band_counts == {1: 1, 2: 1, 3: 1, 4: 1}


@pytest.mark.parametrize("alias", ["total", "-total", "c4", "-pct", "sha", "-movement", "band"])
def test_a_kept_sort_order_is_the_order_sorted_from_scratch(client, demo_data, alias):
    client.get(f"/?sort={alias}")  # the order is kept
    from_scratch = ranking.sort_rows(
        latest().rows, SORT_VALUES[alias.lstrip("-")], alias.startswith("-")
    )
    expected = [row.scorecard.pct_code for row in from_scratch]
    assert shown_codes(client.get(f"/?sort={alias}")) == expected
    # Narrowed to one SHA, the kept order gives the SHA's rows sorted by themselves.
    in_q36 = [row for row in from_scratch if row.scorecard.sha_code == "Q36"]
    assert shown_codes(client.get(f"/?sort={alias}&sha=Q36")) == [
        row.scorecard.pct_code for row in in_q36
    ]


SORT_VALUES = {
    "total": lambda row: row.scorecard.total,
    "c4": lambda row: row.scorecard.scores.get(4),
    "pct": lambda row: row.scorecard.pct_name,
    "sha": lambda row: row.scorecard.sha_name,
    "movement": lambda row: row.movement,
    "band": lambda row: row.band,
}


def test_a_page_built_from_what_is_kept_is_the_page_built_from_scratch(client, demo_data):
    for url in ("/", "/?sort=-c2", "/?sha=Q36&sort=pct"):
        client.get(url)
        kept = client.get(url).content
        computed.forget_ranked_rows()  # ranked_table's kept tables with them
        assert client.get(url).content == kept, url


def test_results_changed_are_worked_out_again(
    client, demo_data, django_capture_on_commit_callbacks
):
    before = latest()
    triple_red = before.headline.triple_red
    assert shown_codes(client.get("/?sort=-total"))[0] != "5C4"
    year = AssessmentYear.objects.get(start_year=2009)
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_year_results(
            year=year,
            results=[
                PanelDecision("5C4", "R", "R", "R", scores=dict.fromkeys(range(1, 12), 4)),
            ],
        )
    after = latest()
    assert after is not before
    assert after.headline == headline_from_scratch(after.rows)
    assert after.headline.triple_red != triple_red or after.headline.pcts != before.headline.pcts
    assert shown_codes(client.get("/?sort=-total"))[0] == "5C4"
    row = table_rows(client.get("/?q=5C4"))[0]
    assert row[3:6] == ["Red", "Red", "Red"]


def test_rows_ranked_again_in_the_same_revision_are_derived_from_again(demo_data):
    before = latest()
    before.headline  # noqa: B018 (kept)
    computed.forget_ranked_rows()
    after = latest()
    assert after is not before
    assert after.rows is not before.rows
    assert after.headline == before.headline


def test_the_names_offered_are_every_pct_in_name_order(client, demo_data):
    names = re.findall(r'<option value="([^"]+)">([^<]+)</option>', latest().names_html)
    assert len(names) == len(latest().rows)
    assert [name for name, _ in names] == sorted(
        (name for name, _ in names), key=lambda name: name.casefold()
    )
    assert latest().names_html in client.get("/").content.decode()


def test_the_names_offered_are_escaped_and_read_back_exactly():
    candidates = [
        search.Candidate("X&1", 'A & B\'s "<x>" PCT'),
        search.Candidate("5QL", "Somerset PCT"),
    ]
    page = BeautifulSoup(ranked_table.names_datalist(candidates), "html.parser")
    options = page.select("datalist#pct-names > option")
    assert [(option["value"], option.get_text()) for option in options] == [
        ('A & B\'s "<x>" PCT', "X&1"),
        ("Somerset PCT", "5QL"),
    ]
    assert "<x>" not in ranked_table.names_datalist(candidates)


def test_with_the_page_cache_off_every_request_renders_uncompressed(client, demo_data, settings):
    settings.LEAGUE_CACHE_SECONDS = 0
    client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    # Rendered, not read from the page cache (a warm page asks the database nothing).
    assert "leaguetable/league.html" in [template.name for template in response.templates]
    assert "Content-Encoding" not in response
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("value", ["", "b", "<&'\">", None])
@pytest.mark.parametrize(
    "choices",
    [
        [("", "Any"), ("a", "A & B"), ("b", "<b>bold</b>"), ("<&'\">", 'Quote\'s "x"')],
        [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")],
    ],
)
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "aria-invalid": "true"}, {"required": True, "hidden": False}]
)
def test_the_quick_select_renders_what_djangos_select_renders(choices, value, attrs):
    from django import forms

    from leaguetable.filters import QuickSelect

    assert QuickSelect(choices=choices).render("x", value, attrs) == forms.Select(
        choices=choices
    ).render("x", value, attrs)


def test_a_restarted_worker_reads_the_rank_interval_chart_rather_than_drawing_it(
    client, demo_data, monkeypatch, settings
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders the page
    drawn = client.get("/").content
    computed.forget_ranked_rows()  # a new worker: only the shared cache remembers the year
    calls = []
    original = ranked_table.caterpillar.caterpillar_chart
    monkeypatch.setattr(
        ranked_table.caterpillar,
        "caterpillar_chart",
        lambda *args, **kwargs: calls.append(args) or original(*args, **kwargs),
    )
    assert client.get("/").content == drawn
    assert calls == []
    assert b'id="chart-rank-intervals"' in drawn


def test_a_restarted_workers_first_league_page_reads_no_years_rows(
    client, demo_data, monkeypatch, settings
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders the page
    drawn = client.get("/").content
    computed.forget_ranked_rows()  # a new worker: only the shared cache remembers the year

    def never_read_every_row(*args):
        raise AssertionError("the first page read the year's rows")

    monkeypatch.setattr(computed, "ranked_rows", never_read_every_row)
    assert client.get("/").content == drawn


def test_the_table_rows_read_every_row_only_past_the_first_page():
    every = list(range(450))
    reads = []

    def read_all():
        reads.append("all")
        return every

    rows = ranked_table.TableRows(lambda: (len(every), every[:200]), read_all)
    assert len(rows) == 450
    assert rows[0:200] == every[:200]
    assert rows[150:200] == every[150:200]
    assert reads == []
    assert rows[200:400] == every[200:400]
    assert reads == ["all"]
    assert list(rows) == every
    assert rows[5] == 5
    assert reads == ["all"]
