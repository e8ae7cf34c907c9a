"""Writes of the workbench's own records: a user's saved list filters and their last visit.
(Project writes stay in projects.actions.)"""

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.projects.models import SavedFilter, WorkbenchVisit

# Parameters that are not part of a filter: the page number, htmx's own.
NOT_SAVED = {"page", "csrfmiddlewaretoken", "_"}


def clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k not in NOT_SAVED and v != ""]
    return urlencode(pairs)


@transaction.atomic
def save_filter(*, user, zone, name: str, query: str) -> SavedFilter:
    """Save (or replace) the user's filter of this name in the zone."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请为筛选命名")})
    if len(name) > 60:
        raise ValidationError({"name": _("名称不能超过60个字")})
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, zone=zone, name=name, defaults={"query": clean_query(query)[:1000]}
    )
    return saved


@transaction.atomic
def delete_filter(saved: SavedFilter, *, user) -> None:
    if saved.user_id != user.pk:
        raise PermissionError("not the owner of this saved filter")
    saved.delete()


def current_marks() -> dict:
    """The highest id of each kind of record now (three index look-ups)."""
    from zhaoshang.projects.models import FollowUp, FundArrival, StageChange

    return {
        name: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for name, model in (("stage", StageChange), ("follow_up", FollowUp), ("fund", FundArrival))
    }


def record_visit(user, *, new_session: bool, now: dt.datetime | None = None):
    """Note a visit to the workbench; returns (when the previous visit was, the record
    marks of that visit) — what changed since is what lies beyond those marks. A new
    session moves the marks; reloads within one session keep them."""
    now = now or timezone.now()
    visit = WorkbenchVisit.objects.filter(user=user).first()
    if visit is None:
        WorkbenchVisit.objects.create(user=user, previous_at=None, last_at=now, last_marks=current_marks())
        return None, {}
    if new_session:
        visit.previous_at, visit.previous_marks = visit.last_at, visit.last_marks
        visit.last_at, visit.last_marks = now, current_marks()
        visit.save(update_fields=["previous_at", "previous_marks", "last_at", "last_marks"])
    return visit.previous_at, visit.previous_marks or {}
