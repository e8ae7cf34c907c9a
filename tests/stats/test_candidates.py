"""The 入规 pipeline: enterprises over or near their sector's threshold, by year."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhaoshang.stats import actions, selectors, thresholds
from zhaoshang.stats.models import Threshold


def by_name(found):
    return {c.enterprise.name: c for c in found}


@pytest.mark.django_db
def test_the_national_thresholds_are_seeded_as_editable_rows():
    rows = {t.industry_code: t for t in Threshold.objects.filter(from_year=thresholds.SEED_YEAR)}
    assert len(rows) == len(thresholds.SEED) == 23
    assert rows["C"].min_revenue == Decimal("2000")
    assert rows["F51"].min_revenue == Decimal("2000")
    assert rows["F52"].min_revenue == Decimal("500")
    assert rows["H61"].min_revenue == rows["H62"].min_revenue == Decimal("200")
    assert rows["G"].min_revenue == rows["I"].min_revenue == rows["N"].min_revenue == rows["Q84"].min_revenue == Decimal("2000")
    assert rows["L"].min_revenue == rows["M"].min_revenue == rows["P"].min_revenue == rows["K702"].min_revenue == Decimal("1000")
    assert rows["O"].min_revenue == rows["R"].min_revenue == rows["Q85"].min_revenue == Decimal("500")
    assert rows["E"].basis == Threshold.Basis.QUALIFICATION
    assert rows["K701"].basis == Threshold.Basis.ALL


def test_candidates_at_the_edges_of_several_sectors(zone, make_company):
    make_company("制造恰好达标", "C", {2024: "2000"})
    make_company("制造差一分", "C", {2024: "1999.99"})
    make_company("制造恰好八成", "C", {2024: "1600"})
    make_company("制造不到八成", "C", {2024: "1599.99"})
    make_company("零售达标", "F52", {2024: "500"})
    make_company("零售八成", "F52", {2024: "400"})
    make_company("零售不足", "F52", {2024: "399"})
    make_company("批发500万不够", "F51", {2024: "500"})
    make_company("餐饮达标", "H62", {2024: "200"})
    make_company("软件1000万只到一半", "I", {2024: "1000"})
    make_company("商务服务1000万达标", "L", {2024: "1000"})
    make_company("居民服务九成", "O", {2024: "450"})
    make_company("已入统的大厂", "C", {2024: "50000"}, in_statistics=True)
    make_company("有资质的建筑公司", "E", qualification="建筑工程施工总承包二级")
    make_company("无资质的建筑公司", "E", {2024: "9000"})
    make_company("房地产开发公司", "K701")
    make_company("金融公司不在四上", "J", {2024: "90000"})
    make_company("只有2023年数据", "C", {2023: "3000"})

    found = by_name(selectors.candidates(zone, 2024))

    over = {name for name, c in found.items() if c.status == selectors.OVER}
    near = {name for name, c in found.items() if c.status == selectors.NEAR}
    assert over == {"制造恰好达标", "零售达标", "餐饮达标", "商务服务1000万达标", "有资质的建筑公司", "房地产开发公司"}
    assert near == {"制造差一分", "制造恰好八成", "零售八成", "居民服务九成"}
    assert found["制造恰好达标"].evidence == "2024年主营业务收入 2,000万元，门槛 2000万元（达到门槛的 100.00%）"
    assert found["制造恰好八成"].share == Decimal("0.8")
    assert found["居民服务九成"].evidence.endswith("门槛 500万元（达到门槛的 90.00%）")
    assert found["有资质的建筑公司"].evidence == "具有建筑业资质：建筑工程施工总承包二级"
    assert found["零售达标"].group_label == "限额以上批发和零售业"


def test_two_years_under_different_rules(zone, make_company):
    """A threshold raised from 2025 applies to 2025 figures only."""
    actions.create_threshold(industry_code="F52", from_year=2025, min_revenue="800", source="测试：省定标准")
    make_company("便利店连锁", "F52", {2024: "600", 2025: "700"})
    make_company("社区超市", "F52", {2024: "450", 2025: "600"})

    in_2024 = by_name(selectors.candidates(zone, 2024))
    in_2025 = by_name(selectors.candidates(zone, 2025))

    assert in_2024["便利店连锁"].status == selectors.OVER
    assert in_2024["便利店连锁"].threshold.min_revenue == Decimal("500")
    assert in_2024["社区超市"].status == selectors.NEAR
    assert in_2025["便利店连锁"].status == selectors.NEAR  # 700 of 800 = 87.5%
    assert in_2025["便利店连锁"].threshold.from_year == 2025
    assert "社区超市" not in in_2025  # 600 of 800 = 75%


def test_an_enterprise_put_in_the_statistics_leaves_the_pipeline(zone, make_company):
    company = make_company("晶显光电", "C", {2024: "2600"})
    assert [c.enterprise for c in selectors.candidates(zone, 2024)] == [company]
    actions.update_profile(company, in_statistics=True)
    assert selectors.candidates(zone, 2024) == []


def test_other_zones_are_not_mixed_in(zone, other_zone, make_company):
    make_company("外区工厂", "C", {2024: "9000"}, company_zone=other_zone)
    assert selectors.candidates(zone, 2024) == []


def test_a_revenue_threshold_needs_an_amount(db):
    with pytest.raises(Exception) as error:
        actions.create_threshold(industry_code="C", from_year=2026, basis="revenue", min_revenue=None)
    assert "收入门槛" in str(error.value)


def test_the_command_lists_the_candidates_as_json(zone, make_company, capsys):
    make_company("钼靶材厂", "C", {2024: "2500"}, employees=80)
    make_company("物流公司", "G", {2024: "1700"})
    call_command("above_scale", "--zone", zone.code, "--year", "2024", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["year"] == 2024
    assert [row["enterprise"] for row in payload["over"]] == ["钼靶材厂"]
    assert payload["over"][0]["threshold"] == 2000.0
    assert payload["over"][0]["revenue"] == 2500.0
    assert payload["over"][0]["employees"] == 80
    assert [(row["enterprise"], row["share"]) for row in payload["near"]] == [("物流公司", 0.85)]


def test_the_command_prints_a_table(zone, make_company, capsys):
    make_company("钼靶材厂", "C", {2024: "2500"})
    call_command("above_scale", "--zone", zone.code, "--year", "2024")
    out = capsys.readouterr().out
    assert "已达门槛、尚未入统：1 家" in out
    assert "钼靶材厂" in out and "达到门槛的 125.00%" in out


def test_the_command_rejects_a_bad_year(zone):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="年度“20x4”无效"):
        call_command("above_scale", "--zone", zone.code, "--year", "20x4")
