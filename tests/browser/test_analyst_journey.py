"""An analyst's journey in a real browser: switch year, sort, filter, search, download."""

import re

import pandas as pd
from playwright.sync_api import expect


def column_values(page, heading: str) -> list[str]:
    """The cells under the league table's column `heading`, top to bottom."""
    headings = [h.strip(" ▲▼") for h in page.locator("table.league thead th").all_inner_texts()]
    index = headings.index(heading) + 1
    return page.locator(f"table.league tbody tr > :nth-child({index})").all_inner_texts()


def shown_codes(page) -> list[str]:
    return page.locator("table.league tbody .code").all_inner_texts()


def test_an_analyst_switches_year_sorts_filters_searches_and_downloads(page, site):
    page.goto(site + "/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("WCC league table 2009/10")
    expect(page.get_by_text("Illustrative data.")).to_be_visible()

    page.get_by_role("link", name="2008/09").click()
    expect(heading).to_have_text("WCC league table 2008/09")
    expect(page.locator("table.league tbody tr")).to_have_count(152)

    c4 = page.get_by_role("columnheader", name="C4")
    page.get_by_role("link", name="C4", exact=True).click()
    expect(c4).to_have_attribute("aria-sort", "descending")  # best first, as the rank sorts
    scores = [int(s) for s in column_values(page, "C4")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    page.get_by_role("link", name="C4", exact=True).click()
    expect(c4).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("link", name="C4", exact=True).click()
    expect(c4).to_have_attribute("aria-sort", "descending")

    page.get_by_label("SHA:", exact=True).select_option("Q36")
    page.get_by_role("button", name="Apply").click()
    expect(heading).to_have_text("WCC league table 2008/09")  # the year is kept
    expect(c4).to_have_attribute("aria-sort", "descending")  # and so is the sort
    assert set(column_values(page, "SHA")) == {"London SHA"}
    assert len(shown_codes(page)) == 31

    page.get_by_label("PCT name or code").fill("Tower Hamlets")
    page.get_by_label("PCT name or code").press("Enter")
    expect(page.locator("table.league tbody tr")).to_have_count(1)
    assert shown_codes(page) == ["5C4"]

    page.get_by_role("link", name="Tower Hamlets PCT").click()
    expect(heading).to_contain_text("Tower Hamlets PCT")
    # The PCT's own dots are named by year (a dumbbell per competency, 2008/09 → 2009/10).
    drawn, expected, own = chart_points(page, "chart-competencies", ["2008/09", "2009/10"])
    assert drawn == expected > 0
    assert own == 10 + 11  # its scores: 10 competencies in 2008/09, 11 in 2009/10
    page.go_back()

    page.get_by_label("PCT name or code").fill("")
    page.get_by_role("button", name="Apply").click()
    on_screen = shown_codes(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert "illustrative" in download.value.suggested_filename
    frame = pd.read_csv(download.value.path())
    assert list(frame["pct_code"]) == on_screen
    assert frame["data_status"].str.contains("ILLUSTRATIVE").all()


def chart_points(page, chart_id: str, series: list[str]) -> tuple[int, int, int]:
    """Markers plotly drew in the chart's SVG; markers its data asks for; the named series'."""
    page.locator(f"#{chart_id}").scroll_into_view_if_needed()  # drawn as it nears the screen
    page.locator(f"#{chart_id} .main-svg").first.wait_for()
    return page.evaluate(
        """([id, series]) => {
            const figure = JSON.parse(document.getElementById(id + "-data").textContent);
            // A point is drawn only where both coordinates have a value (a dumbbell's
            // competency not scored that year has its label but no score).
            const valued = (trace) => trace.y.filter(
                (y, i) => y !== null && (!trace.x || trace.x[i] !== null)
            ).length;
            const markers = figure.data.filter((t) => (t.mode || "").includes("markers"));
            return [
                document.querySelectorAll("#" + id + " .scatterlayer path.point").length,
                markers.reduce((sum, trace) => sum + valued(trace), 0),
                markers.filter((t) => series.includes(t.name)).reduce((s, t) => s + valued(t), 0),
            ];
        }""",
        [chart_id, series],
    )


def tab_to(page, name: str, limit: int = 120) -> None:
    """Press Tab until the focused element's text is `name`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.innerText")
        if focused.strip() == name:
            return
    raise AssertionError(f"{name!r} was not reached with the Tab key")


def test_sorting_and_filtering_work_with_the_keyboard_alone(page, site):
    page.goto(site + "/")
    tab_to(page, "id_sha")
    page.keyboard.type("London")
    tab_to(page, "Apply")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sha=Q36"))
    assert set(column_values(page, "SHA")) == {"London SHA"}

    tab_to(page, "Total")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=-total"))  # best first, as the rank sorts
    expect(page.get_by_role("columnheader", name="Total")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert "sha=Q36" in page.url
