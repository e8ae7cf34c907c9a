"""Background jobs of the projects app.

check_warnings: the daily 项目预警 check. It records each project's light (with the reasons
it had when its colour changed) in its ProjectWarningState row and tells the responsible unit's members (the bureau, for a project
without a unit) when the colour changed since the last check: once per change, never twice
for the same colour, however often or from how many places it runs (each change is claimed
with a conditional UPDATE)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from zhaoshang.campaigns import notifications as robots
from zhaoshang.core.models import Role, Zone
from zhaoshang.core.queue import periodic
from zhaoshang.projects import warnings
from zhaoshang.projects.models import Project, ProjectWarningState, WarningColour

BATCH = 500


def _recipients(project: Project):
    users = get_user_model().objects.filter(is_active=True, memberships__zone_id=project.zone_id)
    if project.responsible_unit_id:
        users = users.filter(memberships__role=Role.UNIT, memberships__unit_id=project.responsible_unit_id)
    else:
        users = users.filter(memberships__role=Role.BUREAU)
    return users.distinct()


def _notice(project: Project, light: warnings.Light, before: str) -> str:
    if light.colour == WarningColour.GREEN:
        return _("项目预警解除：%(name)s 由%(before)s转为绿灯") % {
            "name": project.name, "before": WarningColour(before).label if before else ""}
    return _("项目预警：%(name)s 亮%(colour)s——%(reasons)s") % {
        "name": project.name, "colour": light.label, "reasons": "；".join(light.reasons)}


def _claim(project: Project, light: warnings.Light, today: dt.date) -> str | None:
    """Record the project's colour; the colour it had before when this call is the one that
    changed it (None when it was unchanged or another run got there first)."""
    state = ProjectWarningState.objects.filter(project=project).first()
    if state is None:
        try:
            with transaction.atomic():
                ProjectWarningState.objects.create(project=project, colour=light.colour, since=today, checked_on=today,
                                                   reasons=light.reasons)
        except IntegrityError:  # another run created it a moment ago: it owns this change
            return None
        return ""
    if state.colour == light.colour:
        return None
    claimed = ProjectWarningState.objects.filter(pk=state.pk, colour=state.colour).update(
        colour=light.colour, since=today, checked_on=today, reasons=light.reasons, updated_at=timezone.now())
    return state.colour if claimed else None


def check_warnings(today: dt.date | None = None, zone: Zone | None = None) -> list[tuple[Project, warnings.Light]]:
    """Run the daily check; returns the projects whose colour changed, with their new light.
    A project's first light notifies only when it is red or yellow; a dropped or merged
    project has no light and notifies nobody."""
    from zhaoshang.tickets.actions import notify

    today = today or timezone.localdate()
    projects = Project.objects.all() if zone is None else Project.objects.filter(zone=zone)
    # The colour recorded last time comes with each row (None: never checked), so an
    # unchanged project costs no query of its own.
    projects = warnings.annotate(projects.order_by("pk"), today).annotate(known_colour=F("warning_state__colour"))
    changed = []
    for project in projects.iterator(chunk_size=BATCH):
        light = warnings.light_of(project)
        if project.known_colour == light.colour:
            continue
        with transaction.atomic():
            before = _claim(project, light, today)
            if before is None:
                continue
            if not light.colour or (before == "" and light.colour == WarningColour.GREEN):
                continue
            text = _notice(project, light, before)
            notify(list(_recipients(project)), text, link=reverse("projects:detail", args=[project.pk]))
            if light.colour == WarningColour.RED:
                robots.broadcast(project.zone, robots.WARNING_RED, f"{text}（{project.responsible_unit or _('未定责任单位')}）")
            changed.append((project, light))
    checked = ProjectWarningState.objects.all() if zone is None else ProjectWarningState.objects.filter(project__zone=zone)
    checked.exclude(checked_on__gte=today).update(checked_on=today)
    return changed


@periodic(every="daily", at=dt.time(6, 30), name="projects.warning_check")
@task()
def warning_check() -> int:
    """The daily 项目预警 check on the task queue, as `zhaoshang warning_check` does; returns
    how many projects changed colour."""
    return len(check_warnings())
