"""SHA staff in a real browser: suggestions, flagging a PCT with a reason, seeing the flag."""

import re

from playwright.sync_api import expect

from accounts import roles
from accounts.actions import grant_role
from assurance.models import SHA
from directed_development import queries
from directed_development.access import FlagScope
from leaguetable.queries import public_years
from tests.browser.test_admin_journey import PASSWORD, log_in


def london_suggestions() -> list[str]:
    years = public_years()
    london = SHA.objects.get(code="Q36")
    found = queries.suggestions(years[-1], years, FlagScope(sha=london), "Q36")
    return [s.concern.row.scorecard.pct_code for s in found]


def test_sha_staff_flag_a_pct_of_their_sha_and_see_it_everywhere(page, site):
    grant_role(
        username="sam", role=roles.SHA_STAFF, sha=SHA.objects.get(code="Q36"), password=PASSWORD
    )
    log_in(page, site, "sam", PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Directed development"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Suggestions for directed development, 2009/10"
    )
    shown = page.locator("table.league tbody .code").all_inner_texts()
    assert shown == london_suggestions() and shown
    first_row = page.locator("table.league tbody tr").first
    pct_name = first_row.locator("th").inner_text().rsplit(" ", 1)[0]
    # Each rule met, with its evidence in numbers after the colon ("band 2 → 4").
    findings = first_row.locator("ul.rules li").all_inner_texts()
    rules_named = [finding.split(": ", 1)[0] for finding in findings]
    assert rules_named and all(": " in finding for finding in findings)

    first_row.get_by_role("link", name=f"Flag {pct_name}").click()
    for rule in rules_named:
        expect(page.get_by_label(rule)).to_be_checked()
    page.get_by_label("Reason").fill("Fell sharply; the board has no recovery plan yet.")
    page.get_by_role("button", name="Propose for directed development").click()

    expect(page.get_by_role("status")).to_contain_text(f"{pct_name}")
    expect(page.get_by_role("status")).to_contain_text("is proposed for directed development")
    expect(page.locator(".flag-facts")).to_contain_text("the board has no recovery plan")
    flag_url = page.url

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Flags").click()
    row = page.locator("table.flags tbody tr", has_text=pct_name)
    expect(row).to_contain_text("Proposed")
    expect(row).to_contain_text("sam")

    code = shown[0]
    page.goto(f"{site}/pct/{code}/")
    section = page.get_by_role("region", name="Directed development")
    expect(section.get_by_role("link", name=re.compile("^Proposed"))).to_have_attribute(
        "href", flag_url.removeprefix(site)
    )

    page.goto(f"{site}/?q={code}")
    expect(page.locator("table.league tbody a.flag")).to_have_text("Proposed")


def test_sha_staff_cannot_flag_a_pct_of_another_sha(page, site):
    grant_role(
        username="sam", role=roles.SHA_STAFF, sha=SHA.objects.get(code="Q36"), password=PASSWORD
    )
    log_in(page, site, "sam", PASSWORD)
    response = page.goto(site + "/flags/new/2009-10/5PG/")  # Birmingham: West Midlands
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_text("Only the PCT's own SHA staff")).to_be_visible()
