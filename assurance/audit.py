"""The audit trail: who changed a score or rating, when, from what to what, and by which route.

django-simple-history writes a history row for every change. Saves and deletes reach it through
model signals; bulk writes in assurance.actions pass the same facts explicitly, or copy the rows
they wrote with record_history (one INSERT … SELECT). All take them from one place, the
`recording` context that every action opens, so a row can never miss its user, route or import
batch.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from assurance.decisions import PanelDecision
from assurance.models import PCT, Assessment, CompetencyScore, ImportBatch, Route
from assurance.vocabulary import AREA_NAMES


@dataclass(frozen=True)
class Recording:
    by: object  # a User, or None for a management command run by an operator
    route: Route
    batch: ImportBatch | None
    at: datetime.datetime
    reason: str = ""  # why, when the change says so (an import reversal); kept on each row

    def bulk_history_kwargs(self) -> dict:
        """Keyword arguments for simple-history's bulk_*_with_history and bulk_history_create."""
        return {
            "default_user": self.by,
            "default_date": self.at,
            "custom_historical_attrs": {"route": self.route, "import_batch": self.batch},
        }

    def history_stamp(self, history_type: str) -> dict:
        """The history columns (by attribute name) bulk_history_create fills from these facts."""
        return {
            "history_date": self.at,
            "history_user_id": getattr(self.by, "pk", None),
            "history_change_reason": None,
            "history_type": history_type,
            "route": self.route,
            "import_batch_id": getattr(self.batch, "pk", None),
        }


_current: ContextVar[Recording | None] = ContextVar("assurance_recording", default=None)


@contextmanager
def recording(
    *, by, route: Route, batch: ImportBatch | None = None, reason: str = ""
) -> Iterator[Recording]:
    """Every history row written inside this block names `by`, `route`, `batch` and `reason`."""
    token = _current.set(
        Recording(by=by, route=route, batch=batch, at=timezone.now(), reason=reason)
    )
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current() -> Recording:
    """The recording an action opened; writing results outside one is a programming error."""
    recording_now = _current.get()
    if recording_now is None:
        raise RuntimeError("Results are written only inside audit.recording(...).")
    return recording_now


def record_history(rows: QuerySet, history_type: str) -> None:
    """Copy `rows` as they now stand into their model's history, in one INSERT … SELECT.

    The values are those simple-history's bulk_history_create writes (the recording's who, when,
    route and batch; no change reason), without building and compiling a Python object per row:
    that cost four times the writes themselves.
    """
    history = rows.model.history.model
    tracked = [field.attname for field in history.tracked_fields]
    stamp = current().history_stamp(history_type)
    fields = [history._meta.get_field(name) for name in stamp]
    try:
        select_sql, select_params = (
            rows.order_by("pk").values_list(*tracked).query.sql_with_params()
        )
    except EmptyResultSet:  # filtered by an empty list of ids: nothing to copy
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(history._meta.get_field(name).column) for name in [*tracked, *stamp])
    constants = ", ".join(_typed_placeholder(field) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}) "
            f"SELECT copied.*, {constants} FROM ({select_sql}) copied",
            [
                *(
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(fields, stamp.values(), strict=True)
                ),
                *select_params,
            ],
        )


def _typed_placeholder(field) -> str:
    # PostgreSQL reads a bare NULL in a SELECT list as text, which no integer column accepts;
    # SQLite's CAST would turn a date's text into a number, and it needs no type anyway.
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"


def stamp_history_row(sender, history_instance, **kwargs):
    current = _current.get()
    if current is None:
        return
    history_instance.history_user = current.by
    history_instance.history_date = current.at
    history_instance.route = current.route
    history_instance.import_batch = current.batch
    # simple-history's own column for why, 100 characters; the whole reason is on the batch.
    history_instance.history_change_reason = current.reason[:100] or None


# Reading the trail back -------------------------------------------------------------------

ASSESSMENT_FIELDS = AREA_NAMES | {
    "panel_date": "Panel date",
    "notes": "Notes",
}


@dataclass(frozen=True)
class HistoryLine:
    """One field of one PCT changed once: shown as a line of the PCT's history page."""

    at: datetime.datetime
    year_label: str
    user: object
    route: str
    batch: ImportBatch | None
    what: str
    old: object
    new: object


def pct_history(pct: PCT) -> list[HistoryLine]:
    """Every change to `pct`'s ratings and scores in any year, newest first (two queries)."""
    assessment_rows = list(
        Assessment.history.filter(pct=pct)
        .select_related("history_user", "import_batch", "year")
        .order_by("history_date", "history_id")
    )
    years = {row.id: row.year.label for row in assessment_rows}
    score_rows = list(
        CompetencyScore.history.filter(assessment_id__in=years)
        .select_related("history_user", "import_batch", "competency")
        .order_by("history_date", "history_id")
    )
    lines = _lines(assessment_rows, lambda row: years[row.id], _assessment_values)
    lines += _lines(score_rows, lambda row: years[row.assessment_id], _score_values)
    return sorted(lines, key=lambda line: line.at, reverse=True)


def decision_at_version(assessment: Assessment, version: int) -> PanelDecision | None:
    """What `assessment` held when it was at `version` (three queries); None if no history says.

    Every write that changes an assessment moves its version on and writes its scores at the
    same moment, so the scores written before the next version's moment belong to this one.
    """
    versions = Assessment.history.filter(id=assessment.pk).order_by("history_date", "history_id")
    row = versions.filter(version=version).last()
    if row is None:
        return None
    scores_then = CompetencyScore.history.filter(assessment_id=assessment.pk)
    if (following := versions.filter(version__gt=version).first()) is not None:
        scores_then = scores_then.filter(history_date__lt=following.history_date)
    scores = {}
    for score in scores_then.order_by("history_date", "history_id").values(
        "competency__number", "score", "history_type"
    ):
        if score["history_type"] == "-":
            scores.pop(score["competency__number"], None)
        else:
            scores[score["competency__number"]] = score["score"]
    return PanelDecision(
        assessment.pct.code,
        row.strategy,
        row.finance,
        row.board_governance,
        scores,
        row.panel_date,
        row.notes,
    )


def _assessment_values(row) -> dict[str, object]:
    return {label: getattr(row, name) for name, label in ASSESSMENT_FIELDS.items()}


def _score_values(row) -> dict[str, object]:
    return {f"C{row.competency.number}": row.score}


def _lines(rows, year_of, values_of) -> list[HistoryLine]:
    """Compare each history row with the one before it for the same object."""
    previous: dict[int, dict] = defaultdict(dict)
    lines = []
    for row in rows:
        before = previous[row.id]
        after = {} if row.history_type == "-" else values_of(row)
        for what in dict.fromkeys([*before, *after]):
            old, new = before.get(what), after.get(what)
            if old != new and (old not in ("", None) or new not in ("", None)):
                lines.append(
                    HistoryLine(
                        at=row.history_date,
                        year_label=year_of(row),
                        user=row.history_user,
                        route=row.get_route_display() if row.route else "",
                        batch=row.import_batch,
                        what=what,
                        old=old,
                        new=new,
                    )
                )
        previous[row.id] = after
    return lines
