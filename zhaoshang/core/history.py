"""Reading the change log: the history of one object (with its parts, e.g. a project's
follow-ups) and readable entries for the audit page.

    from zhaoshang.core.history import history_for
    context["history"] = history_for(project, request.user)
    {% include "core/_history.html" %}          (reads `history`)

Foreign keys and many-to-many values are stored as ids and named here in one query per
related model, so a page of entries costs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import changelog, masking
from zhaoshang.core.fields import EncryptedCharField, reveal
from zhaoshang.core.models import ChangeRecord

EMPTY = "—"


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class Entry:
    record: ChangeRecord
    model_label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def timestamp(self):
        return self.record.timestamp

    @property
    def who(self) -> str:
        return self.record.username or _("系统")

    @property
    def action(self) -> str:
        return self.record.action

    @property
    def action_label(self) -> str:
        return self.record.get_action_display()

    @property
    def object_repr(self) -> str:
        return self.record.object_repr


def history_for(obj, user=None, limit: int = 200) -> list[Entry]:
    """The newest `limit` entries about `obj` and its tracked parts, newest first. Contact
    fields are masked unless `user` may read them (core.masking.can_see_contacts)."""
    records = list(
        ChangeRecord.objects.for_object(obj).select_related("content_type").order_by("-timestamp", "-id")[:limit]
    )
    allowed = user is None or masking.can_see_contacts(user, obj)
    return describe(records, contacts_allowed=allowed, within=obj)


def describe(records, contacts_allowed: bool = True, within=None) -> list[Entry]:
    """Readable entries for change records: field labels, choice labels, related objects'
    names, masked contacts where not allowed."""
    wanted: dict[type, set] = defaultdict(set)
    plans = []
    for record in records:
        model = record.content_type.model_class() if record.content_type_id else None
        plans.append((record, model))
        if model is None:
            continue
        for values in (record.before or {}, record.after or {}):
            for name, value in values.items():
                f = changelog.field_of(model, name)
                if f is None or not f.is_relation or value in (None, "", changelog.MASK):
                    continue
                related = f.related_model
                wanted[related].update(value if isinstance(value, list) else [value])
    names = {
        related: {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=pks)}
        for related, pks in wanted.items() if pks
    }
    entries = []
    for record, model in plans:
        label = str(model._meta.verbose_name) if model is not None else ""
        entry = Entry(record=record, model_label=label)
        if model is not None and record.action in ("create", "update", "delete"):
            spec = changelog.tracked(model)
            sensitive = spec.sensitive if spec else {}
            # Inside a project's history, a follow-up need not name its project again.
            skip = spec.parent if spec and spec.parent and within is not None and record.parent_id == str(within.pk) else None
            keys = list((record.after or {}).keys()) if record.action != "delete" else list((record.before or {}).keys())
            for key in (record.before or {}):
                if key not in keys:
                    keys.append(key)
            for name in keys:
                if name == skip:
                    continue
                f = changelog.field_of(model, name)
                before = (record.before or {}).get(name)
                after = (record.after or {}).get(name)
                if record.action == "create" and after in (None, "", []):
                    continue
                entry.changes.append(Change(
                    field=name,
                    label=str(f.verbose_name) if f is not None else name,
                    before=_shown(f, before, names, sensitive.get(name), contacts_allowed),
                    after=_shown(f, after, names, sensitive.get(name), contacts_allowed),
                ))
        entries.append(entry)
    return entries


def _shown(f, value, names, mask_kind, contacts_allowed) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(f, EncryptedCharField):
        value = reveal(value)
    if value == changelog.MASK:
        return _("（已修改）")
    if mask_kind and not contacts_allowed:
        return masking.MASKS[mask_kind](value)
    if f is None:
        return str(value)
    if f.is_relation:
        known = names.get(f.related_model, {})
        values = value if isinstance(value, list) else [value]
        return "、".join(known.get(_key(f, item), f"#{item}（已删除）") for item in values)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(f, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _key(f, value):
    target = f.target_field if hasattr(f, "target_field") else f.related_model._meta.pk
    try:
        return target.to_python(value)
    except Exception:  # noqa: BLE001
        return value


def content_types_tracked():
    """(content type, label) of every tracked model, for the audit page's model filter."""
    kinds = ContentType.objects.get_for_models(*changelog.REGISTRY)
    return sorted(((kind, str(model._meta.verbose_name)) for model, kind in kinds.items()), key=lambda item: item[1])
