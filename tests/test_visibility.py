"""One rule decides who may see a year: every route an anonymous reader can reach shows a year's
results exactly when AssessmentYear.is_public says so.

The walk starts from every URL pattern in the URLconf. A pattern is either in READABLE (with the
pages that reach it: the downloads and chart data each page links to are found on the page) or in
PRIVATE (with why an anonymous reader cannot reach it). A pattern added later that is in neither
fails test_every_url_pattern_is_walked_or_private; one added to READABLE is walked through every
state of the illustrative 2010/11: draft, awaiting approval, approved under embargo, public (by
the clock passing the embargo, with no cache forgotten), withdrawn.
"""

import datetime
import io
import json
import re
import zipfile
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from accounts import roles
from assurance import actions
from assurance.models import PCT, AssessmentYear
from leaguetable.computed import forget_ranked_rows
from tests.factories import WatchlistFactory, make_user
from tests.pages import soup

pytestmark = pytest.mark.django_db

YEAR_MARKERS = ("2010/11", "2010-11")  # the year's label and slug: in its pages, files and charts
# What the methodology says of the demo whatever the year's state: not the year's results.
ABOUT_THE_DEMO = "A third year, 2010/11, is included only as a hypothetical draft"

# Anonymous readers' routes, by URL name, and the pages that reach them ({token}: a saved group).
READABLE = {
    "leaguetable:latest": ["/", "/?sha=Q36", "/?band=1", "/?group={token}"],
    "leaguetable:league": ["/league/2010-11/", "/league/2009-10/"],
    "leaguetable:pct": ["/pct/5C4/", "/pct/5QV/", "/pct/5P3/"],
    "leaguetable:pct_report": ["/pct/5C4/report/"],
    "leaguetable:sha": ["/sha/Q36/"],
    "leaguetable:overview": ["/overview/"],
    "leaguetable:compare": ["/compare/?pct=5C4&pct=5PG"],
    "leaguetable:methodology": ["/methodology/"],
    "watchlists:group": ["/groups/{token}/"],
    # Found on the pages above: each chart's data, as its page links to it.
    "leaguetable:latest_chart": [],
    "leaguetable:league_chart": [],
    "leaguetable:pct_chart": [],
    "leaguetable:sha_chart": [],
    "leaguetable:overview_chart": [],
    "leaguetable:compare_chart": [],
    # The read API: every operation, its schema and its documentation page.
    "api:documentation": ["/api/"],
    "api:openapi-json": ["/api/v1/openapi.json"],
    "api:years": ["/api/v1/years"],
    "api:pcts": ["/api/v1/pcts"],
    "api:pct": ["/api/v1/pcts/5C4", "/api/v1/pcts/5QV?method=competency"],
    "api:shas": ["/api/v1/shas"],
    "api:sha": ["/api/v1/shas/Q36"],
    "api:league": [
        "/api/v1/league/2010-11",
        "/api/v1/league/2010-11?sha=Q36&sort=-mark&per_page=20&page=2",
        "/api/v1/league/2010-11?group={token}",
    ],
}
PRIVATE = {
    "healthz": "says whether the service is up; no results",
    "api:api-root": "/api/v1/ itself: a JSON 404 saying where the schema is; no results",
    "login": "the login form",
    "logout": "POST only",
    "two_factor_verify": "signed-in admins only",
    "two_factor_enrol": "signed-in admins only",
    "directed_development:*": "flags and suggestions: signed-in SHA staff and admins",
    "assurance:*": "the record: signed-in assurance admins",
    "admin:*": "Django's admin: signed-in staff",
    "watchlists:groups": "your groups: signed in",
    "watchlists:add_from_profile": "signed in",
    "watchlists:edit": "the owner only",
    "watchlists:add_pct": "the owner only",
    "watchlists:remove_pct": "the owner only",
    "watchlists:delete": "the owner only",
}


def url_names(resolver=None, namespace="") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            names.append(f"{namespace}{entry.name}")
    return names


def is_private(name: str) -> bool:
    return name in PRIVATE or f"{name.split(':')[0]}:*" in PRIVATE


def test_every_url_pattern_is_walked_or_private():
    unknown = [name for name in url_names() if name not in READABLE and not is_private(name)]
    assert unknown == [], (
        "New URLs: add each to READABLE in this test (and make its view ask "
        "AssessmentYear.is_public), or to PRIVATE saying why no anonymous reader reaches it."
    )


def test_an_anonymous_reader_reaches_no_private_route(demo_data):
    samples = {
        "/healthz": 200,
        "/accounts/two-factor/": 302,
        "/flags/": 302,
        "/flags/suggestions/": 302,
        "/assurance/": 302,
        "/assurance/2010-11/": 302,
        "/assurance/2010-11/publication/": 302,
        "/admin/": 302,
        "/groups/": 302,
    }
    for path, status in samples.items():
        response = Client().get(path)
        assert response.status_code == status, path
        assert not shows_the_year(response), path


def shows_the_year(response) -> bool:
    """Whether the year's results are in the response: its body (every sheet of a workbook),
    its file name, never counting the methodology's notice that a year was withdrawn."""
    text = response.get("Content-Disposition", "")
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            text += " ".join(book.read(name).decode() for name in book.namelist())
    elif response.get("Content-Type", "").startswith("application/json") and (
        response.status_code >= 400
    ):
        # An API error names what was asked for (the year in its URL), and nothing else: its
        # body is {"detail": ...} alone (the schema says so, tests/api/test_schema.py).
        body = json.loads(response.content)
        text += json.dumps({name: value for name, value in body.items() if name != "detail"})
    elif response.get("Content-Type", "").startswith("text/html"):
        page = soup(response)
        for notice in page.select("#withdrawn, #withdrawn + ul"):
            notice.decompose()
        text += re.sub(r"\s+", " ", str(page)).replace(ABOUT_THE_DEMO, "")
    else:
        text += response.content.decode()
    return any(marker in text for marker in YEAR_MARKERS)


def fresh_process() -> None:
    """What a restarted worker has: nothing cached (the database's rollback clears no cache)."""
    for alias in ("default", "logins"):
        caches[alias].clear()
    forget_ranked_rows()


def linked_data(path: str, page) -> list[str]:
    """The downloads and chart data a page links to, as absolute paths."""
    found = []
    for link in page.select("a[href]"):
        href = urljoin(path, link["href"])
        if href.startswith("/") and ("_export=" in href or urlsplit(href).path.endswith(".csv")):
            found.append(href)
    return found


class Walk:
    """Every URL reached from READABLE's pages, found while 2010/11 is public."""

    def __init__(self, token: str):
        self.pages = [p.format(token=token) for paths in READABLE.values() for p in paths]
        self.urls: list[str] = []

    def discover(self, client: Client) -> None:
        seen = dict.fromkeys(self.pages)
        for path in self.pages:
            response = client.get(path)
            assert response.status_code == 200, path
            if response["Content-Type"].startswith("text/html"):
                seen |= dict.fromkeys(linked_data(path, soup(response)))
        self.urls = list(seen)

    def covered_names(self) -> set[str]:
        names = set()
        for url in self.urls:
            match = resolve(urlsplit(url).path)
            names.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
        return names

    def showing_the_year(self) -> dict[str, int]:
        """URL -> status, for each URL whose answer shows 2010/11."""
        client, shown = Client(), {}
        for url in self.urls:
            response = client.get(url)
            assert response.status_code < 500, url
            if shows_the_year(response):
                shown[url] = response.status_code
        return shown


@pytest.fixture
def admins(demo_data):
    return make_user("ada", roles.ADMIN), make_user("bea", roles.ADMIN)


@pytest.fixture
def walk(demo_data, admins, django_capture_on_commit_callbacks) -> Walk:
    """The walk's URLs, found with 2010/11 published and then rolled back: what a published
    year's pages link to is what must stay hidden before and after."""
    owner = make_user("olive", roles.ANALYST)
    group = WatchlistFactory(owner=owner, pcts=list(PCT.objects.filter(code__in=["5C4", "5PG"])))
    walk = Walk(group.token)
    year = AssessmentYear.objects.get(start_year=2010)
    with transaction.atomic():
        actions.publish_year(year=year, by=admins[0])
        fresh_process()
        walk.discover(Client())
        transaction.set_rollback(True)
    fresh_process()
    return walk


def test_every_readable_route_is_reached_by_the_walk(walk):
    assert walk.covered_names() == set(READABLE)


def test_a_years_results_appear_on_every_route_exactly_when_it_is_public(
    walk, admins, fixed_clock, django_capture_on_commit_callbacks
):
    ada, bea = admins
    year = AssessmentYear.objects.get(start_year=2010)
    assert walk.showing_the_year() == {}, "draft"

    asked = actions.request_publication(
        year=year, by=ada, public_from=datetime.datetime(2010, 7, 1, 9, 0, tzinfo=datetime.UTC)
    )
    assert walk.showing_the_year() == {}, "awaiting approval"

    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(request=asked, by=bea)
    assert walk.showing_the_year() == {}, "approved under embargo"

    # Public by the clock alone: nothing is forgotten from any cache, in any process.
    fixed_clock.move_to(datetime.datetime(2010, 7, 1, 9, 1, tzinfo=datetime.UTC))
    shown = walk.showing_the_year()
    assert set(shown.values()) == {200}
    pages = {url for url in walk.pages if url in shown}
    assert pages >= {"/", "/league/2010-11/", "/pct/5C4/", "/sha/Q36/", "/overview/"}
    api_answers = {url for url in walk.pages if url.startswith("/api/v1/")}
    # The API shows the year wherever it has results: all but the schema and reference lists.
    assert api_answers - shown.keys() == {"/api/v1/openapi.json", "/api/v1/pcts", "/api/v1/shas"}
    names = {resolve(urlsplit(url).path).url_name for url in shown}
    assert {"pct_chart", "sha_chart", "overview_chart", "compare_chart", "group"} <= names
    assert any("_export=xlsx" in url for url in shown)

    withdrawal = actions.request_withdrawal(year=year, by=bea, reason="Shown in error.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(request=withdrawal, by=ada)
    assert walk.showing_the_year() == {}, "withdrawn"


def test_a_page_outside_the_rule_fails_the_walk(walk, monkeypatch):
    """The walk can fail: a view that shows approved years, embargoed or not, is caught."""
    from assurance import cache as assurance_cache

    year = AssessmentYear.objects.get(start_year=2010)
    year.status, year.public_from = AssessmentYear.Status.PUBLISHED, None
    year.published_at = year.announced_at = datetime.datetime(2010, 6, 1, tzinfo=datetime.UTC)
    year.public_from = datetime.datetime(2011, 1, 1, tzinfo=datetime.UTC)  # under embargo
    year.save()
    monkeypatch.setattr(assurance_cache, "public_years", assurance_cache._approved_years)
    assert walk.showing_the_year() != {}
