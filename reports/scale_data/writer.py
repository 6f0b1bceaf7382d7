"""Bulk writing for the scale data: ids are reserved up front, so rows can point at
each other before any is written, and a table is then loaded in one go (COPY on
PostgreSQL, ``bulk_create`` elsewhere)."""

import csv
import io

from django.db import connection, models

BATCH_SIZE = 2000
NULL = r"\N"


def reserve_ids(model: type[models.Model], count: int) -> range:
    """``count`` primary keys no other row holds or will be given by the database."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if count == 0:
                return range(0)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')), "
                "pg_get_serial_sequence(%s, 'id')",
                [table, table],
            )
            first, sequence = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return range(first, first + count)
        # SQLite gives the next row max(id) + 1, so ids above the current maximum are free.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return range(first, first + count)


def write(model: type[models.Model], rows: list[models.Model]) -> int:
    """Insert unsaved ``rows`` (their ids already reserved) without signals or
    ``save()``, as ``bulk_create`` would."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        _copy(model, rows)
    else:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _copy(model: type[models.Model], rows: list[models.Model]) -> None:
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    readers = [_reader(field) for field in fields]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([read(row) for read in readers] for row in rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
            f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
            buffer,
        )


def _reader(field: models.Field):
    """How to read one column of a row as COPY wants it, chosen once per column:
    ``pre_save`` only for fields that fill themselves in (``auto_now_add``)."""
    if getattr(field, "auto_now_add", False):
        read = lambda row: field.pre_save(row, True)  # noqa: E731
    else:
        attname = field.attname
        read = lambda row: getattr(row, attname)  # noqa: E731
    if isinstance(field, models.BooleanField):
        return lambda row: NULL if (value := read(row)) is None else ("t" if value else "f")
    if isinstance(field, models.DateTimeField):
        return lambda row: NULL if (value := read(row)) is None else value.isoformat()
    return lambda row: NULL if (value := read(row)) is None else value
