"""The login form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts import logins


class LoginForm(AuthenticationForm):
    """Django's login form, saying so plainly when the throttle has locked the user out."""

    def clean(self):
        if logins.is_locked_out(self.request, self.cleaned_data.get("username", "")):
            raise ValidationError(
                "Too many failed attempts to log in. Wait a while and try again, or ask an "
                "assurance admin to check your account.",
                code="locked_out",
            )
        return super().clean()


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
