"""Plain multi-row INSERTs for the ledger's bulk path.

Only ever called by zhaoshang.ledger.actions with values it has already checked under the
same rules as the per-row actions (the stage rules of projects.actions, the 统一社会信用代码
check of enterprises.uscc); a model instance per row would cost more than the 100,000-row
goal allows. Values must already be what the database takes: dates, Decimals, bools,
ints and strings (both backends adapt these), timestamps through `now()`.

Each statement carries up to ROWS_PER_STATEMENT rows (`INSERT … VALUES (…), (…), …`):
on SQLite this halves the cost of a row against one statement per row, on PostgreSQL
it saves the round trips.
"""

import contextlib

from django.db import connection
from django.utils import timezone

ROWS_PER_STATEMENT = 100
STATEMENTS_PER_CALL = 20
# SQLite page cache for the import's transaction (KiB): a 100,000-row ledger's tables
# and indexes fit, so pages are not spilled to the WAL and read back mid-transaction.
IMPORT_CACHE_KIB = 131_072


def now():
    """The current time as the database takes it for created_at/updated_at."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _max_params() -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python < 3.11
            return connection.features.max_query_params or 999
    return connection.features.max_query_params or 65535


def insert(model, fields: list[str], rows) -> int:
    """INSERT `rows` (tuples or lists in the order of `fields`) into `model`'s table."""
    quote = connection.ops.quote_name
    width = len(fields)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    one = f"({', '.join(['%s'] * width)})"
    per = max(1, min(ROWS_PER_STATEMENT, _max_params() // width))
    full = per * width
    sql = head + ", ".join([one] * per)
    count = 0
    flat, statements = [], []
    with connection.cursor() as cursor:
        for row in rows:
            flat += row
            if len(flat) == full:
                statements.append(flat)
                flat = []
                if len(statements) == STATEMENTS_PER_CALL:
                    cursor.executemany(sql, statements)
                    count += per * len(statements)
                    statements = []
        if statements:
            cursor.executemany(sql, statements)
            count += per * len(statements)
        if flat:
            cursor.execute(head + ", ".join([one] * (len(flat) // width)), flat)
            count += len(flat) // width
    return count


@contextlib.contextmanager
def import_pragmas():
    """A large SQLite page cache while an import writes; the setting is put back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        if before < 0 and -before >= IMPORT_CACHE_KIB:
            before = None
        else:
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        if before is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")


def max_id(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
