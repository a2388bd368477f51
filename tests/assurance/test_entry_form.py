"""The entry form: validation beside each field, no lost updates, corrections and history."""

import datetime
import re

import pytest
from django.test import Client

from accounts import roles
from accounts.actions import grant_role
from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import Assessment, AssessmentYear, PublicationRequest
from tests.factories import PASSWORD, make_user
from tests.pages import csv_rows, soup, table_rows

pytestmark = pytest.mark.django_db

URL = "/assurance/2009-10/pct/5C4/"


def entry(**changes) -> dict:
    return {
        "c1": "3",
        "c2": "3",
        "strategy": "G",
        "finance": "A",
        "board_governance": "R",
    } | changes


def opened_version(client) -> str:
    """The hidden version in the form as a user opens it."""
    page = client.get(URL).content.decode()
    return re.search(r'name="version" value="(\d*)"', page).group(1)


def saved_5c4():
    assessment = Assessment.objects.get(pct__code="5C4")
    scores = dict(assessment.scores.values_list("competency__number", "score"))
    return (assessment.strategy, assessment.finance, assessment.board_governance, scores)


@pytest.fixture
def admin_client(client, users):
    client.force_login(users[roles.ADMIN])
    return client


def test_the_form_asks_for_every_competency_the_year_scored(admin_client, draft_year):
    page = admin_client.get(URL).content.decode()
    assert 'name="c1"' in page and 'name="c2"' in page and 'name="c3"' not in page
    assert all(f'name="{area}"' in page for area in ("strategy", "finance", "board_governance"))


def test_a_valid_save_writes_the_results_and_moves_the_version_on(admin_client, draft_year):
    version = opened_version(admin_client)
    response = admin_client.post(URL, entry(version=version, notes="Panel met twice"))
    assert response.status_code == 302
    assert saved_5c4() == ("G", "A", "R", {1: 3, 2: 3})
    assessment = Assessment.objects.get(pct__code="5C4")
    assert assessment.version == int(version) + 1
    assert assessment.notes == "Panel met twice"
    assert assessment.corrected_at is None  # a draft year: an edit, not a correction


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("c1", "", "Score this competency from 1 to 4."),
        ("c1", "5", "Select a valid choice"),
        ("c2", "two", "Select a valid choice"),
        ("strategy", "", "Rate strategy red, amber or green."),
        ("finance", "X", "Select a valid choice"),
        ("panel_date", "31/02/2010", "Enter a valid date."),
    ],
)
def test_an_invalid_entry_is_refused_with_a_message_by_its_field(
    admin_client, draft_year, snapshot, field, value, message
):
    before = snapshot()
    response = admin_client.post(URL, entry(version=opened_version(admin_client), **{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        rf'id="id_{field}(_0)?-error">{re.escape(message)}', page.replace("&#x27;", "'")
    )
    assert snapshot() == before


def two_admins_open_the_form(users) -> tuple[Client, Client, str]:
    """Ada and Bea, each with the entry form open at the same version."""
    first, second = Client(), Client()
    bea, _ = grant_role(username="bea", role=roles.ADMIN, password=PASSWORD)
    first.force_login(users[roles.ADMIN])
    second.force_login(bea)
    version = opened_version(first)
    assert opened_version(second) == version
    return first, second, version


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost(
    client, users, draft_year
):
    """Two admins open the form at the same version; the first save wins, the second is told."""
    first, second, version = two_admins_open_the_form(users)

    assert first.post(URL, entry(version=version, c1="4")).status_code == 302
    response = second.post(URL, entry(version=version, c1="1", strategy="R"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not saved." in page and "changed by ada on" in page and "since you opened it" in page
    # Their input is still on the page: C1 = 1 and strategy red are still selected.
    assert re.search(r'<option value="1" selected>1</option>', page)
    assert re.search(r'value="R"[^>]*checked', page)
    # The first save changed C1 (2 -> 4), strategy (A -> G) and board governance (A -> R).
    assert changed_meanwhile(response) == {"c1": "4", "strategy": "G", "board_governance": "R"}
    assert saved_5c4() == ("G", "A", "R", {1: 4, 2: 3})  # the first save, intact


def test_after_a_refusal_a_deliberate_second_save_goes_through(admin_client, users, draft_year):
    version = opened_version(admin_client)
    assessment = Assessment.objects.get(pct__code="5C4")
    actions.save_assessment(
        year=draft_year,
        pct=assessment.pct,
        result=PanelDecision("5C4", "A", "A", "A", {1: 1, 2: 1}),
        opened_version=int(version),
        by=users[roles.ADMIN],
    )
    refused = admin_client.post(URL, entry(version=version))
    newer = re.search(r'name="version" value="(\d+)"', refused.content.decode()).group(1)
    assert int(newer) == int(version) + 1
    assert admin_client.post(URL, entry(version=newer)).status_code == 302
    assert saved_5c4() == ("G", "A", "R", {1: 3, 2: 3})


def test_the_action_refuses_a_stale_version_directly(users, draft_year):
    assessment = Assessment.objects.get(pct__code="5C4")
    with pytest.raises(actions.StaleAssessment):
        actions.save_assessment(
            year=draft_year,
            pct=assessment.pct,
            result=PanelDecision("5C4", "A", "A", "A", {1: 1, 2: 1}),
            opened_version=assessment.version - 1,
            by=users[roles.ADMIN],
        )


def test_a_new_assessment_opened_twice_is_created_once(client, users, draft_year):
    url = "/assurance/2009-10/pct/5PG/"
    client.force_login(users[roles.ADMIN])
    assert client.post(url, entry(version="")).status_code == 302
    response = client.post(url, entry(version="", c1="1"))
    assert "since you opened it" in response.content.decode()
    assert Assessment.objects.filter(pct__code="5PG").count() == 1


def test_saving_unchanged_results_writes_nothing(admin_client, draft_year, snapshot):
    admin_client.post(URL, entry(version=opened_version(admin_client)))
    before = snapshot()
    admin_client.post(URL, entry(version=opened_version(admin_client)))
    assert snapshot() == before


def test_a_correction_after_publishing_is_marked_on_the_league_table(
    admin_client, client, users, draft_year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_year(year=draft_year, by=users[roles.ADMIN])
    anonymous = Client()
    assert "corrected on" not in anonymous.get("/").content.decode()
    reason = "Panel minutes show C1 was scored 1, not 2."
    admin_client.post(
        URL, entry(version=opened_version(admin_client), c1="1", correction_reason=reason)
    )
    # One admin's word is not enough: readers see the published value until another approves.
    assert Assessment.objects.get(pct__code="5C4").corrected_at is None
    assert "corrected on" not in anonymous.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(request=PublicationRequest.objects.get(), by=make_user("bea", roles.ADMIN))
    assessment = Assessment.objects.get(pct__code="5C4")
    assert assessment.corrected_at is not None and assessment.correction_reason == reason
    row = next(row for row in table_rows(anonymous.get("/")) if row["code"] == "5C4")
    assert row["PCT"] == f"PCT 5C4 5C4 corrected on 30 Jun 2010 : {reason}"
    assert "corrected on" in admin_client.get(URL).content.decode()
    exported = csv_rows(anonymous.get("/?_export=csv")).set_index("pct_code").loc["5C4"]
    assert (exported["corrected_on"], exported["correction_reason"]) == ("2010-06-30", reason)
    profile = soup(anonymous.get("/pct/5C4/")).select_one(".corrections").get_text(" ", strip=True)
    assert reason in profile and "C1: 2 → 1" in profile


def test_a_published_result_is_not_corrected_without_a_reason(
    admin_client, users, draft_year, snapshot
):
    actions.publish_year(year=draft_year, by=users[roles.ADMIN])
    before = snapshot()
    response = admin_client.post(URL, entry(version=opened_version(admin_client), c1="1"))
    assert response.status_code == 200
    assert "Say why a published result is being corrected." in response.content.decode()
    with pytest.raises(actions.PublicationRefused, match="Say why"):
        actions.request_correction(
            year=draft_year,
            by=users[roles.ADMIN],
            reason=" ",
            decisions=[PanelDecision("5C4", "A", "A", "A", {1: 1, 2: 3})],
        )
    with pytest.raises(actions.CorrectionNeedsApproval):
        actions.save_assessment(
            year=draft_year,
            pct=Assessment.objects.get(pct__code="5C4").pct,
            result=PanelDecision("5C4", "A", "A", "A", {1: 1, 2: 3}),
            opened_version=Assessment.objects.get(pct__code="5C4").version,
            by=users[roles.ADMIN],
        )
    assert snapshot() == before


def test_the_history_page_shows_who_changed_what_from_what_to_what_and_how(
    admin_client, draft_year
):
    admin_client.post(URL, entry(version=opened_version(admin_client), c1="4", strategy="R"))
    page = admin_client.get("/assurance/pct/5C4/history/").content.decode()
    lines = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
    ]
    changes = {(line[4], line[5], line[6]): line for line in lines}
    assert ("C1", "2", "4") in changes and ("Strategy", "A", "R") in changes
    line = changes[("C1", "2", "4")]
    assert (line[1], line[2], line[3]) == ("2009/10", "ada", "Entry form")


def test_publishing_records_who_published_and_shows_the_year_to_everyone(
    admin_client, users, draft_year, django_capture_on_commit_callbacks
):
    assert Client().get("/league/2009-10/").status_code == 404
    response = admin_client.post("/assurance/2009-10/publish/")  # asks; another admin approves
    assert response.status_code == 302
    second = Client()
    second.force_login(grant_role(username="bea", role=roles.ADMIN)[0])
    request_id = AssessmentYear.objects.get(start_year=2009).publication_requests.get().pk
    with django_capture_on_commit_callbacks(execute=True):
        second.post(f"/assurance/publication/{request_id}/approve/")
    year = AssessmentYear.objects.get(start_year=2009)
    assert year.is_approved and year.published_by.username == "bea"
    assert Client().get("/league/2009-10/").status_code == 200


def test_the_panel_date_reaches_the_browsers_date_input_as_an_iso_date(admin_client, draft_year):
    Assessment.objects.filter(pct__code="5C4").update(panel_date=datetime.date(2010, 4, 21))
    date_input = soup(admin_client.get(URL)).select_one('input[name="panel_date"]')
    assert (date_input["type"], date_input["value"]) == ("date", "2010-04-21")


def test_saving_the_form_as_opened_with_one_rating_changed_keeps_every_other_value(
    admin_client, draft_year
):
    Assessment.objects.filter(pct__code="5C4").update(
        panel_date=datetime.date(2010, 5, 7), notes="Met twice"
    )
    form = soup(admin_client.get(URL)).select_one("form.stacked")
    data = form_values(form) | {"finance": "R"}
    assert admin_client.post(URL, data).status_code == 302
    assessment = Assessment.objects.get(pct__code="5C4")
    assert (assessment.panel_date, assessment.notes) == (datetime.date(2010, 5, 7), "Met twice")
    assert saved_5c4() == ("A", "R", "A", {1: 2, 2: 3})


def form_values(form) -> dict:
    """What a browser submits for a form as it stands: inputs, checked radios, selected options."""
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[field["name"]] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            data[field["name"]] = field.get_text()
        elif field.get("type") != "radio" or field.has_attr("checked"):
            data[field["name"]] = field.get("value", "")
    return data


def changed_meanwhile(response) -> dict[str, str]:
    """The conflict page's fields marked as changed by someone else: name -> value saved now."""
    return {
        field.select_one("[name]")["name"]: field.select_one(".saved-now strong").get_text()
        for field in soup(response).select(".field.changed-meanwhile")
    }


def test_the_conflict_page_marks_only_the_fields_the_other_person_changed(
    client, users, draft_year
):
    first, second, version = two_admins_open_the_form(users)
    # The recorded values are c1 2, c2 3, A/A/A; the first admin changes finance and c2.
    first.post(
        URL,
        entry(version=version, c1="2", c2="4", strategy="A", finance="R", board_governance="A"),
    )
    refused = second.post(
        URL, entry(version=version, c1="1", c2="3", strategy="G", board_governance="A")
    )
    assert "since you opened it" in refused.content.decode()
    assert changed_meanwhile(refused) == {"c2": "4", "finance": "R"}
