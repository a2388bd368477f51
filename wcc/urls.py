"""Top-level URLs: the league table at the root, directed development, assurance pages, logins,
the read API, the admin and the health check. Every page URL that names an assurance year uses
`<year:...>`; the assurance and flag URLs that name a PCT use `<pct:...>` (the read side looks
codes up in memory, never in the database, and builds its links by string replacement). The
API's (/api/v1/) take any text there and answer a JSON 404 naming it."""

from django.contrib import admin
from django.urls import include, path, register_converter

from assurance.converters import PCTCodeConverter, YearSlugConverter
from wcc.healthz import healthz

register_converter(YearSlugConverter, "year")
register_converter(PCTCodeConverter, "pct")

urlpatterns = [
    path("", include("leaguetable.urls")),
    path("flags/", include("directed_development.urls")),
    path("groups/", include("watchlists.urls")),
    path("assurance/", include("assurance.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
# A database outage met outside a view (in a middleware) is answered 503 too, not 500.
handler500 = "wcc.middleware.server_error"
