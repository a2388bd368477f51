"""Every write to the record, by any route, moves the revision of each year it changes."""

import datetime
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import serializers

from assurance import revisions
from assurance.models import (
    PCT,
    SHA,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    OrganisationChange,
)
from tests.factories import (
    AssessmentFactory,
    AssessmentYearFactory,
    CompetencyFactory,
    OrganisationChangeFactory,
    PCTFactory,
    SHAFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Record:
    years: list
    sha: SHA
    pcts: list
    assessment: Assessment
    score: CompetencyScore
    change: OrganisationChange


@pytest.fixture
def record(db):
    years = [AssessmentYearFactory(start_year=start, competencies=[1, 2]) for start in (2008, 2009)]
    CompetencyFactory(number=3)
    sha = SHAFactory()
    pcts = [PCTFactory(sha=sha) for _ in range(5)]
    assessment = AssessmentFactory(year=years[1], pct=pcts[0])
    score = CompetencyScore.objects.create(
        assessment=assessment, competency=Competency.objects.get(number=1), score=2
    )
    change = OrganisationChangeFactory(predecessor=pcts[1], successor=pcts[2])
    return Record(years, sha, pcts, assessment, score, change)


# Each model of the record: an existing row, a new row (unsaved), a field to change and a value.
ROWS = {
    "assurance.AssessmentYear": (
        lambda r: AssessmentYear.objects.get(pk=r.years[1].pk),
        lambda r: AssessmentYear(start_year=2011),
        "note",
    ),
    "assurance.Assessment": (
        lambda r: r.assessment,
        lambda r: AssessmentFactory.build(year=r.years[1], pct=r.pcts[3]),
        "notes",
    ),
    "assurance.CompetencyScore": (
        lambda r: r.score,
        lambda r: CompetencyScore(
            assessment=r.assessment, competency=Competency.objects.get(number=2), score=3
        ),
        "score",
    ),
    "assurance.SHA": (lambda r: r.sha, lambda r: SHA(code="Q99", name="New SHA"), "name"),
    "assurance.PCT": (
        lambda r: r.pcts[0],
        lambda r: PCT(code="9ZZ", name="New", sha=r.sha),
        "name",
    ),
    "assurance.Competency": (
        lambda r: Competency.objects.get(number=1),
        lambda r: Competency(number=9, name="New competency"),
        "name",
    ),
    "assurance.OrganisationChange": (
        lambda r: r.change,
        lambda r: OrganisationChange(
            predecessor=r.pcts[3],
            successor=r.pcts[4],
            kind="merger",
            effective=datetime.date(2010, 4, 1),
            source="A note",
        ),
        "source",
    ),
}


def changed(row, field: str):
    value = getattr(row, field)
    setattr(row, field, value + 1 if isinstance(value, int) else f"{value} (changed)")
    return row


def reloaded(row):
    """The row as loaddata (restore) writes it: deserialized and saved raw."""
    for loaded in serializers.deserialize("json", serializers.serialize("json", [row])):
        loaded.save()


# Every route a row is written by: (name, write(model, existing row, new row, field)).
WRITES = [
    ("Model.save", lambda model, row, new, field: changed(row, field).save()),
    ("Model.save (new)", lambda model, row, new, field: new.save()),
    ("QuerySet.update", lambda model, row, new, field: model.objects.filter(pk=row.pk).update(
        **{field: getattr(changed(row, field), field)})),
    ("QuerySet.bulk_create", lambda model, row, new, field: model.objects.bulk_create([new])),
    ("QuerySet.bulk_update", lambda model, row, new, field: model.objects.bulk_update(
        [changed(row, field)], [field])),
    ("loaddata", lambda model, row, new, field: reloaded(changed(row, field))),
]  # fmt: skip
DELETES = [
    ("Model.delete", lambda model, row: row.delete()),
    ("QuerySet.delete", lambda model, row: model.objects.filter(pk=row.pk).delete()),
]


def revisions_now() -> dict[int, int]:
    return dict(AssessmentYear.objects.values_list("pk", "revision"))


def assert_moved(label: str, before: dict[int, int], year_ids) -> None:
    after = revisions_now()
    if revisions.RECORD[label] == revisions.ALL:
        year_ids = before
    assert year_ids and all(after[pk] > before.get(pk, 0) for pk in year_ids)


def years_of(label: str, row, record) -> list[int]:
    if label == "assurance.AssessmentYear":
        return [row.pk]
    if label == "assurance.CompetencyScore":
        return [row.assessment.year_id]
    return [record.years[1].pk]


def test_every_model_of_the_app_is_either_the_record_or_not():
    labels = {
        model._meta.label
        for model in apps.get_app_config("assurance").get_models()
        if not model.__name__.startswith("Historical")
    }
    assert labels == set(revisions.RECORD) | revisions.NOT_RECORD
    for label in revisions.RECORD:
        assert isinstance(apps.get_model(label).objects.all(), revisions.RecordQuerySet)


@pytest.mark.parametrize("label", ROWS)
@pytest.mark.parametrize("write", [write for _, write in WRITES], ids=[n for n, _ in WRITES])
def test_each_write_to_the_record_moves_the_revision_of_the_years_it_changes(record, label, write):
    existing, new, field = ROWS[label]
    model, row, fresh = apps.get_model(label), existing(record), new(record)
    before = revisions_now()
    write(model, row, fresh, field)
    written = fresh if fresh.pk is not None else row
    assert_moved(label, before, years_of(label, written, record))


@pytest.mark.parametrize("label", [label for label in ROWS if label != "assurance.AssessmentYear"])
@pytest.mark.parametrize("delete", [delete for _, delete in DELETES], ids=[n for n, _ in DELETES])
def test_each_delete_from_the_record_moves_the_revision_of_the_years_it_changes(
    record, label, delete
):
    _, new, _ = ROWS[label]
    model, row = apps.get_model(label), new(record)
    row.save()
    year_ids = years_of(label, row, record)
    before = revisions_now()
    delete(model, row)
    assert_moved(label, before, year_ids)


def test_a_years_competencies_changed_move_its_revision(record):
    year = record.years[0]
    before = revisions_now()
    year.competencies.add(Competency.objects.get(number=3))
    assert revisions_now()[year.pk] > before[year.pk]


def test_the_admins_delete_selected_moves_every_years_revision(client, django_user_model, record):
    """It once left cached merger notes until their expiry (issue 24)."""
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    before = revisions_now()
    response = client.post(
        "/admin/assurance/organisationchange/",
        {"action": "delete_selected", "_selected_action": [record.change.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not OrganisationChange.objects.exists()
    assert_moved("assurance.OrganisationChange", before, list(before))


def test_a_copy_of_a_year_read_before_a_write_does_not_put_its_revision_back(record):
    year = record.years[1]
    stale = AssessmentYear.objects.get(pk=year.pk)
    Assessment.objects.filter(year=year).update(notes="Changed")
    moved_to = AssessmentYear.objects.get(pk=year.pk).revision
    stale.note = "Edited in a form opened earlier"
    stale.save()
    assert AssessmentYear.objects.get(pk=year.pk).revision > moved_to
