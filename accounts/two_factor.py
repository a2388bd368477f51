"""Two-factor sign-in for those who can change the record: an authenticator app (TOTP) and ten
recovery codes, with django-otp's devices; required when ADMIN_2FA_REQUIRED is on.

After the password, an admin without a confirmed app is sent to enrol, and one with an app is
asked for a code, before any page (TwoFactorMiddleware). A wrong code counts as a failed login
(accounts/logins.py), so guessing codes meets the same lockout as guessing passwords.
"""

import base64
import logging

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import logins
from accounts.sessions import may_change_the_record

log = logging.getLogger(__name__)

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Pages an admin reaches before giving a code: the two-factor pages, logging in and out.
OPEN_URL_NAMES = {"two_factor_enrol", "two_factor_verify", "login", "logout"}


def is_required(user) -> bool:
    return settings.ADMIN_2FA_REQUIRED and user.is_authenticated and may_change_the_record(user)


def has_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def app_to_enrol(user) -> TOTPDevice:
    """The user's unconfirmed authenticator app, made on first asking: the QR code stays the
    same while the user fetches their phone, until they confirm it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no service sees the
    secret)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app", border=2
    )


def secret_text(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_app(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with a code it shows: the user is then verified for this session and gets
    new recovery codes (returned, to show once). None if the code is wrong."""
    # django_otp verifies only confirmed devices for a session: confirm, then undo if wrong.
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if _accepts(request, [device], token) is None:
        transaction.set_rollback(True)
        return None
    log.info("Two-factor app enrolled", extra={"username": request.user.get_username()})
    return new_recovery_codes(request.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones, each good once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(request, token: str) -> bool:
    """Check a code from the app, or a recovery code (then used up); a right one verifies the
    session."""
    devices = list(django_otp.devices_for_user(request.user, confirmed=True))
    return _accepts(request, devices, token) is not None


def _accepts(request, devices, token: str):
    """The device that accepts `token`, now verifying this session; None counts as a failed
    login, and while the user is locked out no code is even tried."""
    username = request.user.get_username()
    if locked_out(request):
        return None
    token = "".join(token.split())
    for device in devices:
        if django_otp.verify_token(request.user, device.persistent_id, token):
            django_otp.login(request, device)
            logins.forget_failures(request, username)
            return device
    logins.count_failure(request, username)
    log.warning("Wrong two-factor code", extra={"username": username})
    return None


def locked_out(request) -> bool:
    return logins.is_locked_out(request, request.user.get_username())


def reset(user) -> int:
    """Remove every two-factor device of the user (a lost phone): they enrol again at their
    next sign-in. Returns how many went."""
    devices = list(django_otp.devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)


class TwoFactorMiddleware:
    """Sends an admin who has not given a code this session to enrol or to give one.

    After django_otp's OTPMiddleware, which tells whether this session's user gave a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if is_required(user) and not user.is_verified() and not _is_open(request):
            step = "two_factor_verify" if has_device(user) else "two_factor_enrol"
            return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)


def _is_open(request) -> bool:
    try:
        return resolve(request.path_info).url_name in OPEN_URL_NAMES
    except Resolver404:
        return False
