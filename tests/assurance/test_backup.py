"""A backup restores into an empty database with every record as it was."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.actions import grant_role
from assurance.models import PCT, Assessment
from directed_development import actions as flag_actions
from directed_development.models import DirectedDevelopmentFlag

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    """Every row of every project model, as plain values."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label in {"assurance", "directed_development", "accounts", "auth"}
        and model._meta.model_name != "permission"
    }


def test_a_backup_restores_into_an_empty_database_unchanged(demo_data, tmp_path):
    backup = tmp_path / "wcc.xml.gz"
    before = snapshot()
    assessments = Assessment.objects.count()
    assert assessments > 0
    call_command("backup", str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Assessment.objects.exists()

    out = io.StringIO()
    call_command("restore", str(backup), stdout=out)
    after = snapshot()
    # Revisions move on, and the restored database gets a cache identity of its own.
    moved_on = {"assurance.AssessmentYear", "assurance.CacheIdentity"}
    revision_free = {label: rows for label, rows in before.items() if label not in moved_on}
    assert {label: after[label] for label in revision_free} == revision_free
    assert Assessment.objects.count() == assessments
    assert f"{assessments} assessments" in out.getvalue()


def test_restore_refuses_a_database_that_is_not_empty(demo_data, tmp_path):
    backup = tmp_path / "wcc.xml"
    call_command("backup", str(backup), stdout=io.StringIO())
    pcts = PCT.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert PCT.objects.count() == pcts


def test_a_backup_needs_a_name_that_restore_will_read_back(db, tmp_path):
    with pytest.raises(CommandError, match=r"\.xml\.gz"):
        call_command("backup", str(tmp_path / "wcc.json"), stdout=io.StringIO())


def test_a_backup_keeps_directed_development_flags_and_their_trail(demo_data, tmp_path):
    from accounts import roles
    from assurance.models import SHA, AssessmentYear

    staff, _ = grant_role(username="sam", role=roles.SHA_STAFF, sha=SHA.objects.get(code="Q36"))
    flag = flag_actions.flag_pct(
        pct=PCT.objects.get(code="5C4"),
        year=AssessmentYear.objects.get(start_year=2009),
        by=staff,
        reason="Kept in the backup",
        rules={"rank-fall": "Fell more than 20 places in rank"},
    )
    flag_actions.lift_flag(flag=flag, by=staff, reason="Recovered")
    backup = tmp_path / "wcc.xml.gz"
    before = snapshot()
    call_command("backup", str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), stdout=io.StringIO())
    for label in (
        "directed_development.DirectedDevelopmentFlag",
        "directed_development.HistoricalDirectedDevelopmentFlag",
    ):
        assert snapshot()[label] == before[label]
    assert DirectedDevelopmentFlag.objects.get().rules == [
        {"slug": "rank-fall", "name": "Fell more than 20 places in rank"}
    ]
