"""Printing: no navigation, forms or buttons on paper, and the PCT report on one A4 page."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages_in_browser import open_page

# An A4 page's width less the stylesheet's 12 mm margins, in CSS pixels (96 to the inch).
A4_CONTENT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
HIDDEN_ON_PAPER = "header nav, form, button, .skip-link"

SHOWN = """
selector => [...document.querySelectorAll(selector)]
  .filter(el => getComputedStyle(el).display !== "none" && el.getClientRects().length > 0)
  .map(el => el.outerHTML.slice(0, 80))
"""


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("url", ["/pct/5C4/report/", "/pct/5C4/", "/compare/?pct=5C4&pct=5PG"])
def test_on_paper_no_navigation_form_or_button_is_shown(page, site, url):
    page.set_default_timeout(30_000)
    open_page(page, site + url)
    assert page.evaluate(SHOWN, HIDDEN_ON_PAPER), "the screen shows them"
    page.emulate_media(media="print")
    assert page.evaluate(SHOWN, HIDDEN_ON_PAPER) == []


def test_the_pct_report_prints_on_one_a4_page_within_its_width(page, site):
    page.set_default_timeout(30_000)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    open_page(page, site + "/pct/5C4/report/")
    content_width, width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert content_width <= width == A4_CONTENT_WIDTH
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pct-report-5C4.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1


def test_a_profile_prints_its_charts_within_the_a4_width(page, site):
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    open_page(page, site + "/pct/5C4/")
    page.emulate_media(media="print")
    boxes = page.evaluate(
        "[...document.querySelectorAll('figure.chart .js-plotly-plot, table')]"
        ".filter(el => el.getClientRects().length).map(el => el.getBoundingClientRect().right)"
    )
    assert boxes and max(boxes) <= A4_CONTENT_WIDTH
