"""Who may see suggestions and flags, and who may flag, confirm or lift: every role, every page."""

import pytest

from accounts import roles
from directed_development import actions as flag_actions
from directed_development.models import DirectedDevelopmentFlag
from tests.factories import make_user
from tests.pages import soup

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "analyst", "sha_staff", "other_sha_staff", "admin"]
REASON = {"reason": "Three reds and a deficit."}

# (name, method, url, data, is a write, outcome for each role in ROLES order).
# The flag on 5C4 and the PCTs 5C4 and 5QL belong to London (Q36); sha_staff is London's,
# other_sha_staff belongs to another SHA. Analysts see no flags unless FLAGS_VISIBLE_TO_ANALYSTS.
# Another SHA's flag is not found (404), as a missing one is, so its number reveals nothing.
CASES = [
    ("suggestions", "get", "/flags/suggestions/", None, False, (302, 403, 200, 200, 200)),
    ("flags page", "get", "/flags/", None, False, (302, 403, 200, 200, 200)),
    ("flags export", "get", "/flags/?_export=csv", None, False, (302, 403, 200, 200, 200)),
    ("flag page", "get", "/flags/{flag}/", None, False, (302, 403, 200, 404, 200)),
    ("flag form", "get", "/flags/new/2009-10/5QL/", None, False, (302, 403, 200, 403, 200)),
    ("flag", "post", "/flags/new/2009-10/5QL/", REASON, True, (302, 403, 302, 403, 302)),
    ("confirm", "post", "/flags/{flag}/confirm/", {}, True, (302, 403, 302, 404, 302)),
    ("lift", "post", "/flags/{flag}/lift/", REASON, True, (302, 403, 302, 404, 302)),
]


def flags_snapshot():
    """Every flag's every field, and the length of the audit trail."""
    return (
        sorted(DirectedDevelopmentFlag.objects.values_list()),
        DirectedDevelopmentFlag.history.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_each_flag_page_and_step_answers_each_role_exactly(client, flag_world, role, case):
    name, method, url, data, is_write, outcomes = case
    expected = outcomes[ROLES.index(role)]
    if role != "anonymous":
        client.force_login(flag_world.users[role])
    if name == "confirm":  # proposed by a colleague of London's staff member: theirs to confirm
        colleague = make_user("sue", roles.SHA_STAFF, flag_world.london)
        DirectedDevelopmentFlag.objects.filter(pk=flag_world.flag.pk).update(proposed_by=colleague)
    before = flags_snapshot()

    response = getattr(client, method)(url.format(flag=flag_world.flag.pk), data)

    assert response.status_code == expected
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/?next=")
    if (is_write and expected != 302) or role == "anonymous":
        assert flags_snapshot() == before, f"{name} changed the flags for {role}"
    elif is_write:
        assert flags_snapshot() != before
        assert response.url.startswith("/flags/")


@pytest.mark.parametrize(
    ("url", "shown", "hidden"),
    [
        ("/flags/suggestions/", "5PG", "5C4"),  # their own triple red, not London's
        ("/flags/", "No flags", "5C4"),
        ("/flags/?_export=csv", "pct_code", "5C4"),
    ],
)
def test_staff_of_another_sha_see_only_their_own_shas_suggestions_and_flags(
    client, flag_world, url, shown, hidden
):
    client.force_login(flag_world.users["other_sha_staff"])
    content = client.get(url).content.decode()
    assert shown in content
    assert hidden not in content


def test_with_the_setting_on_analysts_read_every_flag_but_still_may_not_flag(
    client, flag_world, settings
):
    settings.FLAGS_VISIBLE_TO_ANALYSTS = True
    client.force_login(flag_world.users["analyst"])
    before = flags_snapshot()
    assert "5C4" in client.get("/flags/").content.decode()
    assert client.get(f"/flags/{flag_world.flag.pk}/").status_code == 200
    assert client.get("/flags/suggestions/").status_code == 403
    assert client.post("/flags/new/2009-10/5QL/", REASON).status_code == 403
    assert client.post(f"/flags/{flag_world.flag.pk}/confirm/").status_code == 403
    assert flags_snapshot() == before


def test_with_the_setting_on_staff_of_another_sha_read_the_flag_but_may_not_act_on_it(
    client, flag_world, settings
):
    settings.FLAGS_VISIBLE_TO_ANALYSTS = True
    client.force_login(flag_world.users["other_sha_staff"])
    before = flags_snapshot()
    page = client.get(f"/flags/{flag_world.flag.pk}/").content.decode()
    assert "Confirm directed development" not in page
    assert client.post(f"/flags/{flag_world.flag.pk}/lift/", REASON).status_code == 403
    assert flags_snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_see_flags_get_the_links_to_them(client, flag_world, role):
    if role != "anonymous":
        client.force_login(flag_world.users[role])
    page = client.get("/").content.decode()
    assert ('href="/flags/"' in page) == (role not in ("anonymous", "analyst"))
    assert ('href="/flags/suggestions/"' in page) == (role not in ("anonymous", "analyst"))


def test_the_proposer_cannot_confirm_their_own_flag_and_a_colleague_can(client, flag_world):
    """Two people put a PCT into directed development: whoever proposed, someone else confirms."""
    flag, sam = flag_world.flag, flag_world.users["sha_staff"]  # sam proposed it
    client.force_login(sam)
    before = flags_snapshot()
    page = soup(client.post(f"/flags/{flag.pk}/confirm/", follow=True)).get_text(" ")
    assert "another member of London SHA's staff or an assurance admin must confirm it" in page
    assert flags_snapshot() == before
    client.force_login(flag_world.users["other_sha_staff"])  # another SHA: not even found
    assert client.post(f"/flags/{flag.pk}/confirm/").status_code == 404
    client.force_login(make_user("sue", roles.SHA_STAFF, flag_world.london))
    client.post(f"/flags/{flag.pk}/confirm/")
    flag.refresh_from_db()
    assert (flag.status, flag.confirmed_by.username) == ("confirmed", "sue")


def test_more_confirmations_can_be_required(flag_world, settings):
    settings.FLAG_CONFIRMATIONS = 2
    flag = flag_world.flag
    flag_actions.confirm_flag(flag=flag, by=flag_world.users["admin"])
    assert flag.status == "proposed"
    flag_actions.confirm_flag(flag=flag, by=make_user("sue", roles.SHA_STAFF, flag_world.london))
    assert flag.status == "confirmed"


def test_another_shas_flag_answers_exactly_as_a_missing_one(client, flag_world):
    client.force_login(flag_world.users["other_sha_staff"])
    theirs = client.get(f"/flags/{flag_world.flag.pk}/")
    missing = client.get(f"/flags/{flag_world.flag.pk + 1000}/")
    assert theirs.status_code == missing.status_code == 404
