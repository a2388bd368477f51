"""Top-level URLs: the league table at the root, assurance pages, logins, admin, health check."""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from assurance.views import login
from leaguetable.views import healthz

urlpatterns = [
    path("", include("leaguetable.urls")),
    path("assurance/", include("assurance.urls")),
    path("accounts/login/", login, name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
