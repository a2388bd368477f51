"""Rankings built once per revision and shared by every process through the cache."""

import pytest
from django.core.cache import cache
from django.test.utils import override_script_prefix

from leaguetable import queries, ranking, shared
from leaguetable.charts import overview
from tests.pages import soup, table_rows
from tests.test_cache import cache_keys

pytestmark = pytest.mark.django_db

METHOD = ranking.METHODS["governance"]


def latest_year():
    years = queries.public_years()
    return years[-1], queries.previous_year(years[-1], years)


def standings(rows) -> list[tuple[str, int, int]]:
    return [(row.scorecard.pct_code, row.rank, row.scorecard.total) for row in rows]


def never_read_the_database(year):
    raise AssertionError("ranked again instead of reading the shared rankings")


def test_a_restarted_worker_reads_the_rankings_another_built(flag_world, monkeypatch):
    year, previous = latest_year()
    built = queries.ranked_rows(year, previous, METHOD)
    summary = queries.summarised_year(year, previous, METHOD).summary
    queries.forget_ranked_rows()  # this process starts afresh; the shared cache keeps them
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    monkeypatch.setattr(queries, "year_competencies", never_read_the_database)
    shared = queries.ranked_rows(year, previous, METHOD)
    assert standings(shared) == standings(built)
    assert [row.standing for row in shared] == [row.standing for row in built]
    assert queries.summarised_year(year, previous, METHOD).summary == summary


def test_a_correction_is_ranked_afresh_never_served_from_the_old_revision(
    flag_world, django_capture_on_commit_callbacks
):
    year, previous = latest_year()
    before = {
        row.scorecard.pct_code: row.scorecard.total
        for row in queries.ranked_rows(year, previous, METHOD)
    }
    assert before["5K5"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    queries.forget_ranked_rows()
    year, previous = latest_year()
    after = {
        row.scorecard.pct_code: row.scorecard.total
        for row in queries.ranked_rows(year, previous, METHOD)
    }
    assert after["5K5"] == 2


@pytest.mark.parametrize("damaged", ["the count", "a chunk"])
def test_a_damaged_shared_copy_is_ranked_again(demo_data, few_rows_a_chunk, damaged):
    year, previous = latest_year()
    built = queries.ranked_rows(year, previous, METHOD)
    queries.forget_ranked_rows()
    count_key = next(key for key in shared_keys() if key.endswith(":rows:" + rows_key_tail()))
    key = count_key if damaged == "the count" else f"{count_key}:3"
    assert key in shared_keys()
    cache.set(key, b"not a pickle")
    assert standings(queries.ranked_rows(year, previous, METHOD)) == standings(built)


def rows_key_tail() -> str:
    """The end of the latest year's rows key, as queries names it: the revisions and method."""
    year, previous = (queries.YearRevision.of(year) for year in latest_year())
    return f"{queries._revision_key(year)}:{queries._revision_key(previous)}:{METHOD.slug}"


@pytest.fixture
def few_rows_a_chunk(monkeypatch):
    """Chunks of 20 rows, so the 152 demo PCTs make eight."""
    monkeypatch.setattr(shared, "ROWS_PER_CHUNK", 20)


def unpickled_rows(monkeypatch) -> list[int]:
    """The number of ranked rows in each list of them unpickled from here on."""
    sizes = []
    unpacked = shared._unpacked

    def counting(data):
        value = unpacked(data)
        if isinstance(value, list) and value and isinstance(value[0], ranking.RankedRow):
            sizes.append(len(value))
        return value

    monkeypatch.setattr(shared, "_unpacked", counting)
    return sizes


def test_a_restarted_worker_reads_only_the_rows_on_the_page_it_shows(
    client, demo_data, few_rows_a_chunk, settings, monkeypatch
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    first_page = client.get("/?per_page=20")
    whole = queries.ranked_rows(*latest_year(), METHOD)
    assert len(whole) > 40
    queries.forget_ranked_rows()
    sizes = unpickled_rows(monkeypatch)
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    again = client.get("/?per_page=20")
    assert sizes == [20]  # one chunk of the rows: the page's
    assert table_rows(again) == table_rows(first_page)
    assert again.context["headline"] == first_page.context["headline"]
    assert again.context["pct_names_html"] == first_page.context["pct_names_html"]
    third_page = client.get("/?per_page=20&page=3")
    assert sizes == [20, 20]
    shown = [row["code"] for row in table_rows(third_page)]
    assert shown == [row.scorecard.pct_code for row in whole[40:60]]


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 59])
def test_shared_rows_read_in_pieces_are_the_list_they_were_built_from(
    few_rows_a_chunk, count, monkeypatch
):
    built = [("row", number) for number in range(count)]
    shared.SharedRows.read_or_build(f"test:{count}", lambda: built)
    stored = shared.SharedRows.read_or_build(f"test:{count}", never_called)
    pieces = [
        slice(None),
        slice(0, 20),
        slice(5, 45),
        slice(-3, None),
        slice(18, 22),
        slice(30, 10),
        slice(None, None, 7),
    ]
    for piece in pieces:
        assert stored[piece] == built[piece], piece
    for index in (0, 19, 20, count - 1, -1, -count):
        if -count <= index < count:
            assert stored[index] == built[index]
    with pytest.raises(IndexError):
        stored[count]
    assert len(stored) == count
    assert list(stored) == built


def test_a_row_read_on_its_own_is_the_same_object_when_all_are_read(few_rows_a_chunk):
    built = [["row", number] for number in range(50)]
    shared.SharedRows.read_or_build("test:same", lambda: built)
    stored = shared.SharedRows.read_or_build("test:same", never_called)
    one, page = stored[25], stored[20:40]
    assert one is page[5]
    assert stored.all()[25] is one
    assert all(a is b for a, b in zip(stored.all()[20:40], page, strict=True))


def shared_keys() -> list[str]:
    """The shared rankings' keys as Django names them (no prefix), whichever cache holds them."""
    return [key.split(":", 2)[2] for key in cache_keys() if ":rankings:" in key]


def test_a_new_release_ranks_afresh_rather_than_unpickle_the_old_releases_rows(
    flag_world, settings, monkeypatch
):
    settings.RELEASE = "release-1"
    year, previous = latest_year()
    built = queries.ranked_rows(year, previous, METHOD)
    queries.forget_ranked_rows()
    settings.RELEASE = "release-2"  # a deploy whose classes may pickle differently
    read = []
    monkeypatch.setattr(queries, "year_scorecards", counted(queries.year_scorecards, read))
    assert standings(queries.ranked_rows(year, previous, METHOD)) == standings(built)
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
    queries.forget_ranked_rows()  # this process starts afresh; the shared cache keeps them
    monkeypatch.setattr(overview, "charts", never_called)
    monkeypatch.setattr(queries, "summarised_year", never_called)  # no year's rows read
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
    queries.forget_ranked_rows()
    client.get("/overview/")
    assert len(built) == 1  # the corrected charts are the shared ones now


def test_a_restarted_worker_reads_only_the_shas_rows_for_its_page(
    client, demo_data, settings, monkeypatch
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    first = client.get("/sha/Q36/")
    year, previous = latest_year()
    in_sha = [
        row.scorecard.pct_code
        for row in queries.ranked_rows(year, previous, METHOD)
        if row.scorecard.sha_code == "Q36"
    ]
    queries.forget_ranked_rows()
    sizes = unpickled_rows(monkeypatch)
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    again = client.get("/sha/Q36/")
    assert sizes == [len(in_sha)]  # the SHA's rows, not the year's
    assert [row["code"] for row in table_rows(again)] == in_sha
    assert table_rows(again) == table_rows(first)
    assert again.context["charts"] == first.context["charts"]


def test_a_code_that_names_no_sha_stores_nothing(client, demo_data):
    assert client.get("/sha/Q99/").status_code == 404
    assert client.get("/sha/Q36/").status_code == 200
    sha_keys = [key for key in shared_keys() if ":sha:" in key]
    assert sha_keys and all(key.endswith(":sha:Q36") for key in sha_keys)


# After a publication or correction the writer ranks every published year at once
# (leaguetable.warming.rank_on_write), so no reader's first page ranks them.
def test_after_a_correction_no_readers_first_page_ranks_the_year(
    client, flag_world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RANK_ON_WRITE = True
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    client.get("/")  # ranked before the correction
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    queries.forget_ranked_rows()  # another worker: only the shared cache knows the new revision
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    monkeypatch.setattr(shared.SharedRows, "all", never_called)  # nor reads every row
    totals = {row["code"]: row["Total"] for row in table_rows(client.get("/"))}
    assert totals["5K5"] == "2"
    sha_page = client.get("/sha/Q36/")
    assert {row["code"]: row["Total"] for row in table_rows(sha_page)}["5K5"] == "2"
    assert client.get("/overview/").status_code == 200


def test_a_drafts_change_ranks_nothing_at_once(
    flag_world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from assurance.actions.assessments import touch_year
    from tests.factories import AssessmentYearFactory

    settings.RANK_ON_WRITE = True
    draft = AssessmentYearFactory(start_year=2010, status="draft")
    read = []
    monkeypatch.setattr(queries, "year_scorecards", counted(queries.year_scorecards, read))
    with django_capture_on_commit_callbacks(execute=True):
        touch_year(draft)
    assert read == []
    with django_capture_on_commit_callbacks(execute=True):
        touch_year(flag_world.year)
    assert [year.pk for (year,) in read] == [flag_world.year.pk]
    settings.RANK_ON_WRITE = False
    with django_capture_on_commit_callbacks(execute=True):
        touch_year(flag_world.year)
    assert len(read) == 1  # switched off: the first reader ranks it


def test_a_failure_to_rank_at_once_leaves_the_write_and_the_warming(
    flag_world, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from tests.test_tasks import DATABASE_TASKS, WARM_TASK, queued_paths

    settings.TASKS = DATABASE_TASKS  # queued for a worker, as in production
    settings.RANK_ON_WRITE = settings.WARM_PAGE_CACHE = True
    revision = flag_world.year.revision
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    assert queued_paths() == [WARM_TASK]
    assert "Ranking 2009/10 at once after a change failed" in caplog.text
    flag_world.year.refresh_from_db()
    assert flag_world.year.revision > revision


def test_a_restarted_worker_draws_a_profile_without_reading_any_years_rows(
    client, demo_data, settings, monkeypatch
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    first = client.get("/pct/5C4/")
    queries.forget_ranked_rows()
    monkeypatch.setattr(queries, "year_scorecards", never_read_the_database)
    monkeypatch.setattr(shared.SharedRows, "all", never_called)
    again = client.get("/pct/5C4/")
    assert again.status_code == 200
    assert again.content == first.content
    assert [year.slug for year, _ in again.context["explanations"]] == ["2009-10", "2008-09"]


def test_a_code_that_names_no_pct_stores_no_profile(client, demo_data):
    assert client.get("/pct/ZZZ/").status_code == 404
    assert client.get("/pct/5C4/").status_code == 200
    profile_keys = [key for key in shared_keys() if ":profile:" in key]
    assert profile_keys and all(":profile:5C4:/:" in key for key in profile_keys)


def test_a_profile_shared_under_one_script_prefix_keeps_its_links_under_another(
    client, demo_data, settings
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page

    def compare_links(response) -> set[str]:
        page = soup(response)
        return {a["href"].split("?")[0] for a in page.select("a[href*='compare']")}

    with override_script_prefix("/wcc/"):  # served under /wcc/ (the test client sets none)
        assert compare_links(client.get("/pct/5C4/")) == {"/wcc/compare/"}
    assert compare_links(client.get("/pct/5C4/")) == {"/compare/"}


def test_a_restarted_worker_renders_no_row_of_a_page_another_rendered(
    client, demo_data, few_rows_a_chunk, settings, monkeypatch
):
    from leaguetable.tables import league

    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders its page
    pages = {url: client.get(url).content for url in ("/?per_page=20", "/?per_page=20&page=3")}
    queries.forget_ranked_rows()  # ranked_table's kept tables with them
    monkeypatch.setattr(league, "_row_html", never_called)
    for url, content in pages.items():
        assert client.get(url).content == content, url
    # A sorted page is no stretch of the stored order: its rows are rendered here.
    with pytest.raises(AssertionError, match="rebuilt instead of reading"):
        client.get("/?per_page=20&sort=-total")


def test_a_process_lets_an_old_revisions_rows_go_once_it_sees_a_newer_one(
    flag_world, django_capture_on_commit_callbacks
):
    import gc
    import weakref

    from leaguetable import ranked_table

    year, previous = latest_year()
    old_rows = weakref.ref(queries.shared_ranked_rows(year, previous, METHOD))
    old_table = weakref.ref(ranked_table.ranked_table(year, previous, METHOD))
    other_method = weakref.ref(
        queries.shared_ranked_rows(year, previous, ranking.METHODS["competency"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    gc.collect()
    assert old_rows() is not None  # nothing has read the year since: kept
    year, previous = latest_year()
    new_rows = queries.shared_ranked_rows(year, previous, METHOD)
    gc.collect()
    assert old_rows() is None and old_table() is None and other_method() is None
    assert {row.scorecard.pct_code: row.scorecard.total for row in new_rows}["5K5"] == 2
