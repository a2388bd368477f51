"""Logging in: Django's view, sending each role to where its work is."""

from django.contrib.auth.views import LoginView
from django.urls import reverse

from accounts.forms import LoginForm
from accounts.roles import is_assurance_admin


class RoleLoginView(LoginView):
    """Assurance admins land on their own pages, everyone else on the league table."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if is_assurance_admin(self.request.user):
            return reverse("assurance:home")
        return super().get_default_redirect_url()


login = RoleLoginView.as_view()
