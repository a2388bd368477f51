"""The Django admin: reference data validated as elsewhere, results read-only, caches refreshed."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from assurance.models import PCT, AssessmentYear, ImportBatch
from tests.assurance.test_importers import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, users):
    client.force_login(users[roles.ADMIN])
    return client


@pytest.mark.parametrize("code", ["5c4", "TOOLONG", "5-4"])
def test_the_admin_refuses_a_pct_code_that_is_not_three_capitals_or_digits(admin, draft_year, code):
    pct = PCT.objects.get(code="5PG")
    response = admin.post(
        f"/admin/assurance/pct/{pct.pk}/change/", {"code": code, "name": "X", "sha": pct.sha_id}
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert PCT.objects.filter(code="5PG").exists()


def test_a_competency_with_scores_cannot_be_dropped_from_its_year(admin, draft_year, snapshot):
    before = snapshot()
    response = admin.post(
        f"/admin/assurance/assessmentyear/{draft_year.pk}/change/",
        {
            "start_year": 2009,
            "competencies": [c.pk for c in draft_year.competencies.filter(number=2)],
        },
    )
    assert "C1 already has scores in this year" in response.content.decode()
    assert snapshot() == before


def test_a_reference_data_change_in_the_admin_refreshes_every_year(admin, draft_year):
    revision = AssessmentYear.objects.get(pk=draft_year.pk).revision
    pct = PCT.objects.get(code="5PG")
    admin.post(
        f"/admin/assurance/pct/{pct.pk}/change/",
        {"code": "5PG", "name": "Renamed", "sha": pct.sha_id},
    )
    assert AssessmentYear.objects.get(pk=draft_year.pk).revision == revision + 1


def test_an_assessment_in_the_admin_links_to_the_entry_form_and_cannot_be_edited_there(
    admin, draft_year
):
    page = admin.get("/admin/assurance/assessment/").content.decode()
    assert 'href="/assurance/2009-10/pct/5C4/"' in page
    assessment_id = draft_year.assessments.get().pk
    response = admin.post(f"/admin/assurance/assessment/{assessment_id}/change/", {"strategy": "R"})
    assert response.status_code == 403
    assert draft_year.assessments.get().strategy == "A"


def test_an_upload_larger_than_djangos_memory_limit_is_still_never_written_to_disk(
    admin, draft_year, settings
):
    """Django spools uploads over 2.5 MB to a temporary file; the import's handler does not."""
    content = f"{HEADER},notes\n5PG,1,1,G,G,G,{'x' * 3_000_000}\n".encode()
    with mock.patch(
        "django.core.files.uploadhandler.TemporaryFileUploadHandler.new_file",
        side_effect=AssertionError("written to disk"),
    ):
        response = admin.post(
            "/assurance/import/",
            {"year": "2009-10", "file": SimpleUploadedFile("big.csv", content)},
        )
    assert response.status_code == 302
    assert bytes(ImportBatch.objects.get().content) == content


@pytest.fixture
def published_year(draft_year):
    from assurance import actions

    actions.publish_year(year=draft_year, by=None)
    return AssessmentYear.objects.get(pk=draft_year.pk)


def test_one_admin_cannot_change_a_published_year_in_the_admin(admin, published_year, snapshot):
    before, url = snapshot(), f"/admin/assurance/assessmentyear/{published_year.pk}/change/"
    response = admin.post(url, {"start_year": 2011, "is_illustrative": "", "note": "Moved"})
    assert response.status_code == 403
    assert (
        admin.post(f"/admin/assurance/assessmentyear/{published_year.pk}/delete/").status_code
        == 403
    )
    assert "delete_selected" not in admin.get("/admin/assurance/assessmentyear/").content.decode()
    year = AssessmentYear.objects.get(pk=published_year.pk)
    assert (year.start_year, year.note) == (2009, published_year.note)
    assert snapshot() == before


@pytest.mark.parametrize("model", ["pct", "sha", "competency", "organisationchange"])
def test_reference_data_is_read_only_in_the_admin_once_a_year_is_published(
    admin, published_year, model
):
    page = admin.get(f"/admin/assurance/{model}/add/")
    assert page.status_code == 403
    pct = PCT.objects.get(code="5PG")
    response = admin.post(
        f"/admin/assurance/pct/{pct.pk}/change/",
        {"code": "5PG", "name": "Renamed", "sha": pct.sha_id},
    )
    assert response.status_code == 403
    assert PCT.objects.get(pk=pct.pk).name == pct.name
