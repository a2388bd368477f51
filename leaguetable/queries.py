"""The one place the read side reads the ORM: years, competencies, scorecards, organisation
changes, corrections. What is computed from them and cached is in computed.py."""

import sys
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.utils import timezone

from assurance import audit
from assurance import cache as assurance_cache
from assurance.models import (
    PCT,
    SHA,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    OrganisationChange,
)
from leaguetable import organisations, ranking


def public_years() -> list[AssessmentYear]:
    return assurance_cache.public_years()


def withdrawn_years() -> list[AssessmentYear]:
    """Years once published and since withdrawn from public view, with why (methodology page)."""
    return list(AssessmentYear.objects.withdrawn_after_being_public().order_by("start_year"))


def all_competencies() -> list[Competency]:
    return list(Competency.objects.order_by("number"))


def year_competencies(year: AssessmentYear) -> list[Competency]:
    return list(year.competencies.order_by("number"))


def year_scorecards(year: AssessmentYear) -> list[ranking.PCTScorecard]:
    """Every PCT with its results in `year`; PCTs without an assessment come back unassessed.

    Four queries however many PCTs.
    """
    # One string object per SHA, not per PCT: the pickled rows then name each SHA once, and a
    # restarted worker reading a year's rows makes ten strings where it made thousands.
    pcts = [
        (pct_id, code, name, sys.intern(sha_code), sys.intern(sha_name))
        for pct_id, code, name, sha_code, sha_name in PCT.objects.order_by().values_list(
            "id", "code", "name", "sha__code", "sha__name"
        )
    ]
    assessments = {}  # pct id -> (assessment id, ratings, corrected on, why)
    for assessment_id, pct_id, *ratings, corrected_at, reason in (
        Assessment.objects.for_year(year)
        .order_by()  # the model's default ordering would join and sort for nothing
        .values_list(
            "id",
            "pct_id",
            "strategy",
            "finance",
            "board_governance",
            "corrected_at",
            "correction_reason",
        )
    ):
        corrected_on = timezone.localdate(corrected_at) if corrected_at else None
        assessments[pct_id] = (assessment_id, ratings, corrected_on, reason)
    scores = defaultdict(dict)
    for assessment_id, number, score in _fetch(
        CompetencyScore.objects.filter(assessment__year=year)
        .order_by()
        .values_list("assessment_id", "competency__number", "score")
    ):
        scores[assessment_id][number] = score
    changes = organisation_changes()
    starts = organisations.financial_year_start(year.start_year)
    # A PCT formed after the year began (5QV, April 2010) was no PCT of that year: it is left
    # out, where a PCT that had merged stays in, saying so (results are shown whatever).
    not_yet_formed = {
        code
        for code, changed in changes.items()
        if changed.formed_on is not None and changed.formed_on > starts
    }
    return [
        _pct_result(pct, assessments, scores, changes, starts)
        for pct in pcts
        if pct[1] not in not_yet_formed or pct[0] in assessments
    ]


def pct_scorecard(code: str) -> ranking.PCTScorecard | None:
    """A PCT with no results in any published year (formed after the last): its name, SHA and
    changes, for its profile. Two queries."""
    pct = PCT.objects.select_related("sha").filter(code=code.upper()).first()
    if pct is None:
        return None
    changes = organisation_changes().get(pct.code, organisations.NO_CHANGES)
    return ranking.PCTScorecard(pct.code, pct.name, pct.sha.code, pct.sha.name, changes=changes)


def all_pcts() -> list[ranking.PCTScorecard]:
    """Every PCT of the reference data, by code, with its SHA and changes and no results (the
    API's reference lists). Two queries."""
    changes = organisation_changes()
    rows = PCT.objects.order_by("code").values_list("code", "name", "sha__code", "sha__name")
    return [
        ranking.PCTScorecard(
            code, name, sha_code, sha_name, changes=changes.get(code, organisations.NO_CHANGES)
        )
        for code, name, sha_code, sha_name in rows
    ]


def all_shas() -> list[tuple[str, str]]:
    """Every SHA's (code, name), by code. One query."""
    return list(SHA.objects.order_by("code").values_list("code", "name"))


def pcts_on_record() -> list[tuple[str, str]]:
    """(code, name) of every PCT on record, whether or not a published year ranks it: a PCT
    that merged away or was formed since can still be compared. One query."""
    return list(PCT.objects.order_by("code").values_list("code", "name"))


def organisation_changes() -> dict[str, organisations.PCTChanges]:
    """Every PCT that merged or was renamed, or was formed so, by code. One query."""
    rows = OrganisationChange.objects.order_by().values_list(
        "predecessor__code", "predecessor__name", "successor__code", "successor__name", "kind",
        "effective",
    )  # fmt: skip
    return organisations.by_pct(
        organisations.OrganisationChange(
            organisations.PCTRef(old_code, old_name),
            organisations.PCTRef(new_code, new_name),
            kind,
            effective,
        )
        for old_code, old_name, new_code, new_name, kind, effective in rows
    )


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list of plain integer columns, straight from the cursor.

    Skips Django's per-row conversion: the scores of 15,000 PCTs are 330,000 rows. Only for
    integers and text, which need no conversion (dates would come back as text on SQLite).
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pct_result(pct, assessments, scores, changes, year_starts) -> ranking.PCTScorecard:
    pct_id, code, name, sha_code, sha_name = pct
    changed = changes.get(code, organisations.NO_CHANGES)
    if pct_id not in assessments:
        return ranking.PCTScorecard(
            code,
            name,
            sha_code,
            sha_name,
            changes=changed,
            organisation_status=changed.status_in_year(year_starts),
        )
    assessment_id, (strategy, finance, board_governance), corrected_on, why = assessments[pct_id]
    return ranking.PCTScorecard(
        code,
        name,
        sha_code,
        sha_name,
        strategy,
        finance,
        board_governance,
        scores[assessment_id],
        corrected_on=corrected_on,
        correction_reason=why if corrected_on else "",
        changes=changed,
    )


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction to a PCT's published results: when, why, and each value from -> to."""

    year_label: str
    at: object  # datetime
    reason: str
    changes: tuple[tuple[str, object, object], ...]  # (what, old, new)


def pct_corrections(code: str, years: list[AssessmentYear]) -> list[Correction]:
    """Every change to the PCT's results made after their year was published, newest first.

    Four queries; the profile asks only for a PCT whose scorecards say it was corrected.
    """
    published_at = {year.label: year.published_at for year in years if year.published_at}
    pct = PCT.objects.get(code=code)
    reasons = dict(
        Assessment.history.filter(pct=pct)
        .exclude(correction_reason="")
        .values_list("history_date", "correction_reason")
    )
    grouped = defaultdict(list)
    for line in audit.pct_history(pct):
        start = published_at.get(line.year_label)
        if start is not None and line.at > start:
            grouped[(line.year_label, line.at)].append((line.what, line.old, line.new))
    return [
        Correction(label, at, reasons.get(at, ""), tuple(changes))
        for (label, at), changes in sorted(
            grouped.items(), key=lambda item: item[0][1], reverse=True
        )
    ]
