"""App config for the assurance record."""

from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = "Assurance record"

    def ready(self):
        # Every receiver and hook this app connects, here and nowhere else (docs/architecture.md).
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from simple_history.signals import pre_create_historical_record

        from assurance import audit, revisions

        # Each history row says who made the change, when, by which route and in which import.
        pre_create_historical_record.connect(audit.stamp_history_row, dispatch_uid="audit.stamp")
        # Every write to the record moves its years' revisions (docs/caching.md); bulk writes
        # move them through revisions.RecordQuerySet, every record model's manager.
        for label in revisions.RECORD:
            model = self.apps.get_model(label)
            post_save.connect(
                revisions.row_saved, sender=model, dispatch_uid=f"revisions.saved.{label}"
            )
            post_delete.connect(
                revisions.row_deleted, sender=model, dispatch_uid=f"revisions.deleted.{label}"
            )
        through = self.get_model("AssessmentYear").competencies.through
        m2m_changed.connect(
            revisions.competencies_changed, sender=through, dispatch_uid="revisions.m2m"
        )
