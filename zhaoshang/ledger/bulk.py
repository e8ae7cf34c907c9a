"""Plain multi-row INSERTs for the ledger's bulk path.

Only ever called by zhaoshang.ledger.actions with values it has already checked under the
same rules as the per-row actions (the stage rules of projects.actions, the 统一社会信用代码
check of enterprises.uscc); a model instance per row would cost more than the 100,000-row
goal allows. Values must already be what the database takes: dates, Decimals, bools,
ints and strings (both backends adapt these), timestamps through `now()`.
"""

from django.db import connection
from django.utils import timezone

BATCH = 2000


def now():
    """The current time as the database takes it for created_at/updated_at."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def insert(model, fields: list[str], rows, batch: int = BATCH) -> int:
    """INSERT `rows` (tuples in the order of `fields`) into `model`'s table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    count = 0
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def max_id(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

