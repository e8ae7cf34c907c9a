"""Service tickets for the demo zone (call after core.demo.seed_demo and the demo users):

    from zhaoshang.tickets.demo import seed_demo_tickets
    seed_demo_tickets(zone)

Fourteen believable problems of the demo projects in the first quarter of 2025 — solved
and rated, one 不满意 and reopened, one returned and reassigned, some overdue — and three
raised in the last days, so inboxes, the overview and the figures have something to show.
Every step goes through tickets.actions with the people whose role allows it: the bureau
user `demo-bureau` (created if missing) and one liaison login per department (unusable
password until an administrator sets one; `demo-dept` for 自然资源局 when it exists).
"""

import datetime as dt
import zoneinfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhaoshang.core.actions import grant_role
from zhaoshang.core.models import Membership, OrgUnit, Role
from zhaoshang.projects.models import Project
from zhaoshang.tickets import actions

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# project, category, title, department, severity, assigned, acknowledged, resolved, rating (or
# "unsatisfied:<reason>"), then optional re-resolution and second rating.
CLOSED = [
    ("年产5万吨磷酸铁锂正极材料项目", "水电热气", "二期厂房双回路供电接入", "供电公司", "major", "2025-01-06", "2025-01-07", "2025-02-14", "satisfied"),
    ("储能电池PACK生产线项目", "行政审批", "环评批复加快办理", "行政审批局", "ordinary", "2025-01-09", "2025-01-09", "2025-01-16", "satisfied"),
    ("智能阀门生产基地项目", "用地", "新增用地指标30亩", "自然资源局", "major", "2025-01-13", "2025-01-14", "2025-02-26", "basically"),
    ("城市算力中心一期项目", "水电热气", "数据中心110kV专线", "供电公司", "major", "2025-02-05", "2025-02-06", "2025-03-12", "satisfied"),
    ("高效节能水泵项目", "税务", "研发费用加计扣除政策辅导", "税务局", "ordinary", "2025-02-10", "2025-02-10", "2025-02-12", "satisfied"),
    ("显示模组生产项目", "用工", "招聘一线操作工120人", "人社局", "ordinary", "2025-02-17", "2025-02-18", "2025-03-04", "unsatisfied:仍缺操作工60人"),
    ("钼靶材扩产项目", "金融", "技改项目贷款贴息", "金融服务中心", "ordinary", "2025-02-24", "2025-02-25", "2025-03-05", "satisfied"),
    ("废旧动力电池综合利用项目", "行政审批", "危险废物经营许可证办理", "行政审批局", "major", "2025-03-03", "2025-03-04", "2025-03-20", "basically"),
]
OPEN = [
    # project, category, title, department, severity, assigned, acknowledged (or None)
    ("工业固废资源化利用项目", "用地", "项目用地土地证办理", "自然资源局", "ordinary", "2025-03-10", "2025-03-11"),
    ("再生铝加工项目", "水电热气", "天然气管道接入", "住建局", "ordinary", "2025-03-17", None),
    ("冷链物流中心项目", "政策", "冷链物流补贴政策兑现", "行政审批局", "ordinary", "2025-03-24", "2025-03-25"),
]
RETURNED = ("锂电池隔膜项目", "水电热气", "厂区供热管网改造", "自然资源局", "住建局", "2025-03-05", "2025-03-06", "2025-03-07")
RECENT = [
    ("智能传感器封装测试项目", "用工", "技术工人公寓配套", "住建局"),
    ("电池管理系统（BMS）项目", "税务", "增值税留抵退税", "税务局"),
    ("数字孪生应用研发中心项目", "金融", "科技型企业贷款", "金融服务中心"),
]


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def _bureau_user(zone):
    User = get_user_model()
    membership = Membership.objects.filter(zone=zone, role=Role.BUREAU).select_related("user").first()
    if membership is not None:
        return membership.user
    user, _created = User.objects.get_or_create(username="demo-bureau", defaults={"first_name": "周海涛"})
    if _created:
        user.set_unusable_password()
        user.save()
    grant_role(user=user, zone=zone, role=Role.BUREAU)
    return user


def _liaison(zone, department):
    membership = Membership.objects.filter(zone=zone, role=Role.DEPARTMENT, unit=department).select_related("user").first()
    if membership is not None:
        return membership.user
    User = get_user_model()
    username = f"{zone.code}-dept-{department.pk}"
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": f"{department.name}联络员"})
    if created:
        user.set_unusable_password()
        user.save()
    grant_role(user=user, zone=zone, role=Role.DEPARTMENT, unit=department)
    return user


# category, title, department — the problems of the months after the first quarter of 2025
LIVING = [
    ("用地", "新增建设用地报批", "自然资源局"), ("水电热气", "专用变电站增容", "供电公司"),
    ("行政审批", "施工许可并联审批", "行政审批局"), ("税务", "留抵退税政策辅导", "税务局"),
    ("金融", "设备融资租赁对接", "金融服务中心"), ("用工", "技术工人定向招聘", "人社局"),
    ("水电热气", "厂区燃气管道接入", "住建局"), ("用地", "不动产权证办理", "自然资源局"),
    ("行政审批", "能评批复加快办理", "行政审批局"), ("金融", "技改项目贷款贴息申报", "金融服务中心"),
]


def _living(zone, today: dt.date, bureau, departments, raise_) -> None:
    """Two problems a month from April 2025 on, on projects already started by then: those
    of the last six weeks still in hand, the older ones solved and rated."""
    from zhaoshang.projects.demo import LIVING_FROM, months

    started = list(Project.objects.filter(zone=zone, started_on__isnull=False).order_by("started_on", "pk"))
    turn = 0
    for first, last in months(LIVING_FROM, today):
        for slot in range(2):
            category, title, dept = LIVING[turn % len(LIVING)]
            turn += 1
            day = min(first + dt.timedelta(days=7 + 12 * slot), last)
            candidates = [p for p in started if p.started_on <= day]
            if not candidates:
                continue
            project = candidates[(turn * 7) % len(candidates)]
            ticket = raise_(project.name, category, f"{title}（{project.name[:8]}）", dept, "ordinary", _moment(day, 9))
            liaison = _liaison(zone, departments[dept])
            age = (today - day).days
            if age >= 1:
                actions.acknowledge_ticket(ticket, actor=liaison, at=_moment(day + dt.timedelta(days=1), 10))
            if age >= 42:
                solved = day + dt.timedelta(days=5 + turn % 9)
                actions.resolve_ticket(ticket, actor=liaison, resolution=f"{title}：已办结", at=_at(solved.isoformat(), 16))
                rating = "basically" if turn % 5 == 0 else "satisfied"
                actions.rate_ticket(ticket, actor=bureau, rating=rating, at=_at((solved + dt.timedelta(days=2)).isoformat()))


def _moment(day: dt.date, hour: int) -> dt.datetime:
    """That day at that hour, but never later than now (a fact is never in the future)."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)
    now = timezone.now()
    return min(moment, now) if day >= timezone.localdate(now) else moment


def seed_demo_tickets(zone, today: dt.date | None = None) -> int:
    """Load the demo tickets into `zone` (the demo zone), up to `today`; returns how many."""
    today = today or timezone.localdate()
    bureau = _bureau_user(zone)
    departments = {unit.name: unit for unit in OrgUnit.objects.filter(zone=zone, kind=OrgUnit.Kind.DEPARTMENT)}
    projects = {project.name: project for project in Project.objects.filter(zone=zone)}
    count = 0

    def raise_(project, category, title, department, severity, day):
        nonlocal count
        count += 1
        return actions.raise_ticket(
            zone=zone, category=category, title=title, actor=bureau, project=projects[project],
            severity=severity, department=departments[department], at=_at(day, 9) if isinstance(day, str) else day,
        )

    for project, category, title, dept, severity, assigned, acknowledged, resolved, rating in CLOSED:
        liaison = _liaison(zone, departments[dept])
        ticket = raise_(project, category, title, dept, severity, assigned)
        actions.acknowledge_ticket(ticket, actor=liaison, at=_at(acknowledged))
        actions.resolve_ticket(ticket, actor=liaison, resolution=f"{title}：已办结", at=_at(resolved, 16))
        rated_on = dt.date.fromisoformat(resolved) + dt.timedelta(days=2)
        if rating.startswith("unsatisfied:"):
            actions.rate_ticket(ticket, actor=bureau, rating="unsatisfied", note=rating.split(":", 1)[1], at=_at(rated_on.isoformat()))
        else:
            actions.rate_ticket(ticket, actor=bureau, rating=rating, at=_at(rated_on.isoformat()))

    for project, category, title, dept, severity, assigned, acknowledged in OPEN:
        ticket = raise_(project, category, title, dept, severity, assigned)
        if acknowledged:
            actions.acknowledge_ticket(ticket, actor=_liaison(zone, departments[dept]), at=_at(acknowledged))

    project, category, title, first, second, assigned, returned, reassigned = RETURNED
    ticket = raise_(project, category, title, first, "ordinary", assigned)
    actions.return_ticket(ticket, actor=_liaison(zone, departments[first]), reason="供热管网属住建局职责", at=_at(returned))
    actions.assign_ticket(ticket, department=departments[second], actor=bureau, at=_at(reassigned))
    actions.acknowledge_ticket(ticket, actor=_liaison(zone, departments[second]), at=_at(reassigned, 15))

    _living(zone, today, bureau, departments, raise_)
    for offset, (project, category, title, dept) in enumerate(RECENT):
        raise_(project, category, title, dept, "ordinary", _moment(today - dt.timedelta(days=offset), 9))
    return count
