"""The policy pages, with the personas."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.policies import actions
from zhaoshang.policies.models import Claim, Payment, Policy


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_policy_library(as_user, unit_user, park, growth_policy, make_policy):
    make_policy("厂房租金减免", [("park", "in", "新材料产业园")], benefit_kind="rent_relief", level="city")
    client = as_user(unit_user)
    page = client.get(reverse("policies:list")).content.decode()
    assert "专精特新企业成长奖励" in page and "厂房租金减免" in page
    page = client.get(reverse("policies:list"), {"level": "city"}).content.decode()
    assert "厂房租金减免" in page and "专精特新企业成长奖励" not in page


def test_a_policy_page_lists_who_qualifies_and_who_nearly_does(as_user, bureau_user, battery_maker, small_shop, make_policy):
    policy = make_policy("研发投入奖励", [("sector", "in", "C"), ("employees", "gte", "100")])
    page = as_user(bureau_user).get(reverse("policies:detail", args=[policy.pk])).content.decode()
    assert "常州锂源新能源科技有限公司" in page.split('id="qualifies"')[1].split('id="nearly"')[0]
    assert "国民经济行业分类 属于 C" in page


def test_the_bureau_writes_a_policy_with_its_rules_in_a_form(as_user, bureau_user, battery_maker):
    data = {
        "title": "新能源企业上规奖励", "level": "district", "document_number": "阳高管发〔2025〕3号",
        "valid_from": "2025-01-01", "valid_to": "2027-12-31", "benefit_kind": "reward", "benefit": "奖励20万元",
        "max_amount": "20", "summary": "", "is_active": "on",
        "conditions-TOTAL_FORMS": "3", "conditions-INITIAL_FORMS": "0",
        "conditions-0-field": "chain", "conditions-0-operator": "in", "conditions-0-value": "新能源电池及材料",
        "conditions-1-field": "revenue", "conditions-1-operator": "gte", "conditions-1-value": "2000万",
        "conditions-2-field": "", "conditions-2-operator": "in", "conditions-2-value": "",
    }
    response = as_user(bureau_user).post(reverse("policies:create"), data)
    assert response.status_code == 302
    policy = Policy.objects.get(title="新能源企业上规奖励")
    assert [(c.field, c.operator, c.value) for c in policy.conditions.all()] == [
        ("chain", "in", "新能源电池及材料"), ("revenue", "gte", "2000")]
    # and edits it: a bad condition is named, nothing is changed
    data["conditions-1-value"] = "两千万"
    data["title"] = "改名了"
    response = as_user(bureau_user).post(reverse("policies:edit", args=[policy.pk]), data)
    assert response.status_code == 400
    assert "第2个条件：“上年度主营业务收入”的取值“两千万”不是数字" in response.content.decode()
    policy.refresh_from_db()
    assert policy.title == "新能源企业上规奖励" and policy.conditions.count() == 2


def test_a_unit_member_may_not_write_policies(as_user, unit_user, growth_policy):
    client = as_user(unit_user)
    assert client.get(reverse("policies:create")).status_code == 403
    assert client.post(reverse("policies:edit", args=[growth_policy.pk]), {}).status_code == 403
    assert client.post(reverse("policies:delete", args=[growth_policy.pk])).status_code == 403


def test_a_policy_of_another_zone_is_not_found(as_user, bureau_user, other_zone):
    policy = actions.create_policy(zone=other_zone, title="外区政策")
    assert as_user(bureau_user).get(reverse("policies:detail", args=[policy.pk])).status_code == 404


def test_the_enterprise_page_lists_its_policies_and_records_a_claim(as_user, unit_user, battery_maker, growth_policy, make_policy):
    make_policy("规上工业扩产奖励", [("sector", "in", "C"), ("revenue", "gte", "5000")])
    client = as_user(unit_user)
    url = reverse("policies:enterprise", args=[battery_maker.pk])
    page = client.get(url).content.decode()
    assert "专精特新企业成长奖励" in page
    assert "上年度主营业务收入 ≥ 5000万元（现为：2600万元）" in page
    response = client.post(url, {"policy": growth_policy.pk, "applied_on": "2025-06-01", "amount_claimed": "50", "notes": ""})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.enterprise, claim.policy, claim.amount_claimed, claim.recorded_by) == (battery_maker, growth_policy, 50, unit_user)
    page = client.get(url).content.decode()
    assert "已申报" in page and "2025-06-01" in page


def test_a_claim_over_the_maximum_is_refused_on_the_page(as_user, unit_user, battery_maker, growth_policy):
    response = as_user(unit_user).post(
        reverse("policies:enterprise", args=[battery_maker.pk]),
        {"policy": growth_policy.pk, "applied_on": "2025-06-01", "amount_claimed": "80"},
    )
    assert response.status_code == 400
    assert "申报金额 80万元 超过政策最高金额 50万元" in response.content.decode()
    assert not Claim.objects.exists()


def test_others_enterprises_are_not_found_and_readers_may_not_claim(
    as_user, other_unit_user, observer_user, make_user, zone, battery_maker, growth_policy
):
    url = reverse("policies:enterprise", args=[battery_maker.pk])
    assert as_user(other_unit_user).get(url).status_code == 404
    assert as_user(observer_user).get(url).status_code == 404
    leader = make_user("leader", zone, "leadership")
    client = as_user(leader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"policy": growth_policy.pk, "applied_on": "2025-06-01"}).status_code == 403


def test_the_panel_for_the_enterprise_page(as_user, bureau_user, battery_maker, growth_policy):
    response = as_user(bureau_user).get(reverse("policies:enterprise_panel", args=[battery_maker.pk]))
    assert response.status_code == 200
    assert "专精特新企业成长奖励" in response.content.decode()


def test_the_project_page(as_user, unit_user, battery_maker, make_policy):
    from zhaoshang.projects.models import Project

    make_policy("开工奖励", [("stage", "in", "开工")])
    project = Project.objects.get(investor=battery_maker)
    page = as_user(unit_user).get(reverse("policies:project", args=[project.pk])).content.decode()
    assert "开工奖励" in page


def test_the_bureau_approves_and_pays_a_claim(as_user, bureau_user, unit_user, battery_maker, growth_policy):
    claim = actions.record_claim(policy=growth_policy, enterprise=battery_maker, applied_on=dt.date(2025, 3, 1),
                                 amount_claimed=Decimal("50"))
    url = reverse("policies:claim", args=[claim.pk])
    assert as_user(unit_user).get(url).status_code == 200
    assert as_user(unit_user).post(url, {"form": "decision"}).status_code == 403
    client = as_user(bureau_user)
    assert client.post(url, {"form": "decision", "status": "approved", "decided_on": "2025-03-20", "amount_approved": "40"}).status_code == 302
    assert client.post(url, {"form": "payment", "paid_on": "2025-04-01", "amount": "40"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID and Payment.objects.get().amount == 40
    response = client.post(url, {"form": "payment", "paid_on": "2025-04-02", "amount": "1"})
    assert response.status_code == 400 and "将超过核定金额" in response.content.decode()


def test_the_claims_page_totals(as_user, bureau_user, battery_maker, growth_policy, make_policy):
    other = make_policy("租金减免", [])
    actions.record_claim(policy=growth_policy, enterprise=battery_maker, applied_on=dt.date(2025, 3, 1), amount_claimed=Decimal("50"))
    actions.record_claim(policy=other, enterprise=battery_maker, applied_on=dt.date(2025, 4, 1), amount_claimed=Decimal("12.5"))
    client = as_user(bureau_user)
    page = client.get(reverse("policies:claims")).content.decode()
    assert "62.50万元" in page
    page = client.get(reverse("policies:claims"), {"policy": other.pk}).content.decode()
    assert "12.50万元" in page and "62.50万元" not in page
