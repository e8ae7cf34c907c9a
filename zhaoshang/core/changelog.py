"""The change log: who created, changed or deleted what, when, with the values before and
after, and a request id grouping the changes of one request (or one command run).

Models are registered in one place with ``track(Model, ...)``; signal handlers do the
recording, so no model needs a save() override. The user and request id come from a
context variable set by ``ChangeLogMiddleware`` for web requests; commands and background
work name their actor with ``acting_as(user)``.

    from zhaoshang.core.changelog import track
    track(Ticket, parent="project", sensitive={"contact_phone": "phone"})

Exports and imports are recorded with ``record_data_transfer(...)``.

Writes that bypass save()/delete() (QuerySet.update(), bulk_create()) are not recorded;
actions must save through the model for their changes to be on record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from zhaoshang.core.fields import EncryptedCharField

# Fields never worth a record: timestamps the database keeps for us, and the pinyin key
# that follows a name (core.pinyin).
ALWAYS_EXCLUDED = {"created_at", "updated_at", "name_pinyin"}
MASK = "******"


@dataclass
class _Context:
    request: object | None = None
    user: object | None = None
    request_id: str = ""
    origin: str = ""
    # (content type id, object id) → ChangeRecord of this context, so that many-to-many
    # changes made right after a save join its record instead of adding another one.
    records: dict = field(default_factory=dict)
    paused: bool = False


_context: ContextVar[_Context | None] = ContextVar("zhaoshang_changelog", default=None)
# The last record written here: a many-to-many change that follows at once (set() is a
# remove and an add) joins it even outside a request.
_last_record: ContextVar = ContextVar("zhaoshang_changelog_last", default=None)


@dataclass
class Tracked:
    model: type
    exclude: set[str]
    masked: set[str]
    sensitive: dict[str, str]
    parent: str | None
    zone: object | None
    # Fields stored encrypted (core.fields): recorded as their tokens, so the change log
    # holds no more of a phone than the row does; history.py shows them decrypted.
    encrypted: frozenset = frozenset()

    def fields(self):
        return [
            f for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in self.exclude and f.name not in ALWAYS_EXCLUDED
        ]

    def m2m_fields(self):
        return [f for f in self.model._meta.many_to_many if f.name not in self.exclude]


REGISTRY: dict[type, Tracked] = {}


def track(model, *, exclude=(), masked=(), sensitive=None, parent: str | None = None, zone=None) -> None:
    """Record every create, update and delete of `model`.

    exclude   -- field names not recorded at all
    masked    -- field names recorded as changed without their values (passwords)
    sensitive -- {field name: "name" | "phone"}: values shown masked in histories to
                 viewers who may not see contacts (see core.masking.can_see_contacts)
    parent    -- name of a foreign key whose object's history includes these records
                 (FollowUp → "project"), so a project page shows its follow-ups' changes
    zone      -- callable(instance) → zone id, when the model has neither a `zone` field
                 nor the parent's zone
    """
    if model in REGISTRY:
        # A second registration would replace the first's parent and zone: the history of
        # the model's records would silently change shape.
        raise ValueError(f"{model._meta.label} is already tracked by the change log")
    spec = Tracked(
        model=model, exclude=set(exclude), masked=set(masked), sensitive=dict(sensitive or {}), parent=parent, zone=zone,
        encrypted=frozenset(f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)),
    )
    REGISTRY[model] = spec
    uid = f"zhaoshang.changelog.{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + ".pre_save")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + ".post_save")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + ".post_delete")
    for m2m in spec.m2m_fields():
        m2m_changed.connect(_m2m_changed, sender=m2m.remote_field.through, dispatch_uid=f"{uid}.{m2m.name}.m2m")


def tracked(model) -> Tracked | None:
    return REGISTRY.get(model) or REGISTRY.get(getattr(model, "_meta", None) and model._meta.concrete_model)


# --- context -------------------------------------------------------------------------


@contextlib.contextmanager
def acting_as(user=None, *, request_id: str | None = None, origin: str = ""):
    """Record the changes made inside the block as `user`'s (None: the system), grouped
    under one request id. Used by commands and background work; views need not use it."""
    outer = _context.get()
    context = _Context(
        request=None, user=user, request_id=request_id or uuid.uuid4().hex, origin=origin,
        paused=bool(outer and outer.paused),
    )
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


@contextlib.contextmanager
def paused():
    """Changes inside the block are not recorded (bulk loading of generated data)."""
    outer = _context.get() or _Context()
    context = _Context(request=outer.request, user=outer.user, request_id=outer.request_id, origin=outer.origin, paused=True)
    token = _context.set(context)
    try:
        yield
    finally:
        _context.reset(token)


def current_request_id() -> str:
    context = _context.get()
    return context.request_id if context else ""


def current_user():
    context = _context.get()
    if context is None:
        return None
    if context.user is not None:
        return context.user
    request = context.request
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


class ChangeLogMiddleware:
    """Gives each request an id (also sent back as the X-Request-ID header) and makes the
    request's user the author of the changes it causes. Place it after the
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = _context.set(_Context(request=request, request_id=request_id))
        try:
            response = self.get_response(request)
        finally:
            _context.reset(token)
        response["X-Request-ID"] = request_id
        return response


# --- values --------------------------------------------------------------------------


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (bytes, memoryview)):
        return "<binary>"
    return str(value)


def _normalized(field_, value):
    try:
        return field_.to_python(value)
    except Exception:  # noqa: BLE001 -- a value the field can't parse is compared as is
        return value


def _snapshot(spec: Tracked, instance, only=None) -> dict:
    values = {}
    for f in spec.fields():
        if only is not None and f.name not in only and f.attname not in only:
            continue
        values[f.name] = _normalized(f, f.value_from_object(instance))
    return values


def _serialized(spec: Tracked, values: dict) -> dict:
    return {key: (MASK if key in spec.masked and value not in (None, "") else _jsonable(_stored(spec, key, value)))
            for key, value in values.items()}


def _stored(spec: Tracked, key: str, value):
    return spec.model._meta.get_field(key).get_prep_value(value) if key in spec.encrypted else value


# --- recording -----------------------------------------------------------------------


def _zone_id(spec: Tracked, instance):
    try:
        if spec.zone is not None:
            return spec.zone(instance)
        if any(f.name == "zone" for f in spec.model._meta.concrete_fields):
            return instance.zone_id
        if spec.parent:
            parent = getattr(instance, spec.parent, None)
            return getattr(parent, "zone_id", None)
    except ObjectDoesNotExist:
        return None
    return None


def _fallback_zone_id(context: _Context | None):
    request = getattr(context, "request", None)
    if request is None or not getattr(getattr(request, "user", None), "is_authenticated", False):
        return None
    from zhaoshang.core.access import current_zone

    try:
        zone = current_zone(request)
    except Exception:  # noqa: BLE001 -- a request without a session: no zone
        return None
    return zone.pk if zone else None


def _record(spec: Tracked, instance, action: str, before=None, after=None, using="default"):
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeRecord

    context = _context.get()
    user = current_user()
    kind = ContentType.objects.db_manager(using).get_for_model(spec.model)
    parent_type, parent_id = None, ""
    if spec.parent:
        parent_field = spec.model._meta.get_field(spec.parent)
        parent_pk = getattr(instance, parent_field.attname, None)
        if parent_pk is not None:
            parent_type = ContentType.objects.db_manager(using).get_for_model(parent_field.related_model)
            parent_id = str(parent_pk)
    zone_id = _zone_id(spec, instance)
    if zone_id is None:
        zone_id = _fallback_zone_id(context)
    record = ChangeRecord.objects.using(using).create(
        user_id=getattr(user, "pk", None),
        username=user.get_username() if user is not None else "",
        request_id=context.request_id if context else "",
        zone_id=zone_id,
        action=action,
        content_type=kind,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        parent_type=parent_type,
        parent_id=parent_id,
        before=before,
        after=after,
        description=(context.origin if context else "")[:300],
    )
    if context is not None:
        context.records[(kind.pk, str(instance.pk))] = record
    _last_record.set(record)
    return record


def _recording() -> bool:
    context = _context.get()
    return not (context and context.paused)


def _pre_save(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    spec = REGISTRY.get(sender)
    instance._changelog_before = None
    # loaddata saves raw, then sets the many-to-many fields: those are part of the load too.
    instance._changelog_raw = raw
    if spec is None or raw or not _recording():
        return
    _last_record.set(None)
    if instance.pk is None:
        return
    old = sender._base_manager.using(using).filter(pk=instance.pk).first()
    if old is not None:
        instance._changelog_before = _snapshot(spec, old, only=update_fields)


def _post_save(sender, instance, created=False, raw=False, using="default", update_fields=None, **kwargs):
    spec = REGISTRY.get(sender)
    before = getattr(instance, "_changelog_before", None)
    instance._changelog_before = None
    if spec is None or raw or not _recording():
        return
    if created or before is None:
        _record(spec, instance, "create", after=_serialized(spec, _snapshot(spec, instance)), using=using)
        return
    after = _snapshot(spec, instance, only=update_fields)
    changed = [key for key in after if key in before and after[key] != before[key]]
    if changed:
        _record(
            spec, instance, "update",
            before=_serialized(spec, {key: before[key] for key in changed}),
            after=_serialized(spec, {key: after[key] for key in changed}),
            using=using,
        )


def _post_delete(sender, instance, using="default", **kwargs):
    spec = REGISTRY.get(sender)
    if spec is None or not _recording():
        return
    values = _snapshot(spec, instance)
    for m2m in spec.m2m_fields():
        prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(m2m.name)
        if prefetched is not None:
            values[m2m.name] = sorted(obj.pk for obj in prefetched)
    _record(spec, instance, "delete", before=_serialized(spec, values), using=using)


def _m2m_field(spec: Tracked, through):
    for m2m in spec.m2m_fields():
        if m2m.remote_field.through is through:
            return m2m
    return None


def _related_pks(obj, m2m, using):
    return sorted(getattr(obj, m2m.name).using(using).values_list("pk", flat=True))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    if not _recording() or getattr(instance, "_changelog_raw", False):
        return
    owner_model = model if reverse else type(instance)
    spec = REGISTRY.get(owner_model)
    if spec is None:
        return
    m2m = _m2m_field(spec, sender)
    if m2m is None:
        return
    if action.startswith("pre_"):
        if reverse:
            if pk_set is None:  # clear from the other side: every owner related now
                owners = list(owner_model._base_manager.using(using).filter(**{m2m.name: instance}))
            else:
                owners = list(owner_model._base_manager.using(using).filter(pk__in=pk_set))
        else:
            owners = [instance]
        instance._changelog_m2m = [(owner, _related_pks(owner, m2m, using)) for owner in owners]
        return
    if not action.startswith("post_"):
        return
    pending = getattr(instance, "_changelog_m2m", None) or []
    instance._changelog_m2m = None
    from django.contrib.contenttypes.models import ContentType

    context = _context.get()
    kind = ContentType.objects.db_manager(using).get_for_model(spec.model)
    for owner, before in pending:
        after = _related_pks(owner, m2m, using)
        if after == before:
            continue
        joined = context.records.get((kind.pk, str(owner.pk))) if context else None
        last = _last_record.get()
        if joined is None and last is not None and last.content_type_id == kind.pk and last.object_id == str(owner.pk):
            joined = last
        if joined is not None and joined.action in ("create", "update"):
            joined.after = {**(joined.after or {}), m2m.name: after}
            if joined.action == "update":
                joined.before = {**(joined.before or {}), m2m.name: (joined.before or {}).get(m2m.name, before)}
            from zhaoshang.core import auditchain

            auditchain.reseal_from(type(joined), joined, using)
            _last_record.set(joined)
            continue
        _record(spec, owner, "update", before={m2m.name: before}, after={m2m.name: after}, using=using)


# --- exports and imports -------------------------------------------------------------


def record_data_transfer(user, kind: str, description: str, filters=None, row_count: int | None = None, *,
                         zone=None, model=None):
    """Put an export or an import on record: `kind` is "export" or "import", `filters` the
    filter used (a dict such as request.GET, or the name of the file imported), `row_count`
    how many rows left or came in. `model` (a model class) says what was transferred."""
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeRecord

    if kind not in (ChangeRecord.Action.EXPORT, ChangeRecord.Action.IMPORT):
        raise ValueError(f"kind must be 'export' or 'import', not {kind!r}")
    if hasattr(filters, "lists"):  # a QueryDict: keep repeated parameters
        filters = {key: values if len(values) > 1 else values[0] for key, values in filters.lists()}
    context = _context.get()
    user = user if getattr(user, "is_authenticated", False) else current_user()
    zone_id = getattr(zone, "pk", zone)
    if zone_id is None:
        zone_id = _fallback_zone_id(context)
    return ChangeRecord.objects.create(
        user_id=getattr(user, "pk", None),
        username=user.get_username() if user is not None else "",
        request_id=context.request_id if context else "",
        zone_id=zone_id,
        action=kind,
        content_type=ContentType.objects.get_for_model(model) if model is not None else None,
        description=(description or "")[:300],
        filters=_jsonable(filters) if filters is not None else None,
        row_count=row_count,
    )


def field_of(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_relation(field_) -> bool:
    return isinstance(field_, (models.ForeignKey, models.OneToOneField, models.ManyToManyField))


# --- bulk writes ---------------------------------------------------------------------


def record_bulk(model, instances, action: str = "create", before: dict | None = None, *, zone=None, describe=None) -> int:
    """Put writes that bypassed save() on record, a record per instance, inserted in bulk:
    for bulk_create() and a ledger import's bulk inserts. `instances` are model instances,
    or dicts of column (attname) → value with the "id" (only the columns given are
    recorded: a ledger's new rows cost no model instance); an iterable is consumed as it
    goes. `before` ({pk: {field: value}}) gives an update's earlier values, and only the
    fields that changed are recorded; a create leaves out the fields it leaves blank. `zone` (an id or a Zone) spares a per-row look-up
    when the model finds its zone through a parent; `describe(instance)` stands in for
    str(instance) where that would cost a query or a translation per row.

    A 100,000-row ledger makes some 400,000 records, so each is a plain tuple: its values
    made JSON once, hashed into the chain (core.auditchain) with the fields the records
    share encoded once, and the rows written by one INSERT run per batch (executemany) or,
    on PostgreSQL, COPY. Returns the number of records."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from zhaoshang.core import auditchain
    from zhaoshang.core.models import ChangeRecord

    spec = tracked(model)
    if spec is None or not _recording():
        return 0
    context = _context.get()
    user = current_user()
    parent_field = spec.model._meta.get_field(spec.parent) if spec.parent else None
    now = timezone.now()
    shared = {"username": user.get_username() if user is not None else "", "request_id": context.request_id if context else "",
              "action": action, "content_type_id": ContentType.objects.get_for_model(spec.model).pk,
              "description": (context.origin if context else "")[:300]}
    bulk = _BulkRecords(
        spec, before, parent_attname=parent_field.attname if parent_field else None,
        parent_type=ContentType.objects.get_for_model(parent_field.related_model).pk if parent_field else None,
        zone=getattr(zone, "pk", zone), describe=describe, deleting=action == ChangeRecord.Action.DELETE,
        common=(connection.ops.adapt_datetimefield_value(now), getattr(user, "pk", None), *shared.values()),
        digest=auditchain.BulkDigest(timestamp=now, **shared),
    )
    count = 0
    pending = iter(instances)
    with transaction.atomic(), connection.cursor() as cursor:
        auditchain.lock(connection.alias)
        previous_hash = auditchain.last_hash(ChangeRecord, connection.alias)
        while batch := list(itertools.islice(pending, _BULK_BATCH)):
            rows, previous_hash = bulk.rows(batch, previous_hash)
            _insert_records(cursor, connection, ChangeRecord, rows)
            count += len(rows)
    return count


_BULK_BATCH = 5000
# A bulk record's columns, in the order _BulkRecords.rows() gives them.
_BULK_COLUMNS = ["timestamp", "user", "username", "request_id", "action", "content_type", "description", "zone", "object_id",
                 "object_repr", "parent_type", "parent_id", "before", "after", "previous_hash", "record_hash"]
# Values JSON takes as they are (anything else goes through _jsonable).
_JSON_PLAIN = {str, int, bool, float, type(None)}
# The stored text, as JSONField would write it.
_encode_record = json.JSONEncoder(ensure_ascii=False).encode


class _BulkRecords:
    """The change records of one record_bulk() call, as rows of _BULK_COLUMNS."""

    def __init__(self, spec: Tracked, before, *, parent_attname, parent_type, zone, describe, deleting, common, digest):
        self.spec, self.before, self.deleting, self.common, self.digest = spec, before, deleting, common, digest
        self.creating = before is None and not deleting
        self.fields = [(f.name, f.attname) for f in spec.fields()]
        self.parent_attname, self.parent_type, self.zone = parent_attname, parent_type, zone
        self.describe = describe or (lambda instance: str(instance.get("name") or instance["id"]) if isinstance(instance, dict)
                                     else str(instance))

    def rows(self, batch, previous_hash: str) -> tuple[list[tuple], str]:
        """The batch's rows, chained from `previous_hash`; and the last row's hash."""
        rows = []
        for instance in batch:
            found = self.values(instance)
            if found is None:
                continue
            pk, parent_pk, old, new = found
            parent_type = self.parent_type if parent_pk is not None else None
            parent_id = str(parent_pk) if parent_pk is not None else ""
            object_id, shown = str(pk), self.describe(instance)[:200]
            before, after = (old, None) if self.deleting else (old, new)
            if self.deleting and before is None:
                before = new
            record_hash = self.digest(previous_hash, object_id=object_id, object_repr=shown, parent_type_id=parent_type,
                                      parent_id=parent_id, before=before, after=after)
            zone = self.zone if self.zone is not None else _zone_id(self.spec, instance)
            rows.append((*self.common, zone, object_id, shown, parent_type, parent_id,
                         None if before is None else _encode_record(before), None if after is None else _encode_record(after),
                         previous_hash, record_hash))
            previous_hash = record_hash
        return rows, previous_hash

    def values(self, instance):
        """(pk, parent pk, values before or None, values after) as JSON values; None when
        an update changed nothing."""
        pk, parent_pk, values = self._read(instance)
        old = None
        if self.before is not None:
            earlier = self.before.get(pk, {})
            changed = [key for key in values if key in earlier and values[key] != earlier[key]]
            if not changed:
                return None
            old, values = self._json({key: earlier[key] for key in changed}), {key: values[key] for key in changed}
        elif self.creating:
            # A new row's blank fields say nothing (the history leaves them out too).
            values = {key: value for key, value in values.items() if value is not None and value != ""}
        return pk, parent_pk, old, self._json(values)

    def _read(self, instance) -> tuple:
        """(pk, parent pk, {field: value}) of a model instance or a dict of columns."""
        if isinstance(instance, dict):
            values = {name: instance[attname] for name, attname in self.fields if attname in instance}
            return instance["id"], instance.get(self.parent_attname) if self.parent_attname else None, values
        values = {name: getattr(instance, attname) for name, attname in self.fields}
        return instance.pk, getattr(instance, self.parent_attname, None) if self.parent_attname else None, values

    def _json(self, values: dict) -> dict:
        """_serialized(), with the common values taken as they are."""
        masked = self.spec.masked
        shown = {key: value if value.__class__ in _JSON_PLAIN else _jsonable(value) for key, value in values.items()}
        for key in masked & shown.keys():
            if shown[key] not in (None, ""):
                shown[key] = MASK
        for key in self.spec.encrypted & shown.keys() - masked:
            if shown[key] not in (None, ""):
                shown[key] = _jsonable(_stored(self.spec, key, values[key]))
        return shown


def _insert_records(cursor, connection, model, rows: list[tuple]) -> None:
    """Append the rows to the change log: COPY on PostgreSQL, which spares a round trip per
    row; one INSERT run (executemany) elsewhere. Ids follow the rows' order either way."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in _BULK_COLUMNS)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_BULK_COLUMNS))})", rows)
