"""Logging in and out, the failed-login throttle, granting roles, demo users."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from accounts import roles
from accounts.addresses import client_address
from accounts.models import UserProfile
from tests.factories import PASSWORD, SHAFactory

pytestmark = pytest.mark.django_db


def log_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_login_page_is_in_the_sites_style(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in page and "WCC assurance dashboard" in page


def test_a_user_logs_in_and_out(client, users):
    response = log_in(client, "ada")
    assert response.status_code == 302 and response.url == "/assurance/"
    assert "Log out ada" in client.get("/assurance/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/assurance/").status_code == 302


def test_a_wrong_password_is_refused_with_the_usual_message(client, users):
    page = log_in(client, "ada", "wrong").content.decode()
    assert "Please enter a correct username and password" in page


def test_after_five_failures_even_the_right_password_is_refused_for_a_while(
    client, users, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        log_in(client, "ada", "wrong")
    response = log_in(client, "ada")
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_throttled_too(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    admin = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(3):
        admin.post("/admin/login/", {"username": "ada", "password": "wrong"})
    admin.post("/admin/login/", {"username": "ada", "password": PASSWORD})
    assert "_auth_user_id" not in admin.session


def test_a_lockout_does_not_reach_the_same_user_from_another_address(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        log_in(client, "ada", "wrong", address="10.0.0.1")
    assert log_in(Client(), "ada", address="10.0.0.2").status_code == 302


def test_one_address_trying_many_names_is_locked_out(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for name in ("a", "b", "c", "d", "e", "f", "g", "h"):  # 4 x the per-user limit
        log_in(client, name, "wrong")
    assert log_in(client, "ada").status_code == 200


def test_a_successful_login_clears_the_failures(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    log_in(client, "ada", "wrong")
    log_in(client, "ada", "wrong")
    assert log_in(client, "ada").status_code == 302
    client.post("/accounts/logout/")
    log_in(client, "ada", "wrong")
    log_in(client, "ada", "wrong")
    assert log_in(client, "ada").status_code == 302


def grant(*args):
    out = io.StringIO()
    call_command("grant_role", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_grant_role_creates_a_user_with_a_printed_password_when_not_on_a_terminal(db):
    output = grant("newbie", "analyst")
    password = output.split("(shown once): ")[1].strip()
    user = get_user_model().objects.get(username="newbie")
    assert user.check_password(password) and len(password) >= 16
    assert roles.role_of(user) == roles.ANALYST and not user.is_staff


def test_grant_role_gives_sha_staff_their_sha(db):
    SHAFactory(code="Q36", name="London SHA")
    grant("sam", "sha_staff", "--sha", "q36")
    user = get_user_model().objects.get(username="sam")
    assert roles.is_sha_staff(user) and roles.is_analyst(user)
    assert UserProfile.objects.get(user=user).sha.code == "Q36"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sam", "sha_staff"], "needs --sha"),
        (["sam", "sha_staff", "--sha", "Q99"], "Unknown SHA code 'Q99'"),
    ],
)
def test_grant_role_refuses_sha_staff_without_a_known_sha(db, args, message):
    SHAFactory(code="Q36")
    with pytest.raises(CommandError, match=message):
        grant(*args)
    assert not get_user_model().objects.filter(username="sam").exists()


def test_grant_role_replaces_the_previous_role_and_keeps_the_password(users):
    ann = users[roles.ANALYST]
    grant("ann", "admin")
    ann.refresh_from_db()
    assert roles.role_of(get_user_model().objects.get(pk=ann.pk)) == roles.ADMIN
    assert ann.is_staff and ann.check_password(PASSWORD)
    assert ann.groups.count() == 1


def test_an_assurance_admin_may_manage_reference_data_in_the_django_admin(client, users):
    client.force_login(users[roles.ADMIN])
    assert client.get("/admin/assurance/pct/").status_code == 200
    assert client.get("/admin/assurance/assessment/").status_code == 200
    assert client.get("/admin/assurance/assessment/add/").status_code == 403


def test_demo_users_are_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_users", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_demo_users_get_one_account_per_role_with_printed_passwords(reference_data, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    lines = {line.split()[1]: line.split() for line in out.getvalue().splitlines()[1:]}
    # One account per role, and a second admin: publishing takes two.
    assert set(lines) == {"demo-analyst", "demo-sha-staff", "demo-admin", "demo-admin-2"}
    for username, (role, _, password, *_) in lines.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password) and roles.role_of(user) == role


def log_in_behind_proxy(username, password=PASSWORD, *, proxy="10.1.0.5", forwarded_for):
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_two_readers_behind_the_trusted_proxy_do_not_lock_each_other_out(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    for name in ("ada", "a", "b", "c", "d", "e", "f", "g", "h"):  # past both limits
        log_in_behind_proxy(name, "wrong", forwarded_for="203.0.113.66")
    assert log_in_behind_proxy("ada", forwarded_for="198.51.100.7").status_code == 302
    assert log_in_behind_proxy("ada", forwarded_for="203.0.113.66").status_code == 200


def test_the_client_address_is_the_right_most_one_no_trusted_proxy_wrote(settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16", "192.0.2.7"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 192.0.2.7"
    )
    assert client_address(request) == "198.51.100.7"


def test_x_forwarded_for_from_an_untrusted_address_is_ignored(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    for forged in ("198.51.100.1", "198.51.100.2"):
        log_in_behind_proxy("ada", "wrong", proxy="203.0.113.66", forwarded_for=forged)
    assert (
        log_in_behind_proxy("ada", proxy="203.0.113.66", forwarded_for="198.51.100.3").status_code
        == 200
    )
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "203.0.113.66"


def test_a_refused_login_is_logged_with_the_user_name_and_address(client, users, settings, caplog):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(3):
        log_in(client, "ada", "wrong", address="10.0.0.7")
    (refused,) = [r for r in caplog.records if r.name == "accounts.logins"]
    assert (refused.username, refused.address) == ("ada", "10.0.0.7")


def test_an_assurance_admins_login_lasts_a_working_day_and_a_readers_two_weeks(users, settings):
    settings.ADMIN_SESSION_SECONDS = 8 * 60 * 60
    settings.SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
    admin, analyst = Client(), Client()
    assert log_in(admin, "ada").status_code == 302
    assert log_in(analyst, "ann").status_code == 302
    assert admin.session.get_expiry_age() == 8 * 60 * 60
    assert analyst.session.get_expiry_age() == 14 * 24 * 60 * 60
    assert admin.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
