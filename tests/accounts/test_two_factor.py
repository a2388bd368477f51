"""Two-factor sign-in for those who can change the record, and how long their sessions last."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, two_factor
from tests.factories import PASSWORD
from tests.pages import soup as soup_of
from tests.test_settings import ROOT

pytestmark = pytest.mark.django_db

ENROL = "/accounts/two-factor/enrol/"
VERIFY = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.ADMIN_2FA_REQUIRED = True


def log_in(client, username, address="10.0.0.1"):
    response = client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302, "the password is right"
    return response


def app_code(device: TOTPDevice) -> str:
    """The code the user's phone shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> TOTPDevice:
    device = two_factor.app_to_enrol(user)
    device.confirmed = True
    device.save()
    return device


def enter(client, url, code, address="10.0.0.1"):
    return client.post(url, {"code": code, "next": "/assurance/"}, REMOTE_ADDR=address)


def test_an_admin_signs_in_enrols_an_app_gets_recovery_codes_and_next_time_gives_a_code(users):
    client = Client()
    response = log_in(client, "ada")
    assert client.get(response.url).url == f"{ENROL}?next=/assurance/"

    page = soup_of(client.get(ENROL + "?next=/assurance/"))
    assert page.select_one(".qr-code svg") is not None
    device = TOTPDevice.objects.get(user=users[roles.ADMIN], confirmed=False)
    assert page.select_one("code.secret").text.replace(" ", "") == two_factor.secret_text(
        device
    ).replace(" ", "")

    codes_page = soup_of(enter(client, ENROL, app_code(device)))
    codes = [code.text for code in codes_page.select(".recovery-codes code")]
    assert len(set(codes)) == 10
    assert client.get("/assurance/").status_code == 200

    client.post("/accounts/logout/")
    log_in(client, "ada")
    assert client.get("/assurance/").url == f"{VERIFY}?next=/assurance/"
    assert client.get(ENROL).url.startswith(VERIFY), "one app is enough: no second enrolment"
    device.refresh_from_db()
    device.last_t = -1  # a code is good once: let the next step's code be tested afresh
    device.save()
    assert enter(client, VERIFY, app_code(device)).url == "/assurance/"
    assert client.get("/assurance/").status_code == 200


def test_the_recovery_codes_are_shown_only_on_the_page_that_confirms_the_app(users):
    client = Client()
    log_in(client, "ada")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=users[roles.ADMIN])
    response = enter(client, ENROL, app_code(device))
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert not soup_of(client.get("/assurance/")).select(".recovery-codes")


def test_every_page_waits_for_the_code_the_django_admin_included(users):
    enrolled(users[roles.ADMIN])
    client = Client()
    log_in(client, "ada")
    for path in ("/assurance/", "/admin/", "/flags/", "/"):
        assert client.get(path).url == f"{VERIFY}?next={path}"


def test_a_wrong_code_is_refused_and_counts_towards_the_lockout(users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django_otp's own delay would hide ours
    settings.LOGIN_FAILURE_LIMIT = 3
    device = enrolled(users[roles.ADMIN])
    client = Client()
    log_in(client, "ada")
    for _ in range(3):
        response = enter(client, VERIFY, "000000" if app_code(device) != "000000" else "111111")
        assert response.status_code == 200
    assert "Too many wrong codes" in soup_of(response).select_one(".error").text
    refused = enter(client, VERIFY, app_code(device))
    assert refused.status_code == 200, "locked out: even the right code waits"
    assert client.get("/assurance/").url.startswith(VERIFY)


def test_a_wrong_code_says_so(users):
    device = enrolled(users[roles.ADMIN])
    client = Client()
    log_in(client, "ada")
    wrong = "000000" if app_code(device) != "000000" else "111111"
    error = soup_of(enter(client, VERIFY, wrong)).select_one(".error").text
    assert error.startswith("That code is not right")


def test_a_recovery_code_works_once(users):
    enrolled(users[roles.ADMIN])
    code = two_factor.new_recovery_codes(users[roles.ADMIN])[0]
    client = Client()
    log_in(client, "ada")
    assert enter(client, VERIFY, code).url == "/assurance/"
    assert client.get("/assurance/").status_code == 200
    again = Client()
    log_in(again, "ada")
    assert enter(again, VERIFY, code).status_code == 200
    assert again.get("/assurance/").url.startswith(VERIFY)


def test_analysts_and_sha_staff_are_never_asked_for_a_code(users, flag_world):
    for username, path in (("ann", "/"), ("sam", "/flags/")):
        client = Client()
        log_in(client, username)
        assert client.get(path).status_code == 200


def test_a_code_cannot_send_the_admin_to_another_site(users):
    device = enrolled(users[roles.ADMIN])
    client = Client()
    log_in(client, "ada")
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response.url == "/assurance/"


def test_grant_role_reset_2fa_removes_the_users_app_and_recovery_codes(users):
    admin = users[roles.ADMIN]
    enrolled(admin)
    two_factor.new_recovery_codes(admin)
    out = io.StringIO()
    call_command("grant_role", "ada", "admin", "--reset-2fa", stdout=out)
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not StaticDevice.objects.filter(user=admin).exists()
    assert "Removed 2 two-factor device(s) of ada: they enrol again at their next sign-in." in (
        out.getvalue()
    )
    client = Client()
    log_in(client, "ada")
    assert client.get("/assurance/").url.startswith(ENROL)


def test_with_two_factor_off_an_admin_signs_in_with_the_password_alone(users, settings):
    settings.ADMIN_2FA_REQUIRED = False
    client = Client()
    log_in(client, "ada")
    assert client.get("/assurance/").status_code == 200


@pytest.mark.parametrize(("debug", "required"), [("1", "False"), ("0", "True")])
def test_two_factor_is_required_in_production_and_not_in_the_demo(debug, required):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ADMIN_2FA_REQUIRED"}}
    started = subprocess.run(
        [sys.executable, "-c", "import wcc.settings as s; print(s.ADMIN_2FA_REQUIRED)"],
        env=env | {"DEBUG": debug, "SECRET_KEY": "x" * 50},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert started.stdout.strip() == required


def test_an_idle_admin_is_logged_out_and_a_busy_one_is_not(users, settings, fixed_clock):
    settings.ADMIN_2FA_REQUIRED = False
    settings.ADMIN_IDLE_SECONDS = 30 * 60
    admin, analyst = Client(), Client()
    log_in(admin, "ada")
    log_in(analyst, "ann")
    for _ in range(3):  # busy for an hour and a half
        fixed_clock.shift(datetime.timedelta(minutes=29))
        assert admin.get("/assurance/").status_code == 200
    fixed_clock.shift(datetime.timedelta(minutes=31))
    assert admin.get("/assurance/").url == "/accounts/login/?next=/assurance/"
    assert analyst.get("/").wsgi_request.user.is_authenticated


def test_an_admins_session_ends_after_the_working_day_however_busy(users, settings, fixed_clock):
    settings.ADMIN_2FA_REQUIRED = False
    settings.ADMIN_SESSION_SECONDS = 8 * 60 * 60
    admin = Client()
    log_in(admin, "ada")
    for _ in range(16):  # a request every 29 minutes for 7 h 44 min
        fixed_clock.shift(datetime.timedelta(minutes=29))
        assert admin.get("/assurance/").status_code == 200
    fixed_clock.shift(datetime.timedelta(minutes=29))
    assert admin.get("/assurance/").url.startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_the_django_admin_shows_no_ones_totp_secret_and_no_500_for_a_missing_device(
    django_user_model, settings, page
):
    settings.ADMIN_2FA_REQUIRED = False  # the superuser's own second factor is not the point
    root = django_user_model.objects.create_superuser("root", "", "x")
    someone = django_user_model.objects.create_user("someone")
    device = TOTPDevice.objects.create(user=someone, name="phone")
    client = Client(raise_request_exception=False)
    client.force_login(root)
    for pk in (device.pk, device.pk + 1000):
        assert client.get(f"/admin/otp_totp/totpdevice/{pk}/{page}/").status_code == 403
