"""Policy rules as data: qualifying, nearly qualifying with the missing conditions named."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.policies import actions, facts, rules, selectors
from zhaoshang.policies.models import Claim

from .conftest import TODAY


def test_an_enterprise_that_meets_every_condition_qualifies(battery_maker, growth_policy):
    found = selectors.matches_for_enterprise(battery_maker, TODAY)
    assert [m.policy for m in found[rules.QUALIFIES]] == [growth_policy]
    assert found[rules.NEARLY] == []


def test_the_facts_come_from_what_the_platform_knows(battery_maker):
    known = facts.enterprise_facts(battery_maker, TODAY)[battery_maker.pk]
    assert known["chain"] == {"新能源电池及材料"}
    assert known["cluster"] == {"新能源新材料"}
    assert known["tag"] == {"专精特新", "高新技术企业"}
    assert known["sector"] == {"C"}
    assert known["park"] == {"新材料产业园"}
    assert known["stage"] == {"开工"}
    assert known["revenue"] == Decimal("2600")  # the latest year
    assert known["employees"] == Decimal("120")
    assert known["total_investment"] == known["fixed_asset_investment"] == Decimal("30000")
    assert known["years_since_landing"] == Decimal("3")  # 2022-03-01 → 2025-06-30
    assert known["in_statistics"] is True


def test_nearly_qualifying_names_the_missing_conditions(zone, battery_maker, make_policy):
    policy = make_policy("规上工业企业扩产奖励", [
        ("sector", "in", "制造业"),
        ("revenue", "gte", "5000"),
        ("employees", "gte", "300"),
        ("in_statistics", "is", "是"),
    ])
    found = selectors.matches_for_enterprise(battery_maker, TODAY)
    [match] = found[rules.NEARLY]
    assert match.policy == policy
    assert [c.missing_text for c in match.missing] == [
        "上年度主营业务收入 ≥ 5000万元（现为：2600万元）",
        "从业人员 ≥ 300人（现为：120人）",
    ]


def test_three_missing_conditions_is_not_nearly(battery_maker, make_policy):
    make_policy("总部企业奖励", [
        ("revenue", "gte", "1亿"),
        ("employees", "gte", "1000"),
        ("tag", "in", "500强"),
        ("sector", "in", "C"),
    ])
    found = selectors.matches_for_enterprise(battery_maker, TODAY)
    assert found[rules.QUALIFIES] == [] and found[rules.NEARLY] == []


def test_unknown_facts_count_as_missing_and_say_so(small_shop, growth_policy):
    match = rules.evaluate(growth_policy, growth_policy.conditions.all(), facts.enterprise_facts(small_shop, TODAY)[small_shop.pk])
    assert match.status == rules.NO
    assert "上年度主营业务收入 ≥ 2000万元（现为：未知）" in [c.missing_text for c in match.missing]
    assert "企业标签 属于 专精特新、小巨人（现为：无）" in [c.missing_text for c in match.missing]


def test_a_project_is_matched_on_its_own_facts_and_its_investors(battery_maker, make_policy):
    from zhaoshang.projects.models import Project

    make_policy("亿元以上固投项目开工奖励", [
        ("fixed_asset_investment", "gte", "1亿"), ("stage", "in", "开工、投产"), ("park", "in", "新材料产业园"),
    ])
    project = Project.objects.get(investor=battery_maker)
    found = selectors.matches_for_project(project, TODAY)
    assert [m.policy.title for m in found[rules.QUALIFIES]] == ["亿元以上固投项目开工奖励"]


def test_policies_out_of_their_validity_are_not_offered(battery_maker, make_policy):
    make_policy("已过期政策", [("tag", "in", "专精特新")], valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2023, 12, 31))
    make_policy("停用政策", [("tag", "in", "专精特新")], is_active=False)
    found = selectors.matches_for_enterprise(battery_maker, TODAY)
    assert found[rules.QUALIFIES] == []


def test_not_in_and_years_and_booleans(battery_maker, make_policy):
    make_policy("新落户非规上企业培育", [("in_statistics", "is", "否"), ("years_since_landing", "gte", "2")])
    make_policy("非电池行业政策", [("chain", "not_in", "新能源电池及材料")])
    found = selectors.matches_for_enterprise(battery_maker, TODAY)
    assert found[rules.QUALIFIES] == []
    [near] = found[rules.NEARLY]
    assert near.policy.title == "新落户非规上企业培育"
    assert [c.missing_text for c in near.missing] == ["已纳入统计（四上）：否（现为：是）"]


def test_for_a_policy_the_enterprises_that_qualify_and_have_not_claimed(zone, battery_maker, small_shop, growth_policy):
    from zhaoshang.enterprises.models import Enterprise

    found = selectors.enterprises_for_policy(growth_policy, Enterprise.objects.all(), TODAY)
    assert [e for e, _m in found[rules.QUALIFIES]] == [battery_maker]
    actions.record_claim(policy=growth_policy, enterprise=battery_maker, applied_on=TODAY, amount_claimed=Decimal("50"))
    found = selectors.enterprises_for_policy(growth_policy, Enterprise.objects.all(), TODAY)
    assert found[rules.QUALIFIES] == []
    assert [e for e, _m in found["claimed"]] == [battery_maker]


@pytest.mark.parametrize(
    ("field", "operator", "value", "message"),
    [
        ("chain", "in", "量子计算", "产业链“量子计算”不存在"),
        ("revenue", "gte", "很多", "取值“很多”不是数字"),
        ("revenue", "in", "2000", "只能用 ≥、>、≤、<、= 比较"),
        ("tag", "in", "", "取值不能为空"),
        ("tag", "in", "独角兽企业", "企业标签“独角兽企业”不存在"),
        ("in_statistics", "is", "也许", "只能是“是”或“否”"),
        ("favourite_colour", "in", "红", "条件项“favourite_colour”不存在"),
    ],
)
def test_a_bad_condition_is_refused_with_its_place_and_reason(zone, field, operator, value, message):
    with pytest.raises(ValidationError) as error:
        actions.create_policy(zone=zone, title="错误政策", conditions=[("tag", "in", "专精特新"), (field, operator, value)])
    assert any("第2个条件" in m and message in m for m in error.value.messages), error.value.messages


def test_condition_values_are_stored_as_the_platform_spells_them(zone, make_policy):
    policy = make_policy("规范写法", [("stage", "in", "started, 投产"), ("revenue", "gte", "1.5亿"), ("sector", "in", "零售业")])
    assert [c.value for c in policy.conditions.all()] == ["开工、投产", "15000", "F52"]
    assert [str(c) for c in policy.conditions.all()] == [
        "项目阶段 属于 开工、投产", "上年度主营业务收入 ≥ 15,000万元", "国民经济行业分类 属于 F52",
    ]


def test_claims_and_payments(battery_maker, growth_policy):
    claim = actions.record_claim(policy=growth_policy, enterprise=battery_maker, applied_on=dt.date(2025, 3, 1),
                                 amount_claimed=Decimal("50"))
    with pytest.raises(ValidationError, match="尚未批准"):
        actions.add_payment(claim, paid_on=dt.date(2025, 4, 1), amount=Decimal("10"))
    actions.decide_claim(claim, status=Claim.Status.APPROVED, decided_on=dt.date(2025, 3, 20), amount_approved=Decimal("40"))
    actions.add_payment(claim, paid_on=dt.date(2025, 4, 1), amount=Decimal("25"))
    with pytest.raises(ValidationError, match="将超过核定金额"):
        actions.add_payment(claim, paid_on=dt.date(2025, 5, 1), amount=Decimal("20"))
    actions.add_payment(claim, paid_on=dt.date(2025, 5, 1), amount=Decimal("15"))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID
    totals = selectors.claim_totals(Claim.objects.filter(policy=growth_policy))
    assert totals == {"count": 1, "claimed": Decimal("50"), "approved": Decimal("40"), "paid": Decimal("40")}


def test_a_claim_over_the_policy_maximum_is_refused(battery_maker, growth_policy):
    with pytest.raises(ValidationError, match="超过政策最高金额"):
        actions.record_claim(policy=growth_policy, enterprise=battery_maker, applied_on=TODAY, amount_claimed=Decimal("80"))


def test_a_claim_for_someone_elses_project_is_refused(battery_maker, small_shop, growth_policy):
    from zhaoshang.projects.models import Project

    with pytest.raises(ValidationError, match="投资主体不是"):
        actions.record_claim(policy=growth_policy, enterprise=small_shop, project=Project.objects.get(investor=battery_maker),
                             applied_on=TODAY)
