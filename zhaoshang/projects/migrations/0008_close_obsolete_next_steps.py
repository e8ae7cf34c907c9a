"""Existing follow-ups whose next step a later stage change made obsolete get it closed
on that stage change's date (so a started project no longer shows 下步：安排签约 as
overdue)."""

from django.db import migrations
from django.db.models import OuterRef, Q, Subquery


def close(apps, schema_editor):
    FollowUp = apps.get_model("projects", "FollowUp")
    StageChange = apps.get_model("projects", "StageChange")
    later = StageChange.objects.filter(
        project_id=OuterRef("project_id"), date__gte=OuterRef("date"), from_stage__gt="",
    ).order_by("date", "id").values("date")[:1]
    open_steps = FollowUp.objects.filter(next_step_closed_on__isnull=True).filter(~Q(next_step="") | Q(next_date__isnull=False))
    open_steps.annotate(closing=Subquery(later)).filter(closing__isnull=False).update(next_step_closed_on=Subquery(later))


def reopen(apps, schema_editor):
    apps.get_model("projects", "FollowUp").objects.update(next_step_closed_on=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_date_corrections_and_closed_next_steps")]
    operations = [migrations.RunPython(close, reopen)]
