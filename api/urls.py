"""URLs of the read API: its documentation page at /api/, its operations and schema under
/api/v1/, each answered through the page cache like the pages."""

from django.urls import path
from django.views.decorators.http import require_GET

from api import views
from api.endpoints import OTHER_APPS_FILTERS, PARAMETERS, api
from leaguetable.views.caching import cached_for_readers


def _through_the_page_cache(patterns):
    """django-ninja's URL patterns, each operation behind cached_for_readers with the query
    parameters it reads: PageCacheMiddleware then answers a current one before the session
    loads, as it does a page. `known_values={}`: an unknown ?method= reaches the operation,
    which answers 400, rather than being read as the default."""
    for pattern in patterns:
        if pattern.name in PARAMETERS:
            cached = cached_for_readers(
                *PARAMETERS[pattern.name],
                other_apps_filters=pattern.name in OTHER_APPS_FILTERS,
                known_values={},
            )
            # GET only, as the pages: the cache would otherwise answer any method.
            pattern.callback = require_GET(cached(pattern.callback))
    return patterns


app_name = "api"
urlpatterns = [
    path("", views.documentation, name="documentation"),
    *(
        path(f"v1/{pattern.pattern}", pattern.callback, name=pattern.name)
        for pattern in _through_the_page_cache(api.urls[0])
    ),
]
