import secrets

from django.db import migrations, models


def name_this_database(apps, schema_editor):
    apps.get_model("assurance", "CacheIdentity").objects.create(pk=1, value=secrets.token_hex(8))


class Migration(migrations.Migration):

    dependencies = [
        ('assurance', '0013_nothing_to_import'),
    ]

    operations = [
        migrations.CreateModel(
            name='CacheIdentity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(name_this_database, migrations.RunPython.noop),
    ]
