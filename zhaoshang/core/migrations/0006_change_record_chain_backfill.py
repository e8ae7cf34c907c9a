"""Chain the change records written before the hash chain existed, in id order."""

import datetime as dt
import hashlib
import json

from django.db import migrations

# A copy of zhaoshang.core.auditchain.digest as of this migration: a migration must not
# change meaning when that module changes later.
HASHED_FIELDS = ("timestamp", "username", "request_id", "action", "content_type_id", "object_id", "object_repr",
                 "parent_type_id", "parent_id", "before", "after", "description", "filters", "row_count")


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def digest(record, previous_hash):
    content = {name: _canonical(getattr(record, name)) for name in HASHED_FIELDS}
    content["previous_hash"] = previous_hash
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain(apps, schema_editor):
    ChangeRecord = apps.get_model("core", "ChangeRecord")
    previous = ""
    batch = []
    for record in ChangeRecord.objects.using(schema_editor.connection.alias).order_by("id").iterator(chunk_size=2000):
        record.previous_hash = previous
        record.record_hash = previous = digest(record, previous)
        batch.append(record)
        if len(batch) >= 2000:
            ChangeRecord.objects.bulk_update(batch, ["previous_hash", "record_hash"])
            batch = []
    if batch:
        ChangeRecord.objects.bulk_update(batch, ["previous_hash", "record_hash"])


def unchain(apps, schema_editor):
    ChangeRecord = apps.get_model("core", "ChangeRecord")
    ChangeRecord.objects.update(previous_hash="", record_hash="")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_change_record_chain")]

    operations = [migrations.RunPython(chain, unchain)]
