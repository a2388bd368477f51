"""The fast write path records exactly the history rows simple-history's bulk helpers did."""

import dataclasses

import time_machine
from django.db import transaction

from assurance import actions, importers
from assurance.actions import assessments as assessment_actions
from assurance.models import Assessment, CompetencyScore, ImportBatch, Route
from bench.simple_history_writes import (
    create_new_with_simple_history,
    update_changed_with_simple_history,
)
from tests.conftest import CLOCK_STARTS_AT

HEADER = "pct_code,c1,c2,strategy,finance,board_governance,panel_date,notes"
# 5C4 is on record before the first file; 5PG and 5QL are not.
FIRST = f"{HEADER}\n5C4,3,3,G,A,R,31/03/2010,changed\n5PG,1,4,R,R,A,,new\n"
SECOND = f"{HEADER}\n5C4,3,3,G,A,R,31/03/2010,changed\n5PG,2,4,R,A,A,,changed\n5QL,4,4,G,G,G,,new\n"


def import_files(year, by):
    """New, changed and unchanged assessments by import, then by the demo loader (a removal).

    On a stopped clock: both runs stamp their history rows with the same moments."""
    with time_machine.travel(CLOCK_STARTS_AT, tick=False):
        _import_files(year, by)


def _import_files(year, by):
    import_file(year, by, "first.csv", FIRST)
    # The demo loader drops 5PG's C2, so the second file scores it anew on a changed assessment.
    recorded = importers.recorded_decisions(year)
    recorded["5PG"] = dataclasses.replace(recorded["5PG"], scores={1: 1})
    actions.replace_year_results(year=year, results=list(recorded.values()), by=by)
    import_file(year, by, "second.csv", SECOND)
    recorded = importers.recorded_decisions(year)
    actions.replace_year_results(
        year=year, results=[r for code, r in recorded.items() if code != "5QL"], by=by
    )


def import_file(year, by, name, content):
    batch, _ = actions.store_import(
        year=year, file_name=name, content=content.encode(), by=by, max_bytes=10_000
    )
    actions.apply_import(batch=batch, by=by)


def history_rows() -> list[tuple]:
    """Both history tables, field by field, with database-made ids replaced by what they name."""
    pct_of_assessment = dict(Assessment.history.values_list("id", "pct__code"))
    file_of_batch = dict(ImportBatch.objects.values_list("pk", "file_name"))

    def natural(row, own_id):
        row = dict(row)
        row.pop("history_id")
        row[own_id] = pct_of_assessment[row.pop(own_id)]
        row["import_batch_id"] = file_of_batch.get(row["import_batch_id"])
        return tuple(sorted(row.items()))

    assessments = [natural(row, "id") for row in Assessment.history.values()]
    scores = []
    for row in CompetencyScore.history.values():
        row.pop("id")  # the score's own id; (assessment, competency) names it
        scores.append(natural(row, "assessment_id"))
    return sorted(assessments, key=repr) + sorted(scores, key=repr)


def test_the_fast_path_records_the_same_history_as_simple_history(draft_year, users, monkeypatch):
    admin = users["admin"]
    before = history_rows()
    with transaction.atomic():
        with monkeypatch.context() as patched:
            patched.setattr(assessment_actions, "_create_new", create_new_with_simple_history)
            patched.setattr(
                assessment_actions, "_update_changed", update_changed_with_simple_history
            )
            import_files(draft_year, admin)
        expected = history_rows()
        transaction.set_rollback(True)
    assert history_rows() == before

    import_files(draft_year, admin)

    assert history_rows() == expected
    # New, changed and removed assessments and scores were all recorded.
    kinds = {(dict(row).get("score") is None, dict(row)["history_type"]) for row in expected}
    assert kinds == {(assessment, kind) for assessment in (True, False) for kind in "+~-"}


def test_the_fast_path_names_who_route_and_file_on_every_new_row(draft_year, users):
    batch, _ = actions.store_import(
        year=draft_year,
        file_name="first.csv",
        content=FIRST.encode(),
        by=users["admin"],
        max_bytes=10_000,
    )
    actions.apply_import(batch=batch, by=users["admin"])
    new_scores = CompetencyScore.history.filter(assessment__pct__code="5PG")
    assert sorted(new_scores.values_list("competency__number", "score", "history_type")) == [
        (1, 1, "+"),
        (2, 4, "+"),
    ]
    assert {(row.history_user, row.route, row.import_batch) for row in new_scores} == {
        (users["admin"], Route.IMPORT, batch)
    }
