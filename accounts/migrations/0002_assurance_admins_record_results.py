# Hand-written: the assurance pages and actions now ask Django's permission
# "assurance.record_results" rather than the group's name. Give it to the existing assurance
# admins' group, so nobody who could record results before the upgrade loses the right.

from django.db import migrations

GROUP = "Assurance admins"  # accounts.roles.GROUP_NAMES[ADMIN] when this was written


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is None:  # a fresh database: accounts.roles.ensure_groups() grants it later
        return
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="assurance", model="assessment"
    )
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type,
        codename="record_results",
        defaults={"name": "Can enter, import and publish assurance results"},
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("assurance", "0004_record_results_and_moved_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
