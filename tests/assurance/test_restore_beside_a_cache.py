"""A database restored beside a live cache never reads what the cache holds from another."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts import roles
from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import PCT, Assessment
from leaguetable import queries
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def downloads(client) -> dict[str, bytes]:
    """Every public year's league table as each download."""
    paths = [
        reverse("leaguetable:league", args=[year.slug]) + f"?_export={fmt}"
        for year in queries.public_years()
        for fmt in ("csv", "json")
    ]
    return {path: client.get(path).content for path in paths}


def correct_a_result(year, by) -> None:
    """One admin asks, a second approves: a published result changes only so."""
    assessment = Assessment.objects.filter(year=year).select_related("pct").first()
    scores = dict.fromkeys(year.competencies.values_list("number", flat=True), 1)
    asked = actions.request_correction(
        year=year,
        by=by,
        reason="Panel sheet misread",
        decisions=[PanelDecision(assessment.pct.code, "R", "R", "R", scores)],
    )
    second = get_user_model().objects.filter(username="bea").first()
    actions.approve(request=asked, by=second or make_user("bea", roles.ADMIN))


def test_a_backup_restored_beside_the_cache_serves_the_backups_results(
    demo_data, users, client, tmp_path
):
    backup = tmp_path / "wcc.xml.gz"
    before = downloads(client)
    call_command("backup", str(backup), stdout=io.StringIO())
    # One correction to each public year: the revisions reach what the restore gives them.
    for year in queries.public_years():
        correct_a_result(year, users[roles.ADMIN])
    assert downloads(client) != before  # the correction shows, and is in the cache

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), stdout=io.StringIO())

    assert downloads(client) == before
    assert PCT.objects.exists()
