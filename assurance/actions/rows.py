"""Insert many rows of results as plain tuples, at the database's pace.

A model object per row, built and compiled by bulk_create, cost several times the SQL for a
first import of 15,000 PCTs (bench/import_results.py). Here the rows go as tuples: by COPY on
PostgreSQL, in INSERTs of many rows elsewhere. The table's constraints still check
every value, and the caller writes the history rows (assurance.audit.record_history), as it
would after bulk_create.
"""

from collections.abc import Iterable, Sequence
from itertools import batched

from django.db import connection, models


def model_defaults(model: type[models.Model]) -> dict[str, object]:
    """Every column's default value by attribute name (not the primary key): what a new row
    holds unless a write says otherwise, as Model() would fill it in."""
    return {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert `rows`, each a tuple of values for the fields `names` (attribute names)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts dates, times and None itself; COPY skips parsing a statement per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # As many rows a statement as the database takes parameters for: three times
        # executemany's pace on SQLite, which runs the statement once per row.
        prepare = [_preparer(field) for field in fields]
        placeholders = f"({', '.join(['%s'] * len(fields))})"
        for batch in batched(rows, batch_size(len(fields))):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))}",
                [
                    value if to_db is None else to_db(value)
                    for row in batch
                    for to_db, value in zip(prepare, row, strict=True)
                ],
            )


def update_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> None:
    """Set the fields `names` (attribute names) of existing rows: each row a tuple of their
    values followed by the row's primary key. bulk_update builds a CASE with a branch per row
    for every field, which cost seconds of Python for a correction of 1,500 PCTs; one
    statement run for each row by the driver costs milliseconds."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    prepare = [*(_preparer(field) for field in fields), None]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [
                [
                    value if to_db is None else to_db(value)
                    for to_db, value in zip(prepare, row, strict=True)
                ]
                for row in rows
            ],
        )


def _preparer(field):
    """How a value goes to the database: as it is, except dates and times, which the database
    backend turns into its own form (SQLite keeps them as text). An import's rows share a few
    dates and one moment, so each distinct value is converted once."""
    if not isinstance(field, models.DateField | models.TimeField):  # DateTimeField is a DateField
        return None
    converted = {}

    def to_db(value):
        if value not in converted:
            converted[value] = field.get_db_prep_save(value, connection)
        return converted[value]

    return to_db


def batch_size(fields: int) -> int:
    """Rows per INSERT: as many as the database takes parameters for (SQLite's variable limit;
    PostgreSQL's 65,535), well past Django's default of a few hundred on SQLite."""
    limit = connection.features.max_query_params or 65_535
    return max(1, min(limit, 65_535) // fields - 1)
