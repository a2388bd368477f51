"""Assurance admins in a real browser: a bad upload, the fix, preview, publish by two people."""

import base64
import datetime
import re

from django_otp.oath import totp
from playwright.sync_api import expect

from accounts import roles
from accounts.actions import grant_role
from assurance import actions
from assurance.models import Assessment, PublicationRequest
from tests.browser.test_analyst_journey import column_values

PASSWORD = "a long and unguessable admin password"
COLUMNS = (
    "pct_code," + ",".join(f"c{n}" for n in range(1, 12)) + ",strategy,finance,board_governance"
)


def spreadsheet(*rows: str) -> dict:
    body = "\n".join([COLUMNS, *rows]) + "\n"
    return {"name": "panel-results.csv", "mimeType": "text/csv", "buffer": body.encode()}


def log_in(page, site, username: str, password: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_an_admin_fixes_a_rejected_upload_previews_confirms_and_publishes(page, site):
    grant_role(username="ada", role=roles.ADMIN, password=PASSWORD)
    log_in(page, site, "ada", PASSWORD)

    page.goto(site + "/assurance/import/")
    page.get_by_label("Year").select_option(label="2010/11")
    good = "5C4," + ",".join(["1"] * 11) + ",R,R,R"
    bad = "5PG," + ",".join(["2"] * 10) + ",7,G,G,G"  # c11 = 7
    page.get_by_label("File").set_input_files(spreadsheet(good, bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("The file was rejected and nothing was imported")).to_be_visible()
    error_row = page.locator("table.errors tbody tr").first
    expect(error_row).to_contain_text("3")  # the heading is row 1, so the second result is row 3
    expect(error_row).to_contain_text("c11")

    fixed = "5PG," + ",".join(["2"] * 11) + ",G,G,G"
    page.get_by_label("Year").select_option(label="2010/11")
    page.get_by_label("File").set_input_files(spreadsheet(good, fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(r"/assurance/import/\d+/$"))
    page.get_by_role("button", name=re.compile(r"^Import \d+ changes?$")).click()
    expect(
        page.get_by_text(re.compile(r"Imported panel-results\.csv into 2010/11"))
    ).to_be_visible()

    # Publishing takes two admins: Ada asks, Bea approves.
    page.get_by_role("link", name="Ask to publish 2010/11").click()
    page.get_by_role("button", name="Ask to publish 2010/11").click()
    expect(page.get_by_text("needs 1 more approval")).to_be_visible()
    page.get_by_role("button", name="Log out ada").click()
    grant_role(username="bea", role=roles.ADMIN, password=PASSWORD)
    log_in(page, site, "bea", PASSWORD)
    page.goto(site + "/assurance/2010-11/publication/")
    page.get_by_role("button", name="Approve: publish 2010/11").click()
    expect(page.get_by_text("2010/11 is published")).to_be_visible()
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("WCC league table 2010/11")
    page.get_by_label("PCT name or code").fill("5C4")
    page.get_by_label("PCT name or code").press("Enter")
    row = page.locator("table.league tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".rag")).to_have_text(["Red", "Red", "Red"])
    # C1…C11 all 1: a total of eleven
    assert column_values(page, "Total") == ["11"]


def test_saving_the_entry_form_with_one_rating_changed_keeps_every_other_value(page, site):
    """A browser's date input shows only ISO dates: a form that wrote 07/05/2010 there showed
    an empty box, and saving any other field cleared the panel date."""
    grant_role(username="ada", role=roles.ADMIN, password=PASSWORD)
    assessment = Assessment.objects.get(pct__code="5K9", year__start_year=2009)
    Assessment.objects.filter(pk=assessment.pk).update(
        panel_date=datetime.date(2010, 5, 7), notes="Panel met twice", finance="A"
    )
    before = stored(assessment.pk)
    log_in(page, site, "ada", PASSWORD)

    page.goto(site + "/assurance/2009-10/pct/5K9/")
    expect(page.get_by_label("Panel date")).to_have_value("2010-05-07")
    page.get_by_role("group", name="Finance").get_by_label("Green").check()
    page.get_by_label("Why correct this published result").fill("Finance was misread as amber.")
    page.get_by_role("button", name="Save").click()
    # A published year's correction waits for a second admin, who sees it on the same page.
    expect(page.get_by_text("Asked to correct Croydon PCT (5K9) in 2009/10")).to_be_visible()
    expect(page.locator("#correction-changes")).to_contain_text("finance A → G")
    assert stored(assessment.pk) == before
    actions.approve(
        request=PublicationRequest.objects.get(status="pending"),
        by=grant_role(username="bea", role=roles.ADMIN, password=PASSWORD)[0],
    )

    assert stored(assessment.pk) == before | {"finance": "G"}


def stored(assessment_pk: int) -> dict:
    """Every value the entry form can change, as the database holds it."""
    assessment = Assessment.objects.get(pk=assessment_pk)
    scores = dict(assessment.scores.values_list("competency__number", "score"))
    fields = ("strategy", "finance", "board_governance", "panel_date", "notes")
    return {name: getattr(assessment, name) for name in fields} | {"scores": scores}


def test_an_admin_sets_up_two_factor_sign_in_then_signs_in_with_a_code(
    page, live_server, transactional_db, settings
):
    """The whole second step in a real browser: the QR code, the key typed by hand, a code,
    the recovery codes once; next time a code from the app."""
    settings.ADMIN_2FA_REQUIRED = True
    grant_role(username="ada", role=roles.ADMIN, password=PASSWORD)
    site = live_server.url
    log_in(page, site, "ada", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code").fill(code_from_app(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(site + "/assurance/")

    page.get_by_role("button", name="Log out ada").click()
    log_in(page, site, "ada", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    # The app's next code: the one just used is refused a second time.
    page.get_by_label("Code").fill(code_from_app(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(site + "/assurance/")


def code_from_app(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in by hand (RFC 6238, as django_otp)."""
    typed = secret.replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"
