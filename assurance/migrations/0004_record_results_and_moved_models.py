# Hand-written: the house moved. Directed development flags (and their history) now belong to
# the directed_development app, user profiles to accounts. Their rows stay; their tables are
# renamed to the new apps' names here, and the new apps' first migrations take them into their
# state without touching the database.

from django.db import migrations

MOVED = {
    "directeddevelopmentflag": "directed_development_directeddevelopmentflag",
    "historicaldirecteddevelopmentflag": "directed_development_historicaldirecteddevelopmentflag",
    "userprofile": "accounts_userprofile",
}


class Migration(migrations.Migration):

    dependencies = [
        ("assurance", "0003_directed_development_flags"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="assessment",
            options={
                "ordering": ["year", "pct"],
                "permissions": [
                    ("record_results", "Can enter, import and publish assurance results")
                ],
            },
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=table)
                for model, table in MOVED.items()
            ],
            state_operations=[
                migrations.DeleteModel(name="HistoricalDirectedDevelopmentFlag"),
                migrations.DeleteModel(name="DirectedDevelopmentFlag"),
                migrations.DeleteModel(name="UserProfile"),
            ],
        ),
    ]
