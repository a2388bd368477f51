"""Logging in: Django's view, sending each role to where its work is; then, for those who can
change the record, the second step (accounts/two_factor.py)."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import two_factor
from accounts.forms import LoginForm, TwoFactorCodeForm
from accounts.roles import is_assurance_admin

WRONG = "That code is not right. App codes change every 30 seconds: try the one shown now."
LOCKED_OUT = "Too many wrong codes. Wait a while and try again, or ask an assurance admin."


class RoleLoginView(LoginView):
    """Assurance admins land on their own pages, everyone else on the league table."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if is_assurance_admin(self.request.user):
            return reverse("assurance:home")
        return super().get_default_redirect_url()


login = RoleLoginView.as_view()


def _next(request) -> str:
    """Where the user was going (a page on this site), else where their role starts."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("assurance:home" if is_assurance_admin(request.user) else "leaguetable:latest")


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_enrol(request):
    """Set up an authenticator app: a QR code and the secret, then a code it shows to confirm;
    the recovery codes are shown once, on the confirming response."""
    if two_factor.has_device(request.user):
        return redirect(reverse("two_factor_verify") + f"?next={_next(request)}")
    device = two_factor.app_to_enrol(request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.confirm_app(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", LOCKED_OUT if two_factor.locked_out(request) else WRONG)
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_text(device),
            "next": _next(request),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    if not two_factor.has_device(request.user):
        return redirect(reverse("two_factor_enrol") + f"?next={_next(request)}")
    form = TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", LOCKED_OUT if two_factor.locked_out(request) else WRONG)
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )
