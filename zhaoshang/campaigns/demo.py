"""Demo campaigns for 阳泉高新区, dated back from the seed's today: a finished and reported
trip to 深圳 whose visits brought two leads, an approved trip to 上海 under way, a signing
ceremony of the year's signed projects, a delegation received, and an introducer with a
reward policy and a credited project."""

import datetime as dt
from decimal import Decimal

from zhaoshang.campaigns import actions
from zhaoshang.campaigns.models import Event, Source, TripVisit
from zhaoshang.core.models import OrgUnit, Person
from zhaoshang.projects.models import Project

DAY = dt.timedelta(days=1)


def seed(zone, today: dt.date | None = None) -> None:
    """The demo zone's campaigns, dated back from `today` (the seed's day by default)."""
    from django.utils import timezone

    seed_campaigns(zone, today or timezone.localdate())


def seed_campaigns(zone, today: dt.date) -> None:
    units = {unit.name: unit for unit in OrgUnit.objects.filter(zone=zone)}
    bureau = units.get("投资促进局")
    digital = units.get("数字经济专班") or next(iter(units.values()))
    energy = units.get("新能源新材料专班") or digital
    staff = list(Person.objects.filter(zone=zone, unit__in=[digital, energy]))
    leaders = list(Person.objects.filter(zone=zone, is_leader=True)[:1])

    # A trip to 深圳 six weeks ago, done and reported, that brought two leads.
    start = today - 44 * DAY
    shenzhen = actions.create_trip(
        zone=zone, title="赴深圳开展数字经济产业链招商", unit=digital, start_on=start, end_on=start + 2 * DAY,
        province="广东省", city="深圳市", purpose="对接智能终端、算力服务企业，推介中电数字经济产业园二期",
        team=leaders + [p for p in staff if p.unit_id == digital.pk],
    )
    shenzhen = actions.approve_trip(shenzhen)
    visits = [
        (0, "深圳迅联智能终端有限公司", "副总经理", "介绍产业园载体与算力资源，企业有意建设北方组装基地", "lead", "迅联智能终端北方组装基地项目", "30000"),
        (0, "深圳云岭算力科技有限公司", "董事长", "洽谈边缘数据中心合作，约定来阳泉考察", "lead", "云岭边缘算力中心项目", "18000"),
        (1, "深圳芯衡电子有限公司", "投资总监", "了解其扩产计划，暂无北方布局", "none", "", ""),
        (2, "深圳华拓新能源有限公司", "总经理", "介绍储能产业基础与配套政策", "none", "", ""),
    ]
    for offset, company, met, talk, outcome, lead, amount in visits:
        actions.add_visit(
            shenzhen, date=start + offset * DAY, company_name=company, met_with=met, discussion=talk,
            outcome=TripVisit.Outcome.LEAD if outcome == "lead" else TripVisit.Outcome.NONE,
            lead_name=lead, lead_amount=Decimal(amount) if amount else None,
            next_step="邀请来区考察" if outcome == "lead" else "", next_date=today + 14 * DAY if outcome == "lead" else None,
        )
    shenzhen = actions.complete_trip(shenzhen, summary="拜访企业4家，形成线索2个，已邀请两家企业来区实地考察。", today=today)
    actions.report_trip(shenzhen)

    # A trip to 上海 approved and under way (or just ahead).
    shanghai = actions.create_trip(
        zone=zone, title="赴上海对接新能源电池材料企业", unit=energy, start_on=today - DAY, end_on=today + DAY,
        province="上海市", city="上海市", purpose="拜访正负极材料与电池回收企业，宣介新材料产业园",
        team=[p for p in staff if p.unit_id == energy.pk],
    )
    shanghai = actions.approve_trip(shanghai)
    actions.add_visit(
        shanghai, date=today - DAY, company_name="上海锂源新材料股份有限公司", met_with="董事会秘书",
        discussion="介绍钨钼与新能源材料配套，企业关注用地与能耗指标",
    )

    # This year's signing ceremony: the projects signed this year, up to six.
    signed = list(
        Project.objects.filter(zone=zone, signed_on__year=today.year, signed_on__lte=today, merged_into__isnull=True)
        .order_by("signed_on", "pk")[:6]
    )
    if signed:
        ceremony = actions.create_event(
            zone=zone, kind=Event.Kind.CEREMONY, title=f"{today.year}年阳泉高新区重点项目集中签约仪式",
            date=signed[-1].signed_on, place="阳泉高新区管委会报告厅", organiser=bureau,
            attendees="管委会主要领导、投资促进局、各招商专班", notes="",
        )
        for project in signed:
            actions.add_event_project(ceremony, project=project)

    # A delegation received last month.
    actions.create_event(
        zone=zone, kind=Event.Kind.RECEPTION, title="北京中关村企业家考察团来区考察", date=today - 20 * DAY,
        place="中电数字经济产业园二期", organiser=digital, attendees="数字经济专班",
        guests="中关村数字经济企业8家、企业家15人",
    )

    # An introducer credited with a signed project that has money in place.
    introducer = actions.create_introducer(
        zone=zone, name="李文博", kind="introducer", organisation="阳泉市在京商会", phone="13900001111",
    )
    actions.create_reward_rule(
        zone=zone, name="引荐重大项目奖励办法（试行）", tiers=[("10000", "3"), ("50000", "2"), (None, "1.5")],
        cap=Decimal("100"), start_within_days=365,
    )
    credited = (
        Project.objects.filter(zone=zone, fund_arrivals__isnull=False, started_on__isnull=False, is_fixed_asset=True, source__isnull=True)
        .distinct().order_by("-signed_on", "pk").first()
    )
    if credited is not None:
        actions.set_project_source(credited, kind=Source.INTRODUCER, introducer=introducer, note="经商会引荐")
