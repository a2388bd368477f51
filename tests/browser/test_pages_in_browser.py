"""Every main page: no serious accessibility violations (axe-core), screenshots, no overflow."""

import pytest

from accounts import roles
from accounts.actions import grant_role
from assurance.models import PCT, SHA, AssessmentYear
from directed_development import actions as flag_actions
from tests.browser.conftest import DESKTOP, MOBILE, axe_violations, is_wcag, screenshot
from tests.browser.test_admin_journey import PASSWORD, log_in

MAIN_PAGES = {
    "league": "/",
    "league-filtered": "/league/2008-09/?sha=Q36&sort=-total",
    "methodology": "/methodology/",
    "pct-profile": "/pct/5C4/",
    "sha": "/sha/Q36/",
    "overview": "/overview/",
    "compare": "/compare/?pct=5C4&pct=5PG&pct=5QL",
    "api-docs": "/api/",
}


def open_page(page, url):
    """Open a page and wait until every chart on it is drawn, as a reader scrolling down it
    would see it (static/js/charts.js draws each as it nears the screen), then go back up.
    A chart drawn as a shaded table is there from the start."""
    page.goto(url)
    charts = page.locator("figure.chart:has(> .plot)")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        charts.nth(index).and_(page.locator(".drawn")).wait_for()
    page.evaluate("window.scrollTo(0, 0)")


BLOCKING = {"serious", "critical"}
ADMIN_PAGES = {
    "login": "/accounts/login/",
    "assurance-home": "/assurance/",
    "assurance-year": "/assurance/2010-11/",
    "entry-form": "/assurance/2010-11/pct/5C4/",
    "import": "/assurance/import/",
    "history": "/assurance/pct/5C4/history/",
    "publication": "/assurance/2010-11/publication/",
    "imports": "/assurance/imports/",
}


# Directed development pages, as London's SHA staff see them; {flag} is a flag they raised.
FLAG_PAGES = {
    "suggestions": "/flags/suggestions/",
    "flags": "/flags/",
    "flag-form": "/flags/new/2009-10/5A8/",
    "flag": "/flags/{flag}/",
    "pct-profile-with-flags": "/pct/5C4/",
}


def log_in_as_sha_staff_with_a_flag(page, site) -> int:
    staff, _ = grant_role(
        username="sam", role=roles.SHA_STAFF, sha=SHA.objects.get(code="Q36"), password=PASSWORD
    )
    flag = flag_actions.flag_pct(
        pct=PCT.objects.get(code="5C4"),
        year=AssessmentYear.objects.get(start_year=2009),
        by=staff,
        reason="For the accessibility check: a flag with a reason.",
    )
    log_in(page, site, "sam", PASSWORD)
    return flag.pk


def blocking_violations(page, axe_results, name) -> list[str]:
    """Run axe-core in the page; record violations by impact; return those of any WCAG 2.0–2.2
    A or AA rule, and serious ones of axe's best practices."""
    violations = axe_violations(page)
    by_impact = {}
    for violation in violations:
        by_impact[violation["impact"]] = by_impact.get(violation["impact"], 0) + 1
    axe_results[name] = {"violations_by_impact": by_impact, "rules": [v["id"] for v in violations]}
    return [f"{v['id']}: {v['help']}" for v in violations if is_wcag(v) or v["impact"] in BLOCKING]


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_main_pages_have_no_serious_accessibility_violations(page, site, axe_results, name):
    open_page(page, site + MAIN_PAGES[name])
    assert blocking_violations(page, axe_results, name) == []


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_have_no_serious_accessibility_violations(page, site, axe_results, name):
    grant_role(username="ada", role=roles.ADMIN, password=PASSWORD)
    if name != "login":
        log_in(page, site, "ada", PASSWORD)
    open_page(page, site + ADMIN_PAGES[name])
    assert blocking_violations(page, axe_results, name) == []
    screenshot(page, f"{name}-desktop")


@pytest.mark.parametrize("name", FLAG_PAGES)
def test_flag_pages_have_no_serious_accessibility_violations(page, site, axe_results, name):
    flag_id = log_in_as_sha_staff_with_a_flag(page, site)
    open_page(page, site + FLAG_PAGES[name].format(flag=flag_id))
    assert blocking_violations(page, axe_results, name) == []
    screenshot(page, f"{name}-desktop")


@pytest.mark.parametrize("name", ["suggestions", "flags", "flag"])
def test_flag_pages_fit_a_phone_with_tables_scrolling_inside(page, site, name):
    flag_id = log_in_as_sha_staff_with_a_flag(page, site)
    page.set_viewport_size(MOBILE)
    open_page(page, site + FLAG_PAGES[name].format(flag=flag_id))
    screenshot(page, f"{name}-mobile")
    page_width, screen_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_width <= screen_width, "the page scrolls sideways; only tables may"


@pytest.mark.parametrize("name", MAIN_PAGES)
@pytest.mark.parametrize(("width_name", "viewport"), [("desktop", DESKTOP), ("mobile", MOBILE)])
def test_main_pages_fit_the_screen_with_tables_scrolling_inside(
    page, site, axe_results, name, width_name, viewport
):
    page.set_viewport_size(viewport)
    open_page(page, site + MAIN_PAGES[name])
    screenshot(page, f"{name}-{width_name}")
    page_width, screen_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_width <= screen_width, "the page scrolls sideways; only tables may"
    # WCAG 2.2's target size at this width too: a phone's table has the smallest targets.
    assert blocking_violations(page, axe_results, f"{name}-{width_name}") == []
