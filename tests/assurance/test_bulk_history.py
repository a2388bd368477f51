"""The fast write path records exactly the history rows simple-history's bulk helpers did."""

import time_machine
from django.db import transaction

from assurance import actions, importers
from assurance.actions import assessments as assessment_actions
from assurance.models import Assessment, CompetencyScore, ImportBatch, Route
from bench.simple_history_writes import create_new_with_simple_history
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
    for name, content in (("first.csv", FIRST), ("second.csv", SECOND)):
        batch, _ = actions.store_import(
            year=year, file_name=name, content=content.encode(), by=by, max_bytes=10_000
        )
        actions.apply_import(batch=batch, by=by, max_bytes=10_000)
    results = list(importers.recorded_decisions(year).values())
    actions.replace_year_results(
        year=year, results=[r for r in results if r.pct_code != "5QL"], by=by, route=Route.DEMO
    )


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
            import_files(draft_year, admin)
        expected = history_rows()
        transaction.set_rollback(True)
    assert history_rows() == before

    import_files(draft_year, admin)

    assert history_rows() == expected
    # The files made new, changed and unchanged assessments; the demo loader removed one.
    assert {dict(row)["history_type"] for row in expected} == {"+", "~", "-"}


def test_the_fast_path_names_who_route_and_file_on_every_new_row(draft_year, users):
    batch, _ = actions.store_import(
        year=draft_year,
        file_name="first.csv",
        content=FIRST.encode(),
        by=users["admin"],
        max_bytes=10_000,
    )
    actions.apply_import(batch=batch, by=users["admin"], max_bytes=10_000)
    new_scores = CompetencyScore.history.filter(assessment__pct__code="5PG")
    assert sorted(new_scores.values_list("competency__number", "score", "history_type")) == [
        (1, 1, "+"),
        (2, 4, "+"),
    ]
    assert {(row.history_user, row.route, row.import_batch) for row in new_scores} == {
        (users["admin"], Route.IMPORT, batch)
    }
