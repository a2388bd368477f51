"""Who may open each page and do each action: anonymous, analyst, SHA staff, assurance admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from accounts.actions import grant_role
from assurance import actions
from assurance.models import AssessmentYear
from tests.assurance.test_importers import csv_file

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", roles.ANALYST, roles.SHA_STAFF, roles.ADMIN]
ENTRY = {"c1": "4", "c2": "4", "strategy": "R", "finance": "R", "board_governance": "R"}


def good_upload():
    return {"year": "2009-10", "file": SimpleUploadedFile("r.csv", csv_file("5PG,1,1,G,G,G"))}


# (name, method, url, data, is a write, the admin's outcome). Everyone else: anonymous users
# are sent to the login page, analysts and SHA staff get 403.
CASES = [
    ("assurance home", "get", "/assurance/", None, False, 200),
    ("year page", "get", "/assurance/2009-10/", None, False, 200),
    ("entry form GET", "get", "/assurance/2009-10/pct/5PG/", None, False, 200),
    ("entry form POST", "post", "/assurance/2009-10/pct/5PG/", ENTRY, True, 302),
    ("template download", "get", "/assurance/2009-10/template.csv", None, False, 200),
    ("import upload GET", "get", "/assurance/import/", None, False, 200),
    ("import upload POST", "post", "/assurance/import/", good_upload, True, 302),
    ("import preview", "get", "/assurance/import/{batch}/", None, False, 200),
    ("import confirm", "post", "/assurance/import/{batch}/confirm/", "revision", True, 302),
    ("publish", "post", "/assurance/2009-10/publish/", {}, True, 302),
    ("publication page", "get", "/assurance/2009-10/publication/", None, False, 200),
    ("approve", "post", "/assurance/publication/{request}/approve/", {}, True, 302),
    ("cancel a request", "post", "/assurance/publication/{request}/cancel/", {}, True, 302),
    ("PCT history", "get", "/assurance/pct/5C4/history/", None, False, 200),
]


@pytest.fixture
def pending_batch(users, draft_year):
    batch, _ = actions.store_import(
        year=draft_year,
        file_name="r.csv",
        content=csv_file("5QL,2,2,A,A,A"),
        by=users[roles.ADMIN],
        max_bytes=10**6,
    )
    return batch


def expected_outcome(role, admin_outcome):
    return {"anonymous": 302, roles.ANALYST: 403, roles.SHA_STAFF: 403}.get(role, admin_outcome)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_each_page_and_action_allows_only_assurance_admins(
    client, users, draft_year, pending_batch, snapshot, role, case
):
    name, method, url, data, is_write, admin_outcome = case
    if role != "anonymous":
        client.force_login(users[role])
    request = None
    if "{request}" in url:  # asked for by another admin, for this one to approve or cancel
        other_admin = grant_role(username="bea", role=roles.ADMIN)[0]
        request = actions.request_publication(year=draft_year, by=other_admin)
    url = url.format(batch=pending_batch.pk, request=request.pk if request else None)
    if data == "revision":
        data = {"revision": AssessmentYear.objects.get(start_year=2009).revision}
    elif callable(data):
        data = data()
    before = snapshot()

    response = getattr(client, method)(url, data) if data is not None else client.get(url)

    assert response.status_code == expected_outcome(role, admin_outcome)
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/?next=")
    if is_write and role != roles.ADMIN:
        assert snapshot() == before, f"{name} changed the record for {role}"
    if is_write and role == roles.ADMIN:
        assert snapshot() != before


@pytest.mark.parametrize("role", ROLES)
def test_the_login_page_is_open_to_anonymous_users_and_sends_the_logged_in_on(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get("/accounts/login/")
    assert response.status_code == (200 if role == "anonymous" else 302)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_and_anonymous_reads_published_years_but_not_drafts(client, users, role):
    from tests.factories import AssessmentFactory, AssessmentYearFactory

    AssessmentFactory(year=AssessmentYearFactory(start_year=2008), scores={1: 2})
    AssessmentFactory(
        year=AssessmentYearFactory(start_year=2009, status=AssessmentYear.Status.DRAFT),
        scores={1: 2},
    )
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get("/league/2008-09/").status_code == 200
    assert client.get("/league/2008-09/?_export=csv").status_code == 200
    assert client.get("/league/2009-10/").status_code == 404


@pytest.mark.parametrize("role", [roles.ANALYST, roles.SHA_STAFF])
def test_actions_refuse_users_without_the_admin_role_even_when_called_directly(
    users, draft_year, role
):
    with pytest.raises(PermissionDenied):
        actions.publish_year(year=draft_year, by=users[role])
    draft_year.refresh_from_db()
    assert not draft_year.is_approved


def test_only_assurance_admins_see_the_assurance_link(client, users):
    from tests.factories import AssessmentFactory

    AssessmentFactory(scores={1: 2})
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        page = client.get("/").content.decode()
        assert ('href="/assurance/"' in page) == (role == roles.ADMIN), role
        assert ("Log out" in page) == (role != "anonymous")


def test_the_assurance_pages_ask_for_the_permission_not_a_group_name(client, draft_year):
    """A user holding only assurance.record_results (no role group) may record results: the
    record asks Django's permissions and never imports accounts."""
    from django.contrib.auth.models import Permission, User

    clerk = User.objects.create_user("clerk", password="x")
    assert client.get("/assurance/").status_code == 302  # not logged in: to the login page
    client.force_login(clerk)
    assert client.get("/assurance/").status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="record_results"))
    assert client.get("/assurance/").status_code == 200
