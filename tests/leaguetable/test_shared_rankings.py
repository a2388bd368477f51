"""Rankings built once per revision and shared by every process through the cache."""

import pytest
from django.core.cache import cache
from django.test.utils import override_script_prefix

from leaguetable import computed, queries, ranking
from leaguetable.charts import overview, sha
from leaguetable.years import previous_year
from tests.pages import soup, table_rows
from tests.test_cache import cache_keys

pytestmark = pytest.mark.django_db

METHOD = ranking.METHODS["governance"]


def latest_year():
    years = queries.public_years()
    return years[-1], previous_year(years[-1], years)


def standings(rows) -> list[tuple[str, int, int]]:
    return [(row.scorecard.pct_code, row.rank, row.scorecard.total) for row in rows]


def never_read_the_database(year):
    raise AssertionError("ranked again instead of reading the shared rankings")


def test_a_restarted_worker_reads_the_rankings_another_built(flag_world, monkeypatch):
    year, previous = latest_year()
    built = computed.ranked_rows(year, previous, METHOD)
    summary = computed.summarised_year(year, previous, METHOD).summary
    computed.forget_ranked_rows()  # this process starts afresh; the shared cache keeps them
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    monkeypatch.setattr(queries, "year_competencies", never_read_the_database)
    shared = computed.ranked_rows(year, previous, METHOD)
    assert standings(shared) == standings(built)
    assert [row.standing for row in shared] == [row.standing for row in built]
    assert computed.summarised_year(year, previous, METHOD).summary == summary


def test_a_correction_is_ranked_afresh_never_served_from_the_old_revision(
    flag_world, django_capture_on_commit_callbacks
):
    year, previous = latest_year()
    before = {
        row.scorecard.pct_code: row.scorecard.total
        for row in computed.ranked_rows(year, previous, METHOD)
    }
    assert before["5K5"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    computed.forget_ranked_rows()
    year, previous = latest_year()
    after = {
        row.scorecard.pct_code: row.scorecard.total
        for row in computed.ranked_rows(year, previous, METHOD)
    }
    assert after["5K5"] == 2


def test_a_damaged_shared_copy_is_ranked_again(demo_data):
    year, previous = latest_year()
    built = computed.ranked_rows(year, previous, METHOD)
    computed.forget_ranked_rows()
    rows_keys = [key for key in cache_keys() if f":rows:{METHOD.slug}:" in key]
    assert rows_keys
    for key in rows_keys:
        cache.set(key.split(":", 2)[2], b"not a pickle")
    assert standings(computed.ranked_rows(year, previous, METHOD)) == standings(built)


def test_a_new_release_ranks_afresh_rather_than_unpickle_the_old_releases_rows(
    flag_world, settings, monkeypatch
):
    settings.RELEASE = "release-1"
    year, previous = latest_year()
    built = computed.ranked_rows(year, previous, METHOD)
    computed.forget_ranked_rows()
    settings.RELEASE = "release-2"  # a deploy whose classes may pickle differently
    read = []
    monkeypatch.setattr(queries, "year_scorecards", counted(queries.year_scorecards, read))
    assert standings(computed.ranked_rows(year, previous, METHOD)) == standings(built)
    assert read  # ranked again: the old release's copy was not read


def counted(function, calls: list):
    def counting(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return counting


# The overview draws from every year's rows, but its charts need only summaries and ten movers:
# the charts are what is shared, so a restarted worker unpickles neither year's rows.
@pytest.fixture
def overview_rendered_every_time(settings):
    settings.LEAGUE_CACHE_SECONDS = 0  # no page cache: each request builds the page's context


def never_called(*args, **kwargs):
    raise AssertionError("rebuilt instead of reading the shared copy")


def overview_charts(response) -> list[tuple[str, str]]:
    return [(chart.slug, chart.title) for chart in response.context["charts"]]


def test_a_restarted_worker_reads_the_overview_charts_another_built(
    client, flag_world, overview_rendered_every_time, monkeypatch
):
    built = overview_charts(client.get("/overview/"))
    computed.forget_ranked_rows()  # this process starts afresh; the shared cache keeps them
    monkeypatch.setattr(overview, "charts", never_called)
    monkeypatch.setattr(computed, "summarised_year", never_called)  # no year's rows read
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    response = client.get("/overview/")
    assert response.status_code == 200
    assert overview_charts(response) == built


def test_the_overview_charts_are_built_again_after_a_correction(
    client,
    flag_world,
    overview_rendered_every_time,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    client.get("/overview/")
    built = []
    monkeypatch.setattr(overview, "charts", counted(overview.charts, built))
    client.get("/overview/")
    assert built == []  # memoised in this process
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    client.get("/overview/")
    assert len(built) == 1
    computed.forget_ranked_rows()
    client.get("/overview/")
    assert len(built) == 1  # the corrected charts are the shared ones now


def test_a_restarted_worker_draws_an_shas_page_without_ranking_again(
    client, demo_data, settings, monkeypatch
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    first = client.get("/sha/Q36/")
    computed.forget_ranked_rows()
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    # Its charts are shared, and its table is its SHA's shared rows: no whole year is read.
    monkeypatch.setattr(sha, "charts", never_called)
    monkeypatch.setattr(computed, "ranked_rows", never_called)
    again = client.get("/sha/Q36/")
    assert table_rows(again) == table_rows(first)
    assert again.context["charts"] == first.context["charts"]


# After a publication or correction the background task renders the pages drawn from whole
# years (leaguetable.warming), so a reader's first page in any worker ranks nothing.
def test_after_a_correction_the_warming_leaves_no_year_for_a_reader_to_rank(
    client, flag_world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WARM_PAGE_CACHE = True  # run at once here (the immediate task backend)
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    client.get("/")  # ranked before the correction
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    computed.forget_ranked_rows()  # another worker: only the shared cache knows the new revision
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    totals = {row["code"]: row["Total"] for row in table_rows(client.get("/"))}
    assert totals["5K5"] == "2"
    sha_page = client.get("/sha/Q36/")
    assert {row["code"]: row["Total"] for row in table_rows(sha_page)}["5K5"] == "2"
    assert client.get("/overview/").status_code == 200


def test_a_restarted_worker_draws_a_profile_without_ranking_again(
    client, demo_data, settings, monkeypatch
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    first = client.get("/pct/5C4/")
    computed.forget_ranked_rows()
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    again = client.get("/pct/5C4/")
    assert again.status_code == 200
    assert again.content == first.content
    assert [year.slug for year, _ in again.context["explanations"]] == ["2009-10", "2008-09"]


def test_a_profile_drawn_under_one_script_prefix_keeps_its_links_under_another(
    client, demo_data, settings
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page

    def compare_links(response) -> set[str]:
        page = soup(response)
        return {a["href"].split("?")[0] for a in page.select("a[href*='compare']")}

    with override_script_prefix("/wcc/"):  # served under /wcc/ (the test client sets none)
        assert compare_links(client.get("/pct/5C4/")) == {"/wcc/compare/"}
    assert compare_links(client.get("/pct/5C4/")) == {"/compare/"}


def test_a_process_lets_an_old_revisions_rows_go_once_it_sees_a_newer_one(
    flag_world, django_capture_on_commit_callbacks
):
    import gc
    import weakref

    from leaguetable import ranked_table

    year, previous = latest_year()
    old_table = weakref.ref(ranked_table.ranked_table(year, previous, METHOD))
    old_year = weakref.ref(computed.summarised_year(year, previous, METHOD))
    other_method = weakref.ref(
        ranked_table.ranked_table(year, previous, ranking.METHODS["competency"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    gc.collect()
    assert old_table() is not None  # nothing has read the year since: kept
    year, previous = latest_year()
    new_rows = computed.ranked_rows(year, previous, METHOD)
    gc.collect()
    assert old_table() is None and old_year() is None and other_method() is None
    assert {row.scorecard.pct_code: row.scorecard.total for row in new_rows}["5K5"] == 2
