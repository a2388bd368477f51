"""Top-level URLs: the league table at the root, the admin, a health check."""

from django.contrib import admin
from django.urls import include, path

from leaguetable.views import healthz

urlpatterns = [
    path("", include("leaguetable.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
