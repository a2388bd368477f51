"""Every chart reads on a 375 px phone and a 1280 px screen: measured in the drawn SVG."""

import pytest

from tests.browser.conftest import ARTIFACTS, DESKTOP, MOBILE, axe_violations
from tests.browser.test_pages_in_browser import open_page

CHART_PAGES = {
    "pct-profile": "/pct/5C4/",
    "compare": "/compare/?pct=5C4&pct=5PG&pct=5QL",
    "overview": "/overview/",
}
WIDTHS = [("desktop", DESKTOP), ("mobile", MOBILE)]
# Narrower than this, a plot area is a sliver: 40 px for each step of a dumbbell's 1–4 scale.
NARROWEST_PLOT_AREA = 160

# For each drawn chart: its box, its plot areas' widths, and the boxes of its titles (chart,
# axes) and legend entries, read from the SVG plotly drew.
MEASURE = """
() => [...document.querySelectorAll("figure.chart .js-plotly-plot")].map(plot => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const texts = [...plot.querySelectorAll(
    ".gtitle, .g-xtitle text, .g-ytitle text, [class^='g-x'][class$='title'] text, " +
    "[class^='g-y'][class$='title'] text, .legendtext")]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => ({text: t.textContent, ...box(t)}));
  return {
    id: plot.id,
    box: box(plot),
    areas: [...plot.querySelectorAll(".nsewdrag")].map(r => r.getBoundingClientRect().width),
    texts: texts,
  };
})
"""


def overlap(a: dict, b: dict) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)


def shot(page, name: str) -> None:
    """The whole page, and each chart on its own (a phone's page is too long to look at)."""
    folder = ARTIFACTS / "screenshots"
    (folder / "charts").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"charts-{name}.png"), full_page=True)
    plots = page.locator("figure.chart .js-plotly-plot")
    for index in range(plots.count()):
        plot = plots.nth(index)
        plot.screenshot(path=str(folder / "charts" / f"{name}-{plot.get_attribute('id')}.png"))


@pytest.mark.parametrize("name", CHART_PAGES)
@pytest.mark.parametrize(("width_name", "viewport"), WIDTHS)
def test_every_chart_fits_the_screen_with_no_title_over_another(
    page, site, axe_results, name, width_name, viewport
):
    page.set_default_timeout(30_000)  # five people's tests share two cores
    page.set_viewport_size(viewport)
    open_page(page, site + CHART_PAGES[name])
    shot(page, f"{name}-{width_name}")
    charts = page.evaluate(MEASURE)
    assert len(charts) >= 3
    for chart in charts:
        assert chart["box"]["left"] >= 0, chart["id"]
        assert chart["box"]["right"] <= viewport["width"], (chart["id"], chart["box"])
        assert min(chart["areas"]) >= NARROWEST_PLOT_AREA, (chart["id"], chart["areas"])
        texts = chart["texts"]
        assert any(t for t in texts), chart["id"]
        for text in texts:
            assert text["left"] >= 0 and text["right"] <= viewport["width"], (chart["id"], text)
        for index, first in enumerate(texts):
            for second in texts[index + 1 :]:
                assert overlap(first, second) < 1, (chart["id"], first, second)

    violations = axe_violations(page)
    axe_results[f"charts-{name}-{width_name}"] = {"rules": [v["id"] for v in violations]}
    assert [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations] == []
