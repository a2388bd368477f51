"""The league table fits a 1280 px screen: every rating column in view, no sideways scroll."""

from tests.browser.conftest import DESKTOP


def test_the_rating_columns_of_the_league_table_are_in_view_at_1280_px(page, site):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    viewport = page.viewport_size["width"]
    for heading in ("Strategy", "Finance", "Board"):
        box = page.locator("table.league thead th", has_text=heading).first.bounding_box()
        assert box is not None, heading
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport, (heading, box)
    scroller = page.locator(".table-scroll").first
    overflow = scroller.evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0, f"the league table scrolls sideways by {overflow} px"
