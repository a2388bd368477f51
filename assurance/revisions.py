"""Every write to the record moves the revision of each year it changes: the one mechanism.

Cached values are keyed by their years' revisions (assurance.cache.key), so a write that did not
move one would leave readers a stale value. No write path has to remember: the record's models
(RECORD) save, delete and change their many-to-many through signals, and write in bulk through
RecordQuerySet, and both land here. The admin's "delete selected", imports, reversals, loaddata
and QuerySet.update all take one of those routes.
"""

from collections.abc import Iterable
from itertools import batched

from django.apps import apps
from django.db import models, transaction
from django.db.models import F

ALL = "all"  # reference data: names, codes and mergers show in every year's tables

# The record: each model whose rows a reader sees, and the path from a row to its year.
RECORD = {
    "assurance.AssessmentYear": "pk",
    "assurance.Assessment": "year",
    "assurance.CompetencyScore": "assessment__year",
    "assurance.SHA": ALL,
    "assurance.PCT": ALL,
    "assurance.Competency": ALL,
    "assurance.OrganisationChange": ALL,
}
# The rest of the app's models, which no public page shows (tests check that a new model is
# put in one or the other).
NOT_RECORD = {
    "assurance.ImportBatch",
    "assurance.PublicationRequest",
    "assurance.PublicationApproval",
    "assurance.CacheIdentity",
}


class RecordQuerySet(models.QuerySet):
    """The record's QuerySets: writes in bulk, which send no signal, move their years' revisions."""

    def update(self, **kwargs):
        if all(isinstance(value, F) and value.name == name for name, value in kwargs.items()):
            return super().update(**kwargs)  # a row lock (SET version = version): no change
        path = RECORD[self.model._meta.label]
        years = years_of_rows(self)
        with transaction.atomic(using=self.db):
            count = super().update(**kwargs)
            if path.split("__")[0] in kwargs:  # rows moved to another year change that one too
                years = ALL if years == ALL else set(years) | set(years_of_rows(self))
            if count:
                move(years)
        return count

    def delete(self):
        years = years_of_rows(self)
        with transaction.atomic(using=self.db):
            deleted = super().delete()
            if deleted[0]:
                move(years)
        return deleted

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        # A row already as `defaults` says is not written, so its years' revisions stay: loading
        # the same reference data twice leaves every cached value in place.
        with transaction.atomic(using=self.db):
            found = self.select_for_update().filter(**kwargs).first()
            if found is not None and all(
                getattr(found, name) == (value() if callable(value) else value)
                for name, value in (defaults or {}).items()
            ):
                return found, False
            return super().update_or_create(defaults, create_defaults, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            move(years_of_objects(self.model, created))
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, *args, **kwargs)
            if count:
                move(years_of_objects(self.model, objs))
        return count


def move(years: Iterable[int] | str) -> None:
    """Move the revisions of `years` (ids, or ALL) on by one: one UPDATE per write statement.

    Every time, not once per transaction: a value cached between two writes of one transaction
    must not share a revision with what it commits.
    """
    year_model = apps.get_model("assurance", "AssessmentYear")
    rows = year_model._base_manager.all()
    if years != ALL:
        rows = rows.filter(pk__in=years)
    models.QuerySet.update(rows, revision=F("revision") + 1)  # the plain update: no recursion
    from assurance.cache import forget_approved_years

    forget_approved_years()


def years_of_rows(rows: models.QuerySet) -> set[int] | str:
    path = RECORD[rows.model._meta.label]
    if path == ALL:
        return ALL
    return set(rows.order_by().values_list(path, flat=True).distinct())


def years_of_objects(model, objects: Iterable[models.Model]) -> set[int] | str:
    path = RECORD[model._meta.label]
    if path == ALL:
        return ALL
    if path == "pk":
        return {row.pk for row in objects}
    hop, _, rest = path.partition("__")
    field = model._meta.get_field(hop)
    ids = {getattr(row, field.attname) for row in objects}
    if not rest:
        return ids
    related = field.related_model._base_manager
    return {
        year
        for chunk in batched(ids, 5000)  # SQLite's bound on a query's parameters
        for year in related.filter(pk__in=chunk).values_list(rest, flat=True).distinct()
    }


def row_saved(sender, instance, **kwargs) -> None:
    move(years_of_objects(sender, [instance]))
    if RECORD[sender._meta.label] == "pk":  # a year saved: its copy in hand says where it is now
        instance.refresh_from_db(fields=["revision"])


def row_deleted(sender, instance, origin=None, **kwargs) -> None:
    # Rows deleted with another (a year's scores with their assessment) or by a queryset are
    # covered by the years that one moves: the same year, or every year.
    if origin is instance or not _in_record(origin):
        move(years_of_objects(sender, [instance]))


def _in_record(origin) -> bool:
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return getattr(model, "_meta", None) is not None and model._meta.label in RECORD


def competencies_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        year_model = apps.get_model("assurance", "AssessmentYear")
        move([instance.pk] if isinstance(instance, year_model) else ALL)
