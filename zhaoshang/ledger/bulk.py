"""Inserting a ledger's new rows in bulk, inside the import's transaction.

Only ever called by zhaoshang.ledger.actions with values it has already checked under the
same rules as the per-row actions (the stage rules of projects.actions, the 统一社会信用代码
check of enterprises.uscc); a model instance per row would cost more than the 100,000-row
goal allows. Values must already be what the database takes: dates, Decimals, bools,
ints, strings and JSON text.

`insert()` runs one INSERT statement over all the rows (`executemany`); on PostgreSQL a
large batch is copied into a temporary table first (COPY) and inserted from there, which
spares the per-row round trips.

New rows need their ids before they are written (a project's stage history and leaders
point at it): `Ids` hands them out — on SQLite above the table's highest id, which holds
because the import's transaction starts IMMEDIATE and so keeps every other writer out
until it ends; on PostgreSQL from the table's sequence.
"""

import itertools

from django.db import connection
from django.utils import timezone

from zhaoshang.core.fields import EncryptedCharField

ID_BLOCKS = (100, 5000)  # ids taken from a PostgreSQL sequence at a time: first, most
COPY_ROWS = 2000  # from this many rows on, PostgreSQL takes them by COPY


def now():
    """The current time as the database takes it for created_at/updated_at."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _columns(model, fields) -> list[str]:
    quote = connection.ops.quote_name
    return [quote(model._meta.get_field(name).column) for name in fields]


def insert(model, fields: list[str], rows: list, constants: dict | None = None) -> int:
    """INSERT `rows` (tuples in the order of `fields`) into `model`'s table, each with the
    `constants` (the zone, timestamps, blanks) added. Returns the number of rows."""
    if not rows:
        return 0
    constants = {**_defaults(model, [*fields, *(constants or {})]), **(constants or {})}
    names = [*fields, *constants]
    if constants:
        tail = tuple(constants.values())
        rows = [(*row, *tail) for row in rows]
    rows = _encrypted(model, names, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_columns(model, names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_ROWS:
            _copy(cursor, table, columns, rows)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    return len(rows)


def _encrypted(model, names: list[str], rows: list) -> list:
    """The rows with their phones encrypted as save() would store them (core.fields)."""
    fields = [model._meta.get_field(name) for name in names]
    positions = [index for index, field in enumerate(fields) if isinstance(field, EncryptedCharField)]
    if not positions:
        return rows
    encrypted = []
    for row in rows:
        row = list(row)
        for index in positions:
            row[index] = fields[index].get_prep_value(row[index])
        encrypted.append(row)
    return encrypted


def _defaults(model, given) -> dict:
    """The defaults of the model's columns the caller does not give (a field added to the
    model later is filled in as save() would fill it)."""
    given = set(given)
    return {field.name: field.get_db_prep_save(field.get_default(), connection) for field in model._meta.concrete_fields
            if field.name not in given and field.attname not in given and not field.primary_key}


def _copy(cursor, table: str, columns: str, rows) -> None:
    """PostgreSQL: COPY into a temporary table of the columns, then one INSERT … SELECT."""
    # The copied columns only, with their types and no constraints (the target checks them).
    cursor.execute(f"CREATE TEMPORARY TABLE ledger_batch ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
    try:
        with cursor.cursor.copy(f"COPY ledger_batch ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ledger_batch")
    finally:
        cursor.execute("DROP TABLE ledger_batch")


def update(model, pk, **values) -> None:
    """UPDATE one row's columns, without the model's save() (see the module's docstring)."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{column} = %s" for column in _columns(model, list(values)))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s", [*values.values(), pk])


class Ids:
    """Ids for a model's new rows, known before the rows are written (see the module's
    docstring for why they are safe to use): `take()` gives the next one."""

    def __init__(self, model):
        self.table = model._meta.db_table
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}")
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                found = cursor.fetchone()
            # AUTOINCREMENT never hands out an id again, even one whose row is gone.
            self.take = itertools.count(max(highest, found[0] if found else 0) + 1).__next__
        else:
            self.reserved = iter(())
            self.block = ID_BLOCKS[0]  # small at first: a small ledger burns few ids

    def take(self) -> int:
        for value in self.reserved:
            return value
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [self.table, self.block])
            self.reserved = iter([row[0] for row in cursor.fetchall()])
        self.block = min(self.block * 4, ID_BLOCKS[1])
        return next(self.reserved)
