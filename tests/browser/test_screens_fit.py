"""Every screen fits and loads light: a phone keeps each PCT's name in view, a 1280 px screen
every table and its actions; chart pages never move as they draw, keep plotly's mode bar off
titles and points, and fetch no more JavaScript than their budget."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assurance.actions.assessments import touch_year
from assurance.models import PCT, Assessment, AssessmentYear
from directed_development import actions as flag_actions
from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.test_pages_in_browser import log_in_as_sha_staff_with_a_flag, open_page

# Tower Hamlets (5C4) is in London (Q36): its correction shows on every table page here.
LONG_REASON = (
    "Competency 7 was scored against the wrong PCT when the panel's sheet was typed up; the "
    "assurance team checked the panel's signed record, entered the score it gave, and ranked "
    "the year again. Anyone with older downloads should use the new figures, which replace "
    "those published before this correction."
)
TABLE_PAGES = {
    "league": "/",
    "sha": "/sha/Q36/",
    "compare": "/compare/?pct=5C4&pct=5QL&pct=5MK&pct=5PL&pct=5PG&pct=5A7",
    "suggestions": "/flags/suggestions/",
    "overview": "/overview/",  # the competency scores' shaded table, the page's first
}
# The cell naming the PCT (overview: the competency): a row's heading, or (compare) the first
# PCT's column heading.
NAME_CELL = {
    "overview": "tbody th[scope=row]",
    "league": "tbody th[scope=row]",
    "sha": "tbody th[scope=row]",
    "compare": "thead th:nth-child(2)",
    "suggestions": "tbody th[scope=row]",
}
BESIDE_THE_NAME = {
    "league": ("Rank", "Band", "Strategy", "Finance", "Board"),
    "sha": ("Rank", "Band", "Strategy", "Finance", "Board"),
    "compare": (),
    "suggestions": ("Rank", "Total", "Strategy", "Finance", "Board"),
    "overview": ("2008/09", "Score 1", "Score 2", "Score 3"),
}
CHART_PAGES = {
    "pct": "/pct/5C4/",
    "sha": "/sha/Q36/",
    "overview": "/overview/",
    "compare": "/compare/?pct=5C4&pct=5PG&pct=5QL",
}
# Decoded bytes of every script a page fetches once all its charts are drawn. The charts need
# our plotly.js build of scatter, bar and box (1,259,095 bytes, static/vendor/plotly/) and
# charts.js; the official cartesian bundle (1,500,041) or the whole plotly.js (4.8 MB) would
# fail. Pages without charts run no script at all. The league page's one chart (rank
# intervals, issue 25) lies below its table.
CHART_PAGE_JS_BUDGET = 1_280_000
JS_BUDGETS = {
    "/": CHART_PAGE_JS_BUDGET,
    "/methodology/": 0,
    **dict.fromkeys(CHART_PAGES.values(), CHART_PAGE_JS_BUDGET),
}
LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def correct_with_a_long_reason(code: str = "5C4") -> None:
    year = AssessmentYear.objects.get(start_year=2009)
    Assessment.objects.filter(year=year, pct__code=code).update(
        corrected_at=timezone.now(), correction_reason=LONG_REASON
    )
    touch_year(year)


def set_aside_a_suggestion_with_a_long_reason(page, site) -> None:
    """As the signed-in SHA staff: the first suggestion they could flag, set aside."""
    page.goto(site + "/flags/suggestions/")
    href = page.locator('a[href^="/flags/new/"]').first.get_attribute("href")
    year_slug, code = href.strip("/").split("/")[-2:]
    flag_actions.dismiss_suggestion(
        pct=PCT.objects.get(code=code),
        year=AssessmentYear.objects.get(start_year=int(year_slug[:4])),
        by=get_user_model().objects.get(username="sam"),
        reason=LONG_REASON,
    )


def open_table_page(page, site, name: str) -> None:
    assert len(LONG_REASON) == 300
    correct_with_a_long_reason()
    if name == "suggestions":
        log_in_as_sha_staff_with_a_flag(page, site)
        set_aside_a_suggestion_with_a_long_reason(page, site)
    page.goto(site + TABLE_PAGES[name])


def horizontal(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"], box["x"] + box["width"]


def in_view(locator, width: int) -> bool:
    left, right = horizontal(locator)
    return left >= 0 and right <= width


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_at_375_px_the_pct_name_stays_in_view_beside_its_rank_band_and_ratings(page, site, name):
    page.set_viewport_size(MOBILE)
    open_table_page(page, site, name)
    width = MOBILE["width"]
    scroller = page.locator(".table-scroll").first
    scroller.scroll_into_view_if_needed()
    name_cell = scroller.locator(NAME_CELL[name]).first
    assert in_view(name_cell, width), horizontal(name_cell)
    # The name wraps within its cell rather than running over the cells beside it.
    assert name_cell.evaluate("cell => cell.scrollWidth <= cell.clientWidth"), "name overflows"
    for heading in BESIDE_THE_NAME[name]:
        cell = scroller.locator("thead th", has_text=heading).first
        assert in_view(cell, width), (heading, horizontal(cell))

    scroller.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert scroller.evaluate("box => box.scrollLeft") > 0, "the table does not scroll sideways"
    # Scrolled to its far end, the name column (compare: the measures) is still in view.
    sticky = scroller.locator("tbody th[scope=row]").first
    assert in_view(sticky, width), horizontal(sticky)
    if name == "compare":
        last = scroller.locator("thead th").last
        assert in_view(last, width), horizontal(last)


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_at_1280_px_every_table_fits_its_box_with_a_300_character_reason(page, site, name):
    page.set_viewport_size(DESKTOP)
    open_table_page(page, site, name)
    text = page.locator("main").inner_text()
    if name not in ("compare", "overview"):
        assert LONG_REASON[:60] in text, "the long reason is not on the page"
    scrollers = page.locator(".table-scroll:visible")
    assert scrollers.count() >= 1
    for index in range(scrollers.count()):
        scroller = scrollers.nth(index)
        scroller.scroll_into_view_if_needed()
        _, box_right = horizontal(scroller)
        _, table_right = horizontal(scroller.locator("table"))
        assert table_right <= box_right + 1, (index, table_right, box_right)
        overflow = scroller.evaluate("box => box.scrollWidth - box.clientWidth")
        assert overflow <= 0, f"table {index} scrolls sideways by {overflow} px"
    if name == "suggestions":
        actions = page.locator("td.actions a, td.actions summary, td.actions button")
        assert actions.count() >= 2
        for index in range(actions.count()):
            assert in_view(actions.nth(index), DESKTOP["width"]), horizontal(actions.nth(index))


@pytest.mark.parametrize("name", CHART_PAGES)
@pytest.mark.parametrize(("width_name", "viewport"), [("desktop", DESKTOP), ("mobile", MOBILE)])
def test_chart_pages_do_not_move_as_their_charts_draw(browser, site, name, width_name, viewport):
    context = browser.new_context(viewport=viewport)
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, site + CHART_PAGES[name])
        assert page.locator("figure.chart.drawn").count() >= 2
        page.wait_for_timeout(200)  # a shift is reported after the frame it happened in
        shift = page.evaluate("window.layoutShift")
    finally:
        context.close()
    assert shift < 0.01, f"cumulative layout shift {shift:.3f}"


@pytest.mark.parametrize("url", JS_BUDGETS)
def test_each_page_fetches_no_more_javascript_than_its_budget(page, site, url):
    fetched = {}

    def count(response):
        if response.request.resource_type == "script":
            fetched[response.url] = len(response.body())

    page.on("response", count)
    open_page(page, site + url)
    page.wait_for_load_state("networkidle")
    assert all(address.startswith(site) for address in fetched), fetched
    assert sum(fetched.values()) <= JS_BUDGETS[url], fetched


@pytest.mark.parametrize("name", ["pct", "overview"])
def test_on_a_touch_screen_the_mode_bar_covers_no_title_or_point(browser, site, name):
    context = browser.new_context(viewport=MOBILE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, site + CHART_PAGES[name])
        plots = page.evaluate(MODE_BARS)
    finally:
        context.close()
    assert len(plots) >= 3
    for plot in plots:
        assert plot["shown"], plot["id"]
        assert {"Zoom", "Download plot as a PNG"} <= set(plot["buttons"]), plot
        for other in (plot["title"], *plot["areas"]):
            assert overlap(plot["bar"], other) == 0, (plot["id"], plot["bar"], other)


MODE_BARS = """
() => [...document.querySelectorAll("figure.chart .js-plotly-plot")].map(plot => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const bar = plot.querySelector(".modebar");
  return {
    id: plot.id,
    shown: !!bar && getComputedStyle(bar).opacity === "1" && bar.getBoundingClientRect().width > 0,
    buttons: [...plot.querySelectorAll(".modebar-btn")].map(b => b.getAttribute("data-title")),
    bar: bar ? box(bar) : null,
    title: box(plot.querySelector(".gtitle")),
    areas: [...plot.querySelectorAll(".nsewdrag")].map(box),
  };
})
"""


def overlap(a: dict, b: dict) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)
