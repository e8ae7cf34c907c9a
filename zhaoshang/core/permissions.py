"""What a user may do, by name: `can(user, "projects.create", zone)`.

One table for both sides of a permission: the views refuse with `require(...)` and the
templates hide what would be refused with `can.projects.create` (context processor
`zhaoshang.core.context_processors.zhaoshang`) or `{% can "projects.edit" project as ok %}`
(template tag library `permissions`). A capability that depends on an app's own rules
(a project's unit, a ticket's department) asks that app's permissions module, so each
rule is still written once. What rows a user reads is not here: that is each model's
`visible_to(user)`.

A capability is called with (user, zone, obj); zone is the zone the user works in now
(or the object's zone), obj the object acted on, None for zone-level capabilities.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core import access
from zhaoshang.core.models import Role

Check = Callable[..., bool]

_CAPABILITIES: dict[str, Check] = {}
_MESSAGES: dict[str, str] = {}

ALL_ROLES = frozenset(Role)
# Roles that work on rows (projects, enterprises); observers read figures only.
ROW_ROLES = ALL_ROLES - {Role.OBSERVER}
# Roles whose home is the cockpit: they read the zone's figures and do not work on rows.
COCKPIT_HOME_ROLES = frozenset({Role.LEADERSHIP, Role.OBSERVER})


def capability(name: str, message=None):
    """Register the function below as capability `name`; `message` is what a refusal says."""

    def register(check: Check) -> Check:
        _CAPABILITIES[name] = check
        if message is not None:
            _MESSAGES[name] = message
        return check

    return register


def names() -> list[str]:
    return sorted(_CAPABILITIES)


def can(user, name: str, zone=None, obj=None) -> bool:
    """Whether `user` may do `name` in `zone` (on `obj`). An unknown name is a programming
    error, not a refusal: it raises KeyError."""
    check = _CAPABILITIES[name]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if zone is None and obj is not None:
        zone = getattr(obj, "zone", None)
    return bool(check(user, zone, obj))


def require(user, name: str, zone=None, obj=None, message: str | None = None) -> None:
    """Raise PermissionDenied (the 403 page, the API's 403) unless `can(...)`."""
    if not can(user, name, zone, obj):
        raise PermissionDenied(message or str(_MESSAGES.get(name) or _("您没有这项操作的权限")))


def _roles(*roles):
    """A capability held by the users having one of `roles` in the zone."""
    allowed = frozenset(roles)
    return lambda user, zone, obj: zone is not None and access.has_role(user, allowed, zone)


def landing_url(user, zone) -> str:
    """Where a user starts: the cockpit for leadership and observers (they read the zone's
    figures), the workbench for everyone who works on projects."""
    if zone is None or access.is_superuser(user):
        return "/workbench/"
    held = {m.role for m in access.memberships(user) if m.zone_id == zone.pk}
    if held and held <= COCKPIT_HOME_ROLES:
        return "/cockpit/"
    return "/workbench/"


# --- the areas of the navigation -------------------------------------------------------------
# Every member of the zone opens these pages; what is on them is the rows they may read.
for _area in ("workbench", "cockpit", "tickets", "assessment", "industry", "ledger", "policies", "stats", "spaces",
              "settings"):
    capability(f"{_area}.view", gettext_lazy("您不属于该园区"))(_roles(*ALL_ROLES))

capability("projects.view", gettext_lazy("无权查看项目：上级观察员只查看驾驶舱的指标"))(_roles(*ROW_ROLES))
capability("enterprises.view", gettext_lazy("无权查看企业：上级观察员只查看驾驶舱的指标"))(_roles(*ROW_ROLES))
# Funds are read by the zone-wide roles only (funds.models.FundQuerySet.visible_to).
capability("funds.view", gettext_lazy("无权查看产业基金"))(_roles(*access.ZONE_WIDE_ROLES))


# 招商活动 (trips, events, introducers): every member of the zone who reads rows.
capability("campaigns.view", gettext_lazy("无权查看招商活动：上级观察员只查看驾驶舱的指标"))(_roles(*ROW_ROLES))
# 联合会审: the bureau certifies; units see their own claims there.
capability("review.view", gettext_lazy("无权查看认定"))(_roles(*ROW_ROLES))


# --- projects ----------------------------------------------------------------------------------

# The zone's warning thresholds are set by the bureau and administrators (access.can_manage).
capability("projects.warning_rules", gettext_lazy("只有投资促进局可以修改预警规则"))(_roles(*access.MANAGER_ROLES))


@capability("projects.create", gettext_lazy("您没有新建项目的权限"))
def _create_project(user, zone, obj):
    from zhaoshang.projects.permissions import can_create_project

    return can_create_project(user, zone, obj)


@capability("projects.edit", gettext_lazy("您没有修改该项目的权限"))
def _edit_project(user, zone, project):
    from zhaoshang.projects.permissions import can_write_project

    return project is not None and can_write_project(user, project)


# --- tickets -----------------------------------------------------------------------------------


@capability("tickets.raise", gettext_lazy("您不能登记诉求"))
def _raise_ticket(user, zone, project):
    from zhaoshang.tickets.actions import can_raise

    return zone is not None and can_raise(user, zone, project)


@capability("tickets.stats", gettext_lazy("只有投资促进局、管委会领导和上级观察员可以查看诉求统计"))
def _ticket_stats(user, zone, obj):
    from zhaoshang.tickets.actions import is_manager

    return zone is not None and (is_manager(user, zone) or zone.pk in access.observer_zone_ids(user))


@capability("tickets.settings", gettext_lazy("只有投资促进局或管委会领导可以设置诉求办理规则"))
def _ticket_settings(user, zone, obj):
    from zhaoshang.tickets.actions import is_manager

    return zone is not None and is_manager(user, zone)


# --- assessment --------------------------------------------------------------------------------


def _assessment(rule: str):
    def check(user, zone, obj):
        from zhaoshang.assessment import permissions

        return zone is not None and getattr(permissions, rule)(user, zone)

    return check


capability("assessment.manage", gettext_lazy("只有投资促进局可以进行此操作"))(_assessment("can_manage"))
capability("assessment.rankings", gettext_lazy("您没有查看排名的权限"))(_assessment("can_see_rankings"))
capability("assessment.bulletins", gettext_lazy("您没有查看通报的权限"))(_assessment("can_see_bulletins"))
capability("assessment.schemes", gettext_lazy("您没有查看考核方案的权限"))(_assessment("sees_whole_zone"))


@capability("assessment.targets", gettext_lazy("您没有查看目标任务的权限"))
def _assessment_own(user, zone, obj):
    """Targets and dispatch rounds: the whole zone's for zone-wide roles, a unit's or
    department's own for its members."""
    from zhaoshang.assessment import permissions

    return zone is not None and (permissions.sees_whole_zone(user, zone) or bool(permissions.own_unit_ids(user, zone)))


capability("assessment.dispatch", gettext_lazy("您没有查看调度的权限"))(_assessment_own)


# --- industry ----------------------------------------------------------------------------------


def _industry(rule: str):
    def check(user, zone, obj):
        from zhaoshang.industry import permissions

        return getattr(permissions, rule)(user, zone)

    return check


capability("industry.edit_chains", gettext_lazy("您没有修改产业链图谱的权限"))(_industry("can_edit_chains"))
capability("industry.targets", gettext_lazy("您没有查看目标企业库的权限"))(_industry("can_read_targets"))
capability("industry.edit_targets", gettext_lazy("您没有修改目标企业的权限"))(_industry("can_edit_targets"))
capability("industry.manage_targets", gettext_lazy("只有投资促进局可以合并目标企业"))(_industry("can_manage_targets"))


# --- ledger, support areas, settings -------------------------------------------------------------


@capability("ledger.import", gettext_lazy("只有投资促进局和管理员可以导入台账"))
def _ledger_import(user, zone, obj):
    from zhaoshang.ledger.views import IMPORT_ROLES

    return zone is not None and access.has_role(user, IMPORT_ROLES, zone)


def _support(rule: str):
    def check(user, zone, obj):
        from zhaoshang.stats import permissions

        return zone is not None and getattr(permissions, rule)(user, zone)

    return check


# Policies, funds and carrier space are managed by the bureau and administrators.
for _area in ("policies", "funds", "spaces", "stats"):
    capability(f"{_area}.manage", gettext_lazy("只有投资促进局或系统管理员可以修改"))(_support("can_manage"))


@capability("settings.manage", gettext_lazy("只有系统管理员和投资促进局可以进行此操作"))
def _manage_zone(user, zone, obj):
    return access.can_manage(user, zone)


class Capabilities:
    """`can` in templates: `{% if can.projects.create %}` asks can(user, "projects.create",
    current zone). Answers are computed on first use and kept for the request."""

    def __init__(self, user, zone_getter):
        self._user = user
        self._zone_getter = zone_getter
        self._answers: dict[str, bool] = {}

    def __getitem__(self, area: str):
        return _Area(self, area)

    def ask(self, name: str) -> bool:
        if name not in self._answers:
            self._answers[name] = name in _CAPABILITIES and can(self._user, name, self._zone_getter())
        return self._answers[name]


class _Area:
    def __init__(self, capabilities: Capabilities, area: str):
        self._capabilities = capabilities
        self._area = area

    def __getitem__(self, action: str) -> bool:
        return self._capabilities.ask(f"{self._area}.{action}")
