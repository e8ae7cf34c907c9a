"""The fund pages, with the personas."""

import pytest
from django.urls import reverse

from zhaoshang.funds.models import Fund, Investment


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_fund_list_shows_the_figures(as_user, bureau_user, fund_case):
    page = as_user(bureau_user).get(reverse("funds:list")).content.decode()
    assert "阳泉产业母基金" in page and "新能源子基金" in page
    assert "10.63倍" in page  # sub-fund A's leverage
    assert 'id="total-leverage">8.50倍' in page


def test_the_fund_page(as_user, bureau_user, fund_case):
    page = as_user(bureau_user).get(reverse("funds:detail", args=[fund_case["mother"].pk])).content.decode()
    assert "储能电池基地项目" in page and "阳泉本地初创公司" in page
    assert "2.67倍" in page  # amplification


def test_funds_are_for_the_leadership_and_bureau(as_user, unit_user, park_user, observer_user, fund_case):
    for user in (unit_user, park_user, observer_user):
        client = as_user(user)
        response = client.get(reverse("funds:list"))
        page = response.content.decode()
        # Not allowed is said as such, not as an empty list ("尚无基金", 0.00亿元).
        assert response.status_code == 403 and "无权查看" in page
        assert "阳泉产业母基金" not in page and "尚无基金" not in page
        assert client.get(reverse("funds:detail", args=[fund_case["a"].pk])).status_code == 403


def test_the_bureau_creates_a_sub_fund_and_records_an_investment(as_user, bureau_user, fund_case):
    client = as_user(bureau_user)
    response = client.post(reverse("funds:create"), {
        "name": "高端装备子基金", "parent": fund_case["mother"].pk, "manager": "某创投", "size": "20000",
        "parent_commitment": "6000", "reinvest_target": "1.2", "established_on": "2025-01-15",
    })
    assert response.status_code == 302
    fund = Fund.objects.get(name="高端装备子基金")
    assert fund.parent == fund_case["mother"]
    response = client.post(reverse("funds:detail", args=[fund.pk]), {
        "form": "investment", "project": fund_case["p2"].pk, "date": "2025-03-01", "amount": "1500",
        "round": "project", "is_local": "on",
    })
    assert response.status_code == 302
    investment = Investment.objects.get(fund=fund)
    assert investment.amount == 1500 and investment.is_local
    response = client.post(reverse("funds:detail", args=[fund.pk]), {"form": "call", "date": "2025-02-01", "amount": "30000"})
    assert response.status_code == 400
    assert "将超过认缴规模" in response.content.decode()


def test_a_bad_fund_form_names_the_problem(as_user, bureau_user, fund_case):
    response = as_user(bureau_user).post(reverse("funds:create"), {
        "name": "小基金", "parent": fund_case["mother"].pk, "size": "1000", "parent_commitment": "2000"})
    assert response.status_code == 400
    assert "母基金认缴出资（2,000万元）不能超过子基金规模（1,000万元）" in response.content.decode()


def test_leadership_reads_but_may_not_write(as_user, make_user, zone, fund_case):
    leader = make_user("leader", zone, "leadership")
    client = as_user(leader)
    assert client.get(reverse("funds:detail", args=[fund_case["a"].pk])).status_code == 200
    assert client.get(reverse("funds:create")).status_code == 403
    response = client.post(reverse("funds:detail", args=[fund_case["a"].pk]), {"form": "call", "date": "2025-02-01", "amount": "1"})
    assert response.status_code == 403


def test_editing_and_deleting(as_user, bureau_user, zone, fund_case):
    client = as_user(bureau_user)
    url = reverse("funds:edit", args=[fund_case["b"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "数字经济子基金", "parent": fund_case["mother"].pk, "size": "35000", "parent_commitment": "10000"})
    assert response.status_code == 302
    fund_case["b"].refresh_from_db()
    assert fund_case["b"].size == 35000
    investment = Investment.objects.get(fund=fund_case["b"])
    assert client.post(reverse("funds:investment_delete", args=[investment.pk])).status_code == 302
    assert client.post(reverse("funds:delete", args=[fund_case["b"].pk])).status_code == 302
    assert not Fund.objects.filter(pk=fund_case["b"].pk).exists()


def test_the_fund_list_costs_the_same_queries_however_many_funds(as_user, bureau_user, zone, fund_case):
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.funds import actions

    client = as_user(bureau_user)
    client.get(reverse("funds:list"))  # sessions and caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("funds:list"))
    for number in range(8):
        sub = actions.create_fund(zone=zone, name=f"子基金{number}", size=Decimal("1000"), parent=fund_case["mother"],
                                  parent_commitment=Decimal("100"))
        actions.add_investment(sub, date=fund_case["p1"].signed_on, amount=Decimal("10"), project=fund_case["p1"])
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("funds:list")).content.decode()
    assert "子基金7" in page
    assert len(many) == len(few)
