"""The health check for load balancers: the process is up and its database answers a query;
the body names anything degraded (a cache that cannot be reached) while the site still serves."""

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET

# What readers lose while each cache cannot be reached (wcc/cache.py): the site still serves.
WITHOUT = {
    "default": "pages and downloads are served uncached",
    "logins": "failed logins are counted by each process on its own",
}


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    degraded = [
        f"degraded: cache {alias!r} unreachable, {consequence}"
        for alias, consequence in WITHOUT.items()
        if hasattr(caches[alias], "ping") and not caches[alias].ping()
    ]
    return HttpResponse("\n".join(["ok", *degraded]), content_type="text/plain")
