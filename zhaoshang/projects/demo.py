"""The living part of the demo zone: what happened after the first quarter of 2025, up to
the day the demo is seeded (call after core.demo has built the zone and its fixed rows).

The fixed rows of core.demo (2023 — 2025 Q1) stay as they are, so the worked report of
2024 and 2025 Q1 still comes out. From 2025-04-01 to `today` every month brings new leads,
negotiations, signings, starts, productions and fund arrivals, drawn from a random
generator seeded with a constant, so the same `today` always gives the same zone.

Month by month, a fact is dated inside the month and never after `today`: in the month
that contains `today` all facts fall between the 1st and `today` — on 1 January every
fact of the new year is dated that day (a signing, a start and a fund arrival at least),
so the current year never opens on zeros. Projects still being worked on get a recent
follow-up whose next step lies ahead (a few stay overdue, as in any zone).
"""

import calendar
import datetime as dt
import random
from decimal import Decimal

from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.industry.models import IndustryChain
from zhaoshang.projects import actions
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.stages import Stage

LIVING_FROM = dt.date(2025, 4, 1)

# chain → (task force or SOE in charge, park, words for project names)
CHAIN_PLAN = {
    "新能源电池及材料": ("新能源新材料专班", "新材料产业园", ["磷酸锰铁锂正极材料", "硅碳负极材料", "储能变流器", "锂电铜箔", "电池结构件", "钠电池电芯"]),
    "智能终端": ("智能终端专班", "智能终端产业园", ["智能穿戴设备", "车载显示屏", "光学镜头模组", "柔性电路板", "声学器件", "笔记本电脑整机"]),
    "智算及人工智能": ("数科公司", "中电数字经济产业园二期", ["边缘计算节点", "行业大模型应用", "智能网联数据中心", "算力调度平台", "工业视觉检测", "数据要素服务"]),
    "钨钼材料": ("开创集团", "新材料产业园", ["钼丝精深加工", "钨钼合金棒材", "钼酸铵提纯", "溅射靶材", "钼箔轧制"]),
    "泵阀装备": ("高端装备制造专班", "高端装备制造产业园", ["核级阀门", "磁力驱动泵", "智能水务阀门", "泵阀铸件数字化车间", "化工流程泵"]),
    "新型装备制造": ("开源公司", "高端装备制造产业园", ["矿用机器人", "液压支架再制造", "风电齿轮箱", "工程机械零部件", "智能巡检装备"]),
    "节能环保和循环经济": ("节能环保专班", "循环经济产业园", ["废旧光伏组件回收", "粉煤灰综合利用", "餐厨垃圾资源化", "工业余热利用", "再生塑料造粒"]),
}
COMPANY_PLACES = [
    ("江苏省苏州市", "苏州"), ("浙江省杭州市", "杭州"), ("广东省深圳市", "深圳"), ("上海市", "上海"), ("北京市", "北京"),
    ("山东省青岛市", "青岛"), ("安徽省合肥市", "合肥"), ("河南省郑州市", "郑州"), ("湖南省长沙市", "长沙"),
    ("山西省太原市", "太原"), ("天津市", "天津"), ("陕西省西安市", "西安"), ("福建省厦门市", "厦门"),
]
COMPANY_WORDS = "恒泰华宇中晟鼎新瑞丰博远启明宏达嘉诚元亨卓越天成"
COMPANY_KINDS = ["科技有限公司", "新材料有限公司", "智能装备有限公司", "实业有限公司", "股份有限公司"]

LEAD_TEXT = (FollowUp.Kind.CALL, "通过以商招商获得投资线索，电话了解企业扩产计划", "寄送园区推介材料并邀请考察")
TALK_TEXTS = [
    (FollowUp.Kind.INSPECTION, "企业考察团来园区实地踏勘载体，对接配套条件", "提交项目投资方案"),
    (FollowUp.Kind.NEGOTIATION, "就用地、厂房代建和扶持政策开展洽谈", "细化投资协议条款"),
]
BUILD_TEXTS = [
    (FollowUp.Kind.VISIT, "协调办理立项、环评和施工许可等前期手续", "推动项目按计划开工"),
    (FollowUp.Kind.VISIT, "现场调度项目建设进度，协调用电、用水接入", "跟进设备进场和主体施工"),
    (FollowUp.Kind.EVENT, "专班召开项目推进会，梳理建设中的困难问题", "落实推进会议定事项"),
]
RUNNING_TEXT = (FollowUp.Kind.VISIT, "走访企业了解投产后经营情况和用工需求", "协助申报技改资金")
ARRIVAL_NOTES = ["项目建设资金", "设备购置款", "厂房建设资金"]


def months(start: dt.date, today: dt.date):
    """(first day, last day that may carry facts) of each month from start to today."""
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= today:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        yield dt.date(year, month, 1), min(last, today)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class _Zone:
    """What the generator needs of the zone, looked up once."""

    def __init__(self, zone):
        self.zone = zone
        self.units = {u.name: u for u in OrgUnit.objects.filter(zone=zone)}
        self.parks = {p.name: p for p in Park.objects.filter(zone=zone)}
        self.chains = {c.name: c for c in IndustryChain.objects.filter(zone=zone)}
        self.leaders = list(Person.objects.filter(zone=zone, is_leader=True).order_by("pk"))
        self.staff = {p.unit_id: p for p in Person.objects.filter(zone=zone, is_leader=False, unit__isnull=False).order_by("pk")}
        self.used_names = set(Project.objects.filter(zone=zone).values_list("name", flat=True))
        self.sequence = 5000


def _new_project(ctx: _Zone, rng: random.Random, on: dt.date, stage: str) -> Project:
    from zhaoshang.core.demo import _split, _uscc_for
    from zhaoshang.enterprises.actions import create_enterprise

    chain_name = rng.choice(sorted(CHAIN_PLAN))
    unit_name, park_name, words = CHAIN_PLAN[chain_name]
    for _attempt in range(50):
        name = f"{rng.choice(words)}{rng.choice(['', '二期', '扩产', '生产基地', '产业化'])}项目"
        if name not in ctx.used_names:
            break
        # No "…项目" here: a name must never contain another project's whole name.
        name = f"{on.year}年{rng.choice(words)}建设工程"
        if name not in ctx.used_names:
            break
    ctx.used_names.add(name)
    source, city = rng.choice(COMPANY_PLACES)
    ctx.sequence += 1
    company = f"{city}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}"
    investor = ctx.zone.enterprises.filter(name=company).first() or create_enterprise(
        zone=ctx.zone, name=company, uscc=_uscc_for(ctx.sequence, source[:2]), province=source[:3], city=source[3:],
    )
    province, city_name = _split(source)
    amount = rng.choice([2000, 3000, 5000, 6000, 8000, 8000, 9500, 12000, 15000, 20000, 30000, 50000, 80000, 120000])
    unit = ctx.units[unit_name]
    project = actions.create_project(
        zone=ctx.zone, name=name, investor=investor, chain=ctx.chains.get(chain_name),
        kind=Project.Kind.CHAIN, total_investment=Decimal(amount), is_fixed_asset=rng.random() < 0.85,
        source_province=province, source_city=city_name, responsible_unit=unit,
        park=ctx.parks.get(park_name) if stage == Stage.SIGNED else None,
        signed_on=on if stage == Stage.SIGNED else None,
        planned_start_on=on + dt.timedelta(days=rng.randint(20, 120)) if stage == Stage.SIGNED else None,
        contact_person=f"{rng.choice('张王李赵刘陈杨黄')}{rng.choice(['经理', '总', '主任'])}",
        contact_phone=f"13{rng.randint(100000000, 999999999)}",
        leaders=rng.sample(ctx.leaders, 1) if ctx.leaders else (),
        stage=stage, today=on,
    )
    kind, summary, next_step = LEAD_TEXT if stage == Stage.LEAD else rng.choice(TALK_TEXTS)
    _follow(ctx, project, on, kind, summary, next_step, rng)
    return project


def _follow(ctx, project, on, kind, summary, next_step, rng, ahead=None):
    person = ctx.staff.get(project.responsible_unit_id)
    actions.add_follow_up(
        project, date=on, kind=kind, summary=summary, next_step=next_step,
        next_date=on + dt.timedelta(days=ahead if ahead is not None else rng.randint(10, 40)),
        participants=[person] if person else (),
    )


def seed_living(zone, today: dt.date, seed: int = 20250401) -> int:
    """Months from April 2025 to `today`; returns how many projects were added."""
    if today < LIVING_FROM:
        return 0
    rng = random.Random(seed)
    ctx = _Zone(zone)
    added = 0

    def stage_of(stage):
        return list(Project.objects.filter(zone=zone, stage=stage).order_by("pk"))

    for first, last in months(LIVING_FROM, today):
        is_first_of_year = first.month == 1 and first.year == today.year
        # New leads, leads turning into talks, talks into signings.
        for _ in range(rng.randint(1, 2)):
            _new_project(ctx, rng, _day(rng, first, last), Stage.LEAD)
            added += 1
        leads = [p for p in stage_of(Stage.LEAD) if _last_fact(p) <= last]
        for project in rng.sample(leads, min(len(leads), rng.randint(0, 2))):
            on = max(_day(rng, first, last), _last_fact(project))
            actions.change_stage(project, to_stage=Stage.NEGOTIATING, on=on)
            _follow(ctx, project, on, *rng.choice(TALK_TEXTS), rng)
        signings = rng.randint(2, 3)
        talks = [p for p in stage_of(Stage.NEGOTIATING) if _last_fact(p) <= last]
        for project in rng.sample(talks, min(len(talks), rng.randint(0, 1))):
            on = max(_day(rng, first, last), _last_fact(project))
            actions.change_stage(project, to_stage=Stage.SIGNED, on=on)
            actions.update_project(project, planned_start_on=on + dt.timedelta(days=rng.randint(30, 120)),
                                   park=ctx.parks.get(CHAIN_PLAN.get(getattr(project.chain, "name", ""), ("", "", []))[1]))
            signings -= 1
        for _ in range(max(signings, 1)):
            _new_project(ctx, rng, _day(rng, first, last), Stage.SIGNED)
            added += 1
        # Starts: signed projects, the longest-waiting first; one each month is quick.
        waiting = sorted(stage_of(Stage.SIGNED), key=lambda p: (p.signed_on, p.pk))
        ready = [p for p in waiting if (last - p.signed_on).days >= 45]
        starters = ready[: rng.randint(1, 2)]
        quick = [p for p in waiting if p.signed_on >= first and p not in starters]
        if quick and (is_first_of_year or rng.random() < 0.6):
            starters.append(quick[0])
        for project in starters:
            on = max(_day(rng, first, last), _last_fact(project))
            actions.change_stage(project, to_stage=Stage.STARTED, on=on)
            _follow(ctx, project, on, *BUILD_TEXTS[1], rng)
        # Productions: started a year or more ago.
        running = [p for p in stage_of(Stage.STARTED) if (last - p.started_on).days >= 300]
        for project in running[: rng.randint(0, 1)]:
            on = max(_day(rng, first, last), _last_fact(project))
            actions.change_stage(project, to_stage=Stage.PRODUCING, on=on)
        # Money arrives on started projects.
        building = stage_of(Stage.STARTED)
        for project in rng.sample(building, min(len(building), rng.randint(2, 4))):
            amount = max(500, int(project.total_investment * Decimal(rng.uniform(0.04, 0.12)) / 100) * 100)
            on = max(_day(rng, first, last), project.started_on)
            actions.add_fund_arrival(project, date=on, amount=Decimal(amount), note=rng.choice(ARRIVAL_NOTES))
        # A project now and then falls through.
        if rng.random() < 0.15:
            talks = [p for p in stage_of(Stage.NEGOTIATING) if _last_fact(p) <= last]
            if talks:
                project = rng.choice(talks)
                actions.change_stage(project, to_stage=Stage.DROPPED, on=max(_day(rng, first, last), _last_fact(project)),
                                     reason="投资方调整投资计划，项目暂缓")
    _recent_follow_ups(ctx, zone, today, rng)
    return added


def _last_fact(project: Project) -> dt.date:
    dates = [d for d in (project.signed_on, project.started_on, project.producing_on) if d]
    dates += list(project.stage_changes.values_list("date", flat=True))
    return max(dates)


def _recent_follow_ups(ctx: _Zone, zone, today: dt.date, rng: random.Random) -> None:
    """Projects being worked on get a follow-up in the last weeks with a next step ahead;
    about one in eight keeps a next step that has slipped, as happens."""
    active = Project.objects.filter(zone=zone, stage__in=[Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED]).order_by("pk")
    for project in active:
        last_fact = _last_fact(project)
        latest = project.follow_ups.order_by("-date").values_list("date", flat=True).first()
        on = min(max(today - dt.timedelta(days=rng.randint(0, 20)), last_fact, latest or last_fact), today)
        if project.stage in (Stage.LEAD, Stage.NEGOTIATING):
            kind, summary, next_step = rng.choice(TALK_TEXTS)
        else:
            kind, summary, next_step = rng.choice(BUILD_TEXTS)
        if rng.random() < 0.12:
            # The next step slipped: promised for a few days ago, nothing recorded since.
            on = max(today - dt.timedelta(days=rng.randint(20, 40)), last_fact, latest or last_fact)
            ahead = max(0, (today - on).days - rng.randint(3, 10))
        else:
            ahead = (today - min(on, today)).days + rng.randint(3, 40)
        _follow(ctx, project, min(on, today), kind, summary, next_step, rng, ahead=ahead)
