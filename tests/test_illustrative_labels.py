"""Every page that shows demo results says so: the signed-in pages walked here (the public ones
carry the banner of leaguetable/_illustrative_banner.html, tested with them).

Each GET route of the signed-in apps is in PAGES (with a sample) or in NOT_PAGES (with why); a
route added later in neither fails test_every_signed_in_route_is_walked.
"""

import pytest
from django.test import Client

from accounts import roles
from assurance import actions
from assurance.models import PCT, AssessmentYear
from tests.factories import DirectedDevelopmentFlagFactory, make_user
from tests.pages import soup
from tests.test_visibility import url_names

pytestmark = pytest.mark.django_db

DEMO_LABELS = ("2008/09", "2009/10", "2010/11")
PAGES = {
    "assurance:home": "/assurance/",
    "assurance:imports": "/assurance/imports/",
    "assurance:import_preview": "/assurance/import/{batch}/",
    "assurance:history": "/assurance/pct/5C4/history/",
    "assurance:year": "/assurance/2009-10/",
    "assurance:publication": "/assurance/2010-11/publication/",
    "assurance:entry": "/assurance/2009-10/pct/5C4/",
    "directed_development:flags": "/flags/",
    "directed_development:suggestions": "/flags/suggestions/",
    "directed_development:flag": "/flags/{flag}/",
    "directed_development:flag_new": "/flags/new/2009-10/5C4/",
}
NOT_PAGES = {
    "assurance:import": "the upload form: no results",
    "assurance:template": "a spreadsheet to fill in, not a page",
    "directed_development:suggestion_dismiss": "POST only",
    "directed_development:suggestion_restore": "POST only",
    **dict.fromkeys(
        [
            "assurance:import_reverse",
            "assurance:import_confirm",
            "assurance:approve",
            "assurance:cancel_request",
            "assurance:publish",
            "assurance:withdraw",
            "directed_development:flag_confirm",
            "directed_development:flag_lift",
            "directed_development:flag_lift_approve",
            "directed_development:flag_lift_cancel",
        ],
        "POST only",
    ),
}


def test_every_signed_in_route_is_walked():
    signed_in = [n for n in url_names() if n.split(":")[0] in ("assurance", "directed_development")]
    assert sorted(set(signed_in) - set(PAGES) - set(NOT_PAGES)) == []


@pytest.fixture
def samples(demo_data):
    admin = make_user("ada", roles.ADMIN)
    year = AssessmentYear.objects.get(start_year=2010)
    batch, _ = actions.store_import(
        year=year,
        file_name="r.csv",
        content=f"{_header(year)}\n5C4,{','.join(['1'] * 11)},G,G,G\n".encode(),
        by=admin,
        max_bytes=10**6,
    )
    flag = DirectedDevelopmentFlagFactory(
        pct=PCT.objects.get(code="5C4"),
        year=AssessmentYear.objects.get(start_year=2009),
        proposed_by=admin,
    )
    return admin, {"batch": batch.pk, "flag": flag.pk}


def _header(year) -> str:
    numbers = year.competencies.values_list("number", flat=True)
    return ",".join(["pct_code", *(f"c{n}" for n in numbers), "strategy,finance,board_governance"])


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_signed_in_page_showing_demo_results_says_they_are_illustrative(samples, name):
    admin, ids = samples
    client = Client()
    client.force_login(admin)
    response = client.get(PAGES[name].format(**ids))
    assert response.status_code == 200
    main = soup(response).select_one("main") or soup(response)
    text = main.get_text(" ", strip=True)
    assert any(label in text for label in DEMO_LABELS), "the page shows a demo year"
    assert "illustrative" in text.lower()
