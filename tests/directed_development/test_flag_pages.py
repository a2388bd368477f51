"""The flag form, a flag's page, the flags list and export, and the marker on the league table."""

import io
import re

import pandas as pd
import pytest

from accounts import roles
from directed_development import actions as flag_actions
from directed_development.models import DirectedDevelopmentFlag
from tests.factories import (
    AssessmentFactory,
    AssessmentYearFactory,
    DirectedDevelopmentFlagFactory,
    PCTFactory,
    SHAFactory,
    build_flagged_sha,
    make_user,
)
from tests.pages import csv_rows, flag_markers, table_rows

pytestmark = pytest.mark.django_db
Status = DirectedDevelopmentFlag.Status


def checked_rules(content: str) -> set[str]:
    return set(re.findall(r'name="rules" value="([\w-]+)"[^>]*checked', content))


def test_the_flag_form_offers_the_rules_the_pct_meets_all_ticked(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    content = client.get("/flags/new/2009-10/5QL/").content.decode()
    assert checked_rules(content) == {"two-reds", "red-finance"}
    assert "Two red governance ratings" in content


def test_flagging_stores_the_ticked_rules_with_their_names_and_shows_the_flag(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post(
        "/flags/new/2009-10/5QL/",
        {"rules": ["red-finance"], "reason": "Finance red two years running."},
        follow=True,
    )
    flag = DirectedDevelopmentFlag.objects.get(pct__code="5QL")
    assert response.redirect_chain == [(f"/flags/{flag.pk}/", 302)]
    assert flag.rules == [{"slug": "red-finance", "name": "Red rating for finance"}]
    assert flag.proposed_by == flag_world.users["sha_staff"]
    content = response.content.decode()
    assert "is proposed for directed development in 2009/10" in content
    assert "Finance red two years running." in content


def test_a_rule_the_pct_does_not_meet_cannot_be_slipped_into_the_form(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post(
        "/flags/new/2009-10/5QL/", {"rules": ["triple-red"], "reason": "Looks bad."}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not DirectedDevelopmentFlag.objects.filter(pct__code="5QL").exists()


def test_a_flag_without_a_reason_is_refused_next_to_the_field(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post("/flags/new/2009-10/5QL/", {"rules": ["two-reds"], "reason": "  "})
    content = response.content.decode()
    assert "Give a reason for the flag." in content
    assert checked_rules(content) == {"two-reds"}  # what was ticked stays ticked
    assert not DirectedDevelopmentFlag.objects.filter(pct__code="5QL").exists()


def test_a_pct_meeting_no_rule_can_still_be_flagged_on_its_reason_alone(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    form = client.get("/flags/new/2009-10/5K5/").content.decode()
    assert "meets no rule for concern" in form
    client.post("/flags/new/2009-10/5K5/", {"reason": "Board resignations."})
    assert DirectedDevelopmentFlag.objects.get(pct__code="5K5").rules == []


def test_flagging_an_already_flagged_pct_leads_to_the_open_flag(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post("/flags/new/2009-10/5C4/", {"reason": "Again"}, follow=True)
    assert response.redirect_chain == [(f"/flags/{flag_world.flag.pk}/", 302)]
    assert "already has a proposed flag for 2009/10" in response.content.decode()
    assert DirectedDevelopmentFlag.objects.count() == 1


@pytest.mark.parametrize("url", ["/flags/new/2010-11/5C4/", "/flags/new/2009-10/XXX/"])
def test_an_unknown_year_or_pct_is_not_found(client, flag_world, url):
    client.force_login(flag_world.users["admin"])
    assert client.get(url).status_code == 404


def test_confirming_and_lifting_from_the_flags_page_keep_who_and_why(client, flag_world):
    staff, admin = flag_world.users["sha_staff"], flag_world.users["admin"]
    flag = flag_actions.flag_pct(
        pct=flag_world.pcts["5QL"], year=flag_world.year, by=staff, reason="x"
    )
    client.force_login(admin)
    page = client.post(f"/flags/{flag.pk}/confirm/", follow=True).content.decode()
    assert "is in directed development" in page
    client.force_login(staff)
    page = client.post(
        f"/flags/{flag.pk}/lift/", {"reason": "Turnaround plan delivered."}, follow=True
    ).content.decode()
    assert "takes effect when another member" in page
    assert "Approve lifting the flag" not in page  # not to the one who asked
    client.force_login(admin)
    page = client.post(f"/flags/{flag.pk}/lift/approve/", follow=True).content.decode()
    flag.refresh_from_db()
    assert (flag.status, flag.confirmed_by, flag.lifted_by) == (Status.LIFTED, admin, admin)
    assert "Turnaround plan delivered." in page
    trail = page.split("Audit trail")[1]
    assert re.findall(r"<td>(ada|sam)</td>", trail) == ["sam", "ada", "sam", "ada"]
    assert "Lift the flag" not in page


def test_lifting_without_a_reason_is_refused_next_to_the_field(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    response = client.post(f"/flags/{flag_world.flag.pk}/lift/", {"reason": ""})
    assert response.status_code == 400
    assert "Give a reason for lifting the flag." in response.content.decode()
    flag_world.flag.refresh_from_db()
    assert flag_world.flag.status == Status.PROPOSED


def test_confirming_twice_says_so_and_changes_nothing(client, flag_world):
    client.force_login(flag_world.users["admin"])  # not the proposer
    client.post(f"/flags/{flag_world.flag.pk}/confirm/")
    page = client.post(f"/flags/{flag_world.flag.pk}/confirm/", follow=True).content.decode()
    assert "This flag is confirmed: nothing to confirm." in page
    assert DirectedDevelopmentFlag.history.filter(status=Status.CONFIRMED).count() == 1


# The flags list and its export ----------------------------------------------------------------


def listed_codes(response) -> list[str]:
    return re.findall(r'<th scope="row">[^<]*<span class="code">(\w+)<', response.content.decode())


def test_the_flags_page_filters_by_status_year_and_sha(client, flag_world):
    world = flag_world
    lifted = DirectedDevelopmentFlagFactory(
        pct=world.pcts["5PG"],
        year=world.year,
        proposed_by=world.users["admin"],
        status=Status.LIFTED,
        lift_reason="Recovered",
    )
    client.force_login(world.users["admin"])
    assert sorted(listed_codes(client.get("/flags/"))) == ["5C4", "5PG"]
    assert listed_codes(client.get("/flags/?status=open")) == ["5C4"]
    assert listed_codes(client.get("/flags/?status=lifted")) == [lifted.pct.code]
    assert listed_codes(client.get("/flags/?sha=Q30")) == ["5PG"]
    assert listed_codes(client.get("/flags/?year=2009-10&status=proposed")) == ["5C4"]
    assert listed_codes(client.get("/flags/?year=1999-00")) == []


def test_sha_staff_get_no_sha_filter_admins_do(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    assert 'name="sha"' not in client.get("/flags/").content.decode()
    client.force_login(flag_world.users["admin"])
    assert 'name="sha"' in client.get("/flags/").content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_export_holds_the_flags_shown_with_reasons_and_steps(client, flag_world, fmt):
    world = flag_world
    flag_actions.confirm_flag(flag=world.flag, by=world.users["admin"])
    client.force_login(world.users["sha_staff"])
    response = client.get(f"/flags/?status=open&_export={fmt}")
    assert "wcc-directed-development-flags" in response["Content-Disposition"]
    if fmt == "csv":
        frame = pd.read_csv(io.BytesIO(response.content), dtype=str, keep_default_na=False)
    elif fmt == "xlsx":
        frame = pd.read_excel(
            io.BytesIO(response.content), sheet_name="Flags", dtype=str, engine="openpyxl"
        )
    else:
        frame = pd.DataFrame(response.json()["rows"])
    assert list(frame["pct_code"]) == ["5C4"]
    row = frame.iloc[0]
    assert (row["status"], row["proposed_by"], row["confirmed_by"]) == ("Confirmed", "sam", "ada")
    assert row["rules"] == "Three red ratings"
    assert row["reason"] == world.flag.reason


def test_the_export_neutralises_spreadsheet_formulas_in_free_text(client, flag_world):
    DirectedDevelopmentFlag.objects.filter(pk=flag_world.flag.pk).update(
        reason='=HYPERLINK("http://example.invalid")', status=Status.LIFTED, lift_reason="+1"
    )
    client.force_login(flag_world.users["admin"])
    frame = pd.read_csv(io.BytesIO(client.get("/flags/?_export=csv").content), dtype=str)
    assert frame["reason"].iloc[0].startswith("'=HYPERLINK")
    assert frame["lift_reason"].iloc[0] == "'+1"


def build_flags(flag_count: int):
    """`flag_count` flags in one SHA, in every status; (staff member, admin, flagged PCT codes)."""
    sha = SHAFactory(code="Q36")
    year = AssessmentYearFactory(start_year=2009, competencies=[1])
    staff, admin = make_user("sam", roles.SHA_STAFF, sha), make_user("ada", roles.ADMIN)
    flagged = []
    for number in range(flag_count):
        pct = PCTFactory(sha=sha)
        AssessmentFactory(pct=pct, year=year, scores={1: 2})
        steps = [{}, {"confirmed_by": admin}, {"lifted_by": staff, "lift_reason": "Done"}]
        extra = steps[number % 3]
        status = [Status.PROPOSED, Status.CONFIRMED, Status.LIFTED][number % 3]
        DirectedDevelopmentFlagFactory(
            pct=pct, year=year, proposed_by=staff, status=status, **extra
        )
        flagged.append(pct.code)
    return staff, admin, flagged


# Session, user, groups; the flags with their PCTs, SHAs, years and people; the year choices.
# SHA staff add their SHA; admins the SHA choices of the filter. Export: no choices to list.
@pytest.mark.parametrize("flag_count", [3, 30])
@pytest.mark.parametrize(
    ("who", "url", "queries_run"),
    [
        ("sha_staff", "/flags/", 6),
        ("admin", "/flags/", 6),
        ("sha_staff", "/flags/?_export=csv", 5),
        ("admin", "/flags/?_export=csv", 4),
    ],
)
def test_the_flags_page_and_export_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, flag_count, who, url, queries_run
):
    staff, admin, flagged = build_flags(flag_count)
    client.force_login(staff if who == "sha_staff" else admin)
    with django_assert_num_queries(queries_run):
        response = client.get(url)
    if "_export" in url:
        listed = csv_rows(response)["pct_code"].tolist()
    else:
        listed = [row["code"] for row in table_rows(response, "table.flags")]
    assert sorted(listed) == sorted(flagged)  # every flag, each once


# The marker on the league table -----------------------------------------------------------------


def marker_column(response) -> bool:
    return 'title="Directed development flag"' in response.content.decode()


def test_anonymous_readers_get_no_marker_and_the_cached_page_survives_a_flag(
    client, flag_world, django_assert_num_queries
):
    first = client.get("/")
    assert not marker_column(first)
    assert "Proposed" not in first.content.decode()
    flag_actions.flag_pct(
        pct=flag_world.pcts["5QL"], year=flag_world.year, by=flag_world.users["admin"], reason="x"
    )
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content


def test_logged_in_pages_never_enter_the_anonymous_cache(client, flag_world):
    client.force_login(flag_world.users["admin"])
    assert marker_column(client.get("/"))
    client.logout()
    assert not marker_column(client.get("/"))


@pytest.mark.parametrize(
    ("role", "setting", "sees"),
    [
        ("sha_staff", False, True),
        ("admin", False, True),
        ("analyst", False, False),
        ("analyst", True, True),
    ],
)
def test_the_marker_column_is_for_sha_staff_and_admins_and_analysts_by_setting(
    client, flag_world, settings, role, setting, sees
):
    settings.FLAGS_VISIBLE_TO_ANALYSTS = setting
    client.force_login(flag_world.users[role])
    response = client.get("/")
    assert marker_column(response) is sees
    assert (
        f'href="/flags/{flag_world.flag.pk}/">Proposed</a>' in response.content.decode()
    ) is sees


def test_sha_staff_see_markers_only_on_their_own_shas_pcts(client, flag_world):
    DirectedDevelopmentFlagFactory(
        pct=flag_world.pcts["5PG"], year=flag_world.year, proposed_by=flag_world.users["admin"]
    )
    client.force_login(flag_world.users["sha_staff"])
    assert flag_markers(client.get("/")) == {"5C4": "proposed"}
    client.force_login(flag_world.users["admin"])
    assert flag_markers(client.get("/")) == {"5C4": "proposed", "5PG": "proposed"}


def test_the_table_sorts_by_the_marker_confirmed_first(client, flag_world):
    world = flag_world
    proposed = flag_actions.flag_pct(
        pct=world.pcts["5QL"], year=world.year, by=world.users["admin"], reason="x"
    )
    flag_actions.confirm_flag(flag=world.flag, by=world.users["admin"])
    client.force_login(world.users["admin"])
    codes = re.findall(r'class="code">(\w+)<', client.get("/?sort=-flag").content.decode())
    assert codes[:2] == ["5C4", proposed.pct.code]


# An anonymous reader's page of one year runs 6 (published years; PCTs, assessments, scores,
# organisation changes; the year's competencies). Then session, user, groups, the staff
# member's SHA, and the year's open flags in one query.
@pytest.mark.parametrize("pct_count", [3, 30])
def test_the_marker_adds_one_query_however_many_pcts_are_flagged(
    client, django_assert_num_queries, pct_count
):
    client.force_login(build_flagged_sha(pct_count)[0])
    with django_assert_num_queries(11):
        response = client.get("/")
    markers = flag_markers(response)
    assert len(markers) == pct_count and set(markers.values()) == {"proposed"}


# The section on the PCT's profile page ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_section", "sees_flag", "may_propose"),
    [
        ("sha_staff", True, True, False),  # 5C4's flag is open: nothing more to propose
        ("admin", True, True, False),
        ("other_sha_staff", True, False, False),  # the section, but not London's flag
        ("analyst", False, False, False),
    ],
)
def test_the_pct_profile_shows_its_flags_to_those_who_may_see_them(
    client, flag_world, role, sees_section, sees_flag, may_propose
):
    client.force_login(flag_world.users[role])
    page = client.get("/pct/5C4/").content.decode()
    assert ('id="pct-flags-heading"' in page) is sees_section
    assert (f'href="/flags/{flag_world.flag.pk}/"' in page) is sees_flag
    assert ('href="/flags/new/2009-10/5C4/"' in page) is may_propose


def test_the_profile_offers_to_propose_a_pct_without_an_open_flag(client, flag_world):
    client.force_login(flag_world.users["sha_staff"])
    page = client.get("/pct/5QL/").content.decode()
    assert "0 flags on PCT 5QL" in page
    assert 'href="/flags/new/2009-10/5QL/">Propose PCT 5QL' in page


def test_anonymous_readers_get_the_cached_profile_without_flags(
    client, flag_world, django_assert_num_queries
):
    first = client.get("/pct/5C4/")
    assert "Directed development" not in first.content.decode()
    flag_actions.lift_flag(flag=flag_world.flag, by=flag_world.users["admin"], reason="Recovered")
    with django_assert_num_queries(0):
        assert client.get("/pct/5C4/").content == first.content
