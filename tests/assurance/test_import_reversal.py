"""Imports you can see and undo: the list of batches, reversal, stale uploads removed."""

import datetime
import io

import pytest
from django.core.management import call_command

from accounts import roles
from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import PCT, Assessment, CompetencyScore, ImportBatch, Route
from tests.assurance.test_importers import csv_file
from tests.pages import table_rows

pytestmark = pytest.mark.django_db


def apply(year, by, *rows: str, name="results.csv") -> ImportBatch:
    batch, _ = actions.store_import(
        year=year, file_name=name, content=csv_file(*rows), by=by, max_bytes=10**6
    )
    actions.apply_import(batch=batch, by=by)
    batch.refresh_from_db()
    return batch


def results() -> dict[str, tuple]:
    """Every assessment's ratings and scores, by PCT code."""
    return {
        a.pct.code: (a.strategy, a.finance, a.board_governance, scores(a))
        for a in Assessment.objects.select_related("pct")
    }


def scores(assessment) -> dict[int, int]:
    return dict(assessment.scores.values_list("competency__number", "score"))


def test_reversing_an_import_undoes_its_changes_and_keeps_a_later_import_of_other_pcts(
    users, draft_year
):
    admin = users[roles.ADMIN]
    before = results()  # 5C4: A/A/A, C1 2, C2 3
    first = apply(draft_year, admin, "5C4,4,4,G,G,G", "5PG,1,1,R,R,R", name="a.csv")
    second = apply(draft_year, admin, "5QL,3,3,A,G,A", name="b.csv")
    after_second = results()

    undone = actions.reverse_import(batch=first, by=admin, reason="Wrong year's panel sheet")

    assert undone == 2
    now = results()
    assert now["5C4"] == before["5C4"]  # put back
    assert "5PG" not in now  # the import created it: gone
    assert now["5QL"] == after_second["5QL"]  # the later import of another PCT stays
    first.refresh_from_db()
    assert (first.status, first.reversed_by, first.reversal_reason) == (
        ImportBatch.Status.REVERSED,
        admin,
        "Wrong year's panel sheet",
    )
    trail = Assessment.history.filter(route=Route.REVERSAL)
    assert {(row.pct.code, row.history_user, row.import_batch) for row in trail} == {
        ("5C4", admin, first),
        ("5PG", admin, first),
    }
    assert {row.history_change_reason for row in trail} == {"Wrong year's panel sheet"}
    assert ImportBatch.objects.get(pk=second.pk).status == ImportBatch.Status.APPLIED


def test_a_reversal_is_refused_when_a_later_change_touched_the_same_pct(
    users, draft_year, snapshot
):
    admin = users[roles.ADMIN]
    batch = apply(draft_year, admin, "5C4,4,4,G,G,G")
    actions.save_assessment(
        year=draft_year,
        pct=PCT.objects.get(code="5C4"),
        result=PanelDecision("5C4", "R", "G", "G", {1: 4, 2: 4}),
        opened_version=Assessment.objects.get(pct__code="5C4").version,
        by=admin,
    )
    before = snapshot()
    with pytest.raises(actions.ReversalRefused, match="5C4"):
        actions.reverse_import(batch=batch, by=admin, reason="Mistake")
    assert snapshot() == before


def test_changed_scores_and_ratings_come_back_with_their_history(users, draft_year):
    admin = users[roles.ADMIN]
    batch = apply(draft_year, admin, "5C4,1,4,R,A,A")  # C1 2 -> 1, C2 3 -> 4, strategy A -> R
    actions.reverse_import(batch=batch, by=admin, reason="Sheet was for another PCT")
    assert results()["5C4"] == ("A", "A", "A", {1: 2, 2: 3})
    reversed_scores = CompetencyScore.history.filter(route=Route.REVERSAL)
    assert sorted(reversed_scores.values_list("competency__number", "score")) == [(1, 2), (2, 3)]


def test_a_reversal_needs_a_reason_and_an_admin(users, draft_year):
    batch = apply(draft_year, users[roles.ADMIN], "5C4,4,4,G,G,G")
    with pytest.raises(actions.ReversalRefused, match="Say why"):
        actions.reverse_import(batch=batch, by=users[roles.ADMIN], reason=" ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.reverse_import(batch=batch, by=users[roles.SHA_STAFF], reason="Because")


def test_the_imports_page_lists_each_batch_with_what_it_did(client, users, draft_year):
    admin = users[roles.ADMIN]
    apply(draft_year, admin, "5C4,4,4,G,G,G", "5PG,1,1,R,R,R", name="first.csv")
    actions.store_import(
        year=draft_year,
        file_name="pending.csv",
        content=csv_file("5QL,1,1,A,A,A"),
        by=admin,
        max_bytes=10**6,
    )
    client.force_login(admin)
    rows = {row["File"].split()[0]: row for row in table_rows(client.get("/assurance/imports/"))}
    assert (rows["first.csv"]["New"], rows["first.csv"]["Changed"]) == ("1", "1")
    assert rows["first.csv"]["Status"].startswith("Applied")
    assert rows["pending.csv"]["Status"] == "Awaiting confirmation"
    response = client.post(
        f"/assurance/imports/{ImportBatch.objects.get(file_name='first.csv').pk}/reverse/",
        {"reason": "Test upload"},
        follow=True,
    )
    assert "Reversed first.csv: 2 PCTs" in response.content.decode()


def test_uploads_never_confirmed_are_removed_after_the_set_days(users, draft_year, fixed_clock):
    admin = users[roles.ADMIN]
    old, _ = actions.store_import(
        year=draft_year,
        file_name="old.csv",
        content=csv_file("5QL,1,1,A,A,A"),
        by=admin,
        max_bytes=10**6,
    )
    applied = apply(draft_year, admin, "5PG,1,1,R,R,R", name="applied.csv")
    fixed_clock.shift(datetime.timedelta(days=8))
    recent, _ = actions.store_import(
        year=draft_year,
        file_name="recent.csv",
        content=csv_file("5QL,2,2,A,A,A"),
        by=admin,
        max_bytes=10**6,
    )
    out = io.StringIO()
    call_command("remove_stale_imports", stdout=out)
    assert "Removed 1 unconfirmed upload" in out.getvalue()
    assert set(ImportBatch.objects.values_list("file_name", flat=True)) == {
        applied.file_name,
        recent.file_name,
    }
    assert not ImportBatch.objects.filter(pk=old.pk).exists()
