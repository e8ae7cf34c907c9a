"""Plain multi-row INSERTs for the ledger's bulk path.

Only ever called by zhaoshang.ledger.actions with values it has already checked under the
same rules as the per-row actions (the stage rules of projects.actions, the 统一社会信用代码
check of enterprises.uscc); a model instance per row would cost more than the 100,000-row
goal allows. Values must already be what the database takes: dates, Decimals, bools,
ints and strings (both backends adapt these), timestamps through `now()`.

Each statement carries up to ROWS_PER_STATEMENT rows (`INSERT … VALUES (…), (…), …`):
on SQLite this costs a row a third of what one statement per row costs, on PostgreSQL
it saves the round trips.

A `Writer` runs the statements in the order they are given. On SQLite it runs them in a
thread of its own, on the import's connection and inside its transaction: sqlite3 lets go
of the GIL while it works on the B-trees, so the rows of a ledger are written while the
rest of it is still being read and planned. Rows written that way need their ids before
they are written (a project's stage history and leaders point at it): `Ids` hands them
out — on SQLite above the table's highest id, which holds because the import's
transaction (BEGIN IMMEDIATE) keeps every other writer out until it ends; on
PostgreSQL from the table's sequence.
"""

import contextlib
import itertools
import logging
import queue
import sys
import threading

from django.db import connection
from django.utils import timezone

log = logging.getLogger(__name__)

ROWS_PER_STATEMENT = 1000
# Statements waiting for the writer thread: enough to keep it busy, few enough that the
# rows read ahead of it stay small.
QUEUE_STATEMENTS = 16
# SQLite page cache for the import's transaction (KiB). A cache that held a whole
# 100,000-row ledger (128 MB) was 0.07 s faster on it than this one and cost 68 MB more
# at the peak; pages that do not fit go to the WAL while the rows are still being written.
IMPORT_CACHE_KIB = 32_768
ID_BLOCKS = (100, 5000)  # ids taken from a PostgreSQL sequence at a time: first, most
SWITCH_INTERVAL = 0.0005  # seconds: sys.setswitchinterval() while a writer thread runs  # ids taken from a PostgreSQL sequence at a time


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


class Writer:
    """Runs INSERT/UPDATE statements on the default connection in the order given: in a
    thread on SQLite (see the module's docstring), at once elsewhere. While statements
    wait, the connection is the thread's: `drain()` before using it (the import installs
    an execute wrapper that does so for every query of Django's)."""

    def __init__(self, threaded: bool | None = None):
        connection.ensure_connection()
        self.raw = connection.connection  # the DB-API connection: Django's wrapper stays with its thread
        self.placeholder = "?" if connection.vendor == "sqlite" else "%s"
        self.max_params = _max_params()
        self.error = None
        self.aborted = False
        self.threaded = connection.vendor == "sqlite" if threaded is None else threaded
        self.thread = None  # started with the first statement
        self.switch_interval = None
        self.cursor = None if self.threaded else self.raw.cursor()

    def _run(self) -> None:
        cursor = None
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None and not self.aborted:
                    cursor = cursor or self.raw.cursor()
                    cursor.executemany(*item)
            except BaseException as error:  # handed to the importing thread by drain()/close()
                self.error = error
            finally:
                self.queue.task_done()
                if item is None and cursor is not None:
                    cursor.close()

    def executemany(self, sql: str, params_seq) -> None:
        if not self.threaded:
            self.cursor.executemany(sql, params_seq)
            return
        if self.thread is None:
            self.queue = queue.Queue(maxsize=QUEUE_STATEMENTS)
            self.thread = threading.Thread(target=self._run, name="ledger-writer", daemon=True)
            # The thread wants the GIL back after every statement; by default it would wait
            # up to 5 ms each time for the reading and planning to let go of it.
            self.switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self.switch_interval, SWITCH_INTERVAL))
            self.thread.start()
        if self.error is not None:
            raise self.error
        self.queue.put((sql, params_seq))

    def update(self, model, pk, **values) -> None:
        """UPDATE one row, in its turn among the statements given."""
        quote, mark = connection.ops.quote_name, self.placeholder
        assignments = ", ".join(f"{quote(model._meta.get_field(name).column)} = {mark}" for name in values)
        self.executemany(f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = {mark}", [(*values.values(), pk)])

    def drain(self) -> None:
        """Wait until every statement given so far has run; raise what failed."""
        if self.thread is not None:
            self.queue.join()
        if self.error is not None:
            raise self.error  # and later statements are skipped: the transaction is doomed

    def close(self, abort: bool = False) -> None:
        """Stop the thread after the statements given so far — or, with `abort`, without
        running those still waiting (the transaction is to be rolled back); raise what
        failed."""
        try:
            if self.thread is not None:
                self.aborted = abort
                self.queue.put(None)
                self.thread.join()
            if self.cursor is not None:
                self.cursor.close()
        finally:
            if self.switch_interval is not None:
                sys.setswitchinterval(self.switch_interval)
                self.switch_interval = None
        if self.error is not None:
            raise self.error

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        try:
            self.close(abort=kind is not None)
        except Exception:
            if kind is None:
                raise
            # The first error is the one raised; this one is a consequence or beside it.
            log.warning("ledger writer failed while the import was stopping", exc_info=True)


class Table:
    """Rows for one table, sent to a Writer ROWS_PER_STATEMENT at a time. `constants`
    are columns with the same value on every row (the zone, timestamps, blanks): on
    SQLite each is bound once per statement (?1, ?2 … referred to by every row), which
    spares binding and building most of a stage-history row; elsewhere they are added
    to each row."""

    def __init__(self, writer: Writer, model, fields: list[str], constants: dict | None = None):
        self.writer = writer
        constants = constants or {}
        quote = connection.ops.quote_name
        self.width = len(fields)
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in [*fields, *constants])
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        self.constants = list(constants.values())
        self.numbered = bool(constants) and connection.vendor == "sqlite"
        if constants and not self.numbered:
            self.width += len(constants)
        self.per = max(1, min(ROWS_PER_STATEMENT, (writer.max_params - len(self.constants)) // self.width))
        self.full = self._statement(self.per)
        self.rows = []
        self.count = 0

    def _statement(self, count: int) -> str:
        if not self.numbered:
            one = f"({', '.join([self.writer.placeholder] * self.width)})"
            return self.head + ", ".join([one] * count)
        fixed = ", ".join(f"?{number}" for number in range(1, len(self.constants) + 1))
        first = len(self.constants) + 1
        return self.head + ", ".join(
            "(" + ", ".join(f"?{first + row * self.width + column}" for column in range(self.width)) + f", {fixed})"
            for row in range(count)
        )

    def add(self, row) -> None:
        self.rows.append(row)

    def extend(self, rows) -> None:
        self.rows.extend(rows)

    def _params(self, rows) -> list:
        if self.numbered:
            return [*self.constants, *itertools.chain.from_iterable(rows)]
        if self.constants:
            return [value for row in rows for value in (*row, *self.constants)]
        return list(itertools.chain.from_iterable(rows))

    def flush(self, partial: bool = True) -> None:
        """Send the full statements' worth of rows; with `partial`, the rest too."""
        rows, per = self.rows, self.per
        whole = len(rows) - len(rows) % per
        for start in range(0, whole, per):
            self.writer.executemany(self.full, [self._params(rows[start:start + per])])
        rest = rows[whole:]
        self.count += whole
        if partial and rest:
            self.writer.executemany(self._statement(len(rest)), [self._params(rest)])
            self.count += len(rest)
            rest = []
        self.rows = rest

    def __len__(self) -> int:
        return len(self.rows)


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
            self.block = ID_BLOCKS[0]  # small at first: a dry run of a few rows burns few ids

    def take(self) -> int:
        for value in self.reserved:
            return value
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [self.table, self.block])
            self.reserved = iter([row[0] for row in cursor.fetchall()])
        self.block = min(self.block * 4, ID_BLOCKS[1])
        return next(self.reserved)


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
