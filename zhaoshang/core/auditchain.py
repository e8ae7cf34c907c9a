"""The change log's hash chain (等保 2.0: audit records protected against alteration).

Each ChangeRecord stores `previous_hash` (the `record_hash` of the record written just
before it, by id) and `record_hash` = SHA-256 of its own content and `previous_hash`.
Editing a record's content breaks its own hash; deleting a record breaks the link of the
one after it; `zhaoshang audit_verify` walks the chain and names the first broken link.

Records are appended one writer at a time: on PostgreSQL a transaction-scoped advisory
lock is taken before reading the last hash (SQLite has one writer anyway), so the chain
never forks and id order is chain order. The lock is held until the writing transaction
commits — a long import makes other writers of records wait for it, as on SQLite.

The hash covers who (username), when, what (type, id, representation, parent), the values
before and after, the description, filters and row count. It leaves out the user, zone
and type foreign keys themselves, which the database may null when that user, zone or type
is deleted (SET_NULL) — a legitimate change that must not read as tampering.
"""

import datetime as dt
import hashlib
import json

from django.db import connections, transaction

# Any fixed 64-bit number: the key of PostgreSQL's advisory lock for the chain.
LOCK_KEY = 7_220_204_020_250_001
HASHED_FIELDS = ("timestamp", "username", "request_id", "action", "content_type_id", "object_id", "object_repr",
                 "parent_type_id", "parent_id", "before", "after", "description", "filters", "row_count")


# The hashed text: keys sorted, no spaces, characters as they are (json.dumps with these
# options, built once rather than per record).
_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def _hashed(content: dict) -> str:
    return hashlib.sha256(_encode(content).encode("utf-8")).hexdigest()


def digest(record, previous_hash: str) -> str:
    content = {name: _canonical(getattr(record, name)) for name in HASHED_FIELDS}
    content["previous_hash"] = previous_hash
    return _hashed(content)


class BulkDigest:
    """digest() for the records of one bulk write, which share who, when and what: those
    fields are made canonical once. `before`/`after` must be the JSON values as stored
    (what the record gives back when read), so that verify() computes the same hash."""

    def __init__(self, *, timestamp, username, request_id, action, content_type_id, description, filters=None, row_count=None):
        self.shared = {"timestamp": _canonical(timestamp), "username": username, "request_id": request_id, "action": action,
                       "content_type_id": content_type_id, "description": description, "filters": filters, "row_count": row_count}

    def __call__(self, previous_hash: str, *, object_id, object_repr, parent_type_id, parent_id, before, after) -> str:
        return _hashed({**self.shared, "object_id": object_id, "object_repr": object_repr, "parent_type_id": parent_type_id,
                        "parent_id": parent_id, "before": before, "after": after, "previous_hash": previous_hash})


def lock(using: str) -> None:
    """Serialise appends until the current transaction ends (call inside atomic())."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def last_hash(model, using: str) -> str:
    return model._base_manager.using(using).order_by("-id").values_list("record_hash", flat=True).first() or ""


def seal(records, previous_hash: str) -> str:
    """Give each record (in order) its previous and own hash; returns the last hash."""
    for record in records:
        record.previous_hash = previous_hash
        record.record_hash = previous_hash = digest(record, previous_hash)
    return previous_hash


def verify(model, using: str = "default", batch: int = 2000):
    """(number of records checked, the first broken record or None, why)."""
    previous = ""
    checked = 0
    for record in model._base_manager.using(using).order_by("id").iterator(chunk_size=batch):
        if record.previous_hash != previous:
            return checked, record, "previous"
        if record.record_hash != digest(record, previous):
            return checked, record, "content"
        previous = record.record_hash
        checked += 1
    return checked, None, ""


def reseal_from(model, record, using: str) -> None:
    """Recompute the chain from `record` on: used only when a record written in the current
    transaction is completed before commit (a many-to-many change joining its save)."""
    with transaction.atomic(using=using):
        lock(using)
        previous = (model._base_manager.using(using).filter(id__lt=record.pk).order_by("-id")
                    .values_list("record_hash", flat=True).first() or "")
        rows = list(model._base_manager.using(using).filter(id__gte=record.pk).order_by("id"))
        for row in rows:
            if row.pk == record.pk:
                row.before, row.after = record.before, record.after
        seal(rows, previous)
        for row in rows:
            model.objects.using(using).filter(pk=row.pk)._chain_update(
                before=row.before, after=row.after, previous_hash=row.previous_hash, record_hash=row.record_hash)
        record.previous_hash, record.record_hash = rows[0].previous_hash, rows[0].record_hash
