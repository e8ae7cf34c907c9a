"""认定: an uncertified fact does not count; certified on D it counts as of D and later."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.projects import actions, kpi
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import Stage
from zhaoshang.review import actions as review
from zhaoshang.review.models import Claim

D = dt.date.fromisoformat
Y2024 = kpi.Period.year(2024)


def figures(zone, period=Y2024):
    return kpi.compute(kpi.scope(zone), period)


def test_without_certification_a_fact_counts_from_its_own_date(zone, make_project):
    project = make_project(amount="30000", signed_on="2024-03-01")
    claim = Claim.objects.get(project=project, kind="signed")
    assert (claim.status, claim.certified_on) == ("certified", D("2024-03-01"))
    assert figures(zone)["signed_count"] == 1
    assert kpi.pending(kpi.scope(zone), Y2024)["signed_count"] == 0


def test_an_uncertified_signing_does_not_count_until_certified_and_then_as_of_that_day(certifying, make_project, bureau_user):
    zone = certifying
    project = make_project(amount="30000", signed_on="2024-03-01")
    assert figures(zone)["signed_count"] == 0
    assert figures(zone)["signed_investment"] == Decimal("0.00")
    assert kpi.pending(kpi.scope(zone), Y2024)["signed_count"] == 1
    assert kpi.pending(kpi.scope(zone), Y2024)["signed_investment"] == 1

    review.certify([project.claims.get()], actor=bureau_user, on=D("2024-04-10"))

    on_the_day = figures(zone, kpi.Period.year(2024, as_of=D("2024-04-10")))
    day_before = figures(zone, kpi.Period.year(2024, as_of=D("2024-04-09")))
    assert (on_the_day["signed_count"], on_the_day["signed_investment"]) == (1, Decimal("30000.00"))
    assert day_before["signed_count"] == 0
    assert figures(zone)["signed_count"] == 1
    assert kpi.pending(kpi.scope(zone), Y2024)["signed_count"] == 0
    rows = kpi.projects_behind("signed_count", kpi.scope(zone), kpi.Period.year(2024, as_of=D("2024-04-09")))
    assert not rows.exists()


def test_a_start_waits_for_its_own_certification(certifying, make_project, bureau_user):
    zone = certifying
    project = make_project(signed_on="2024-03-01")
    review.certify(project.claims.all(), actor=bureau_user, on=D("2024-03-05"))
    actions.change_stage(project, to_stage=Stage.STARTED, on=D("2024-06-01"))
    result = figures(zone)
    assert (result["signed_count"], result["started_count"], result["new_started_count"]) == (1, 0, 0)
    assert kpi.pending(kpi.scope(zone), Y2024)["started_count"] == 1
    review.certify(project.claims.filter(kind="started"), actor=bureau_user, on=D("2024-07-01"))
    assert figures(zone)["started_count"] == 1
    assert figures(zone, kpi.Period.year(2024, as_of=D("2024-06-30")))["started_count"] == 0


def test_a_returned_claim_does_not_count_and_keeps_its_reason(certifying, make_project, bureau_user, unit_user, unit, client):
    project = make_project(signed_on="2024-03-01", responsible_unit=unit)
    claim = project.claims.get()
    review.return_claim(claim, actor=bureau_user, reason="合同扫描件缺少盖章页")
    claim.refresh_from_db()
    assert claim.status == "returned"
    assert figures(certifying)["signed_count"] == 0
    assert kpi.pending(kpi.scope(certifying), Y2024)["signed_count"] == 0
    client.force_login(unit_user)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "已退回" in page and "合同扫描件缺少盖章页" in page
    # Completed and sent again, it waits once more.
    review.resubmit(claim, actor=unit_user)
    assert kpi.pending(kpi.scope(certifying), Y2024)["signed_count"] == 1


def test_returning_needs_a_reason_and_only_the_bureau_certifies(certifying, make_project, bureau_user, unit_user, unit):
    project = make_project(signed_on="2024-03-01", responsible_unit=unit)
    claim = project.claims.get()
    with pytest.raises(ValidationError) as refused:
        review.return_claim(claim, actor=bureau_user, reason="  ")
    assert "退回需填写原因" in str(refused.value)
    with pytest.raises(PermissionDenied):
        review.certify([claim], actor=unit_user)
    with pytest.raises(ValidationError) as early:
        review.certify([claim], actor=bureau_user, on=D("2024-02-01"))
    assert "不能早于事项发生日期" in str(early.value)
    assert figures(certifying)["signed_count"] == 0


def test_a_re_signing_adds_no_count_and_no_amount(zone, make_project):
    project = make_project(amount="20000", signed_on="2024-03-01")
    actions.change_stage(project, to_stage=Stage.NEGOTIATING, on=D("2024-08-01"), reason="投资方调整方案")
    actions.change_stage(project, to_stage=Stage.SIGNED, on=D("2025-02-01"))
    project.refresh_from_db()
    assert project.signed_on == D("2024-03-01")  # the first signing
    assert figures(zone)["signed_count"] == 1
    later = figures(zone, kpi.Period.year(2025))
    assert (later["signed_count"], later["signed_investment"]) == (0, Decimal("0.00"))
    assert project.claims.filter(kind="signed").count() == 1


def test_a_re_signing_keeps_the_first_signings_certification(certifying, make_project, bureau_user):
    project = make_project(signed_on="2024-03-01")
    review.certify(project.claims.all(), actor=bureau_user, on=D("2024-03-20"))
    actions.change_stage(project, to_stage=Stage.NEGOTIATING, on=D("2024-08-01"), reason="重新谈判")
    assert figures(certifying)["signed_count"] == 0  # not signed now
    actions.change_stage(project, to_stage=Stage.SIGNED, on=D("2025-02-01"))
    assert figures(certifying)["signed_count"] == 1
    assert figures(certifying, kpi.Period.year(2025))["signed_count"] == 0
    assert kpi.pending(kpi.scope(certifying), kpi.Period.year(2025))["signed_count"] == 0


def test_a_capital_increase_adds_only_its_amount_in_its_own_period(zone, make_project):
    project = make_project(amount="10000", signed_on="2024-03-01")
    review.add_capital_increase(project, date=D("2025-02-01"), amount="5000", note="二期追加")
    project.refresh_from_db()
    assert project.total_investment == Decimal("15000.00")
    year_2024, year_2025 = figures(zone), figures(zone, kpi.Period.year(2025))
    assert (year_2024["signed_count"], year_2024["signed_investment"]) == (1, Decimal("10000.00"))
    assert (year_2025["signed_count"], year_2025["signed_investment"]) == (0, Decimal("5000.00"))
    # The drill-down of 签约总投资 lists the increase beside its project, adding up to the figure.
    rows = list(kpi.projects_behind("signed_investment", kpi.scope(zone), kpi.Period.year(2025)))
    assert [(row.pk, row.increase_amount, row.counted_amount) for row in rows] == [(project.pk, Decimal("5000.00"), Decimal("5000.00"))]
    # As of a day before the increase, 2025 has nothing.
    assert figures(zone, kpi.Period.year(2025, as_of=D("2025-01-31")))["signed_investment"] == Decimal("0.00")


def test_an_increase_signed_in_the_same_period_adds_both(zone, make_project):
    project = make_project(amount="10000", signed_on="2024-03-01")
    review.add_capital_increase(project, date=D("2024-09-01"), amount="2500")
    result = figures(zone)
    assert (result["signed_count"], result["signed_investment"]) == (1, Decimal("12500.00"))
    rows = kpi.projects_behind("signed_investment", kpi.scope(zone), Y2024)
    assert sum(row.counted_amount for row in rows) == Decimal("12500.00")


def test_a_pending_increase_does_not_count_until_certified(certifying, make_project, bureau_user):
    project = make_project(amount="10000", signed_on="2024-03-01")
    review.certify(project.claims.all(), actor=bureau_user, on=D("2024-03-02"))
    increase = review.add_capital_increase(project, date=D("2024-09-01"), amount="2500")
    assert figures(certifying)["signed_investment"] == Decimal("10000.00")
    assert kpi.pending(kpi.scope(certifying), Y2024)["signed_investment"] == 1
    project.refresh_from_db()
    assert project.total_investment == Decimal("10000.00")
    review.certify([increase.claim], actor=bureau_user, on=D("2024-10-01"))
    assert figures(certifying)["signed_investment"] == Decimal("12500.00")
    assert figures(certifying, kpi.Period.year(2024, as_of=D("2024-09-30")))["signed_investment"] == Decimal("10000.00")


@pytest.mark.parametrize("date, amount, message", [
    ("2024-02-01", "100", "不能早于签约日期"),
    ("2099-01-01", "100", "不能晚于今天"),
    ("2024-05-01", "-5", "应大于零"),
    ("2024-05-01", "abc", "无法识别"),
])
def test_bad_increases_are_refused_with_a_message(zone, make_project, date, amount, message):
    project = make_project(signed_on="2024-03-01")
    with pytest.raises(ValidationError) as refused:
        review.add_capital_increase(project, date=D(date), amount=amount)
    assert message in str(refused.value)
    assert not project.capital_increases.exists()


def test_an_unsigned_project_cannot_have_an_increase(zone, make_project):
    project = make_project(stage=Stage.NEGOTIATING)
    with pytest.raises(ValidationError, match="尚未签约"):
        review.add_capital_increase(project, date=D("2024-05-01"), amount="100")


def test_the_demo_zone_keeps_its_report_with_certification_on_and_pending_claims(demo_zone):
    from zhaoshang.review.demo import seed

    assert seed(demo_zone, today=D("2026-11-20")) == 4
    demo_zone.refresh_from_db()
    assert demo_zone.certification_required
    year = figures(demo_zone)
    assert (year["signed_count"], year["started_count"]) == (31, 25)
    assert kpi.format_amount(year["signed_investment"]) == "141.34亿元"
    assert kpi.format_rate(year["start_rate"]) == "80.65%"
    assert kpi.format_amount(year["new_started_investment"]) == "40.44亿元"
    assert kpi.format_amount(year["fai_funds_in_place"]) == "9.15亿元"
    quarter = figures(demo_zone, kpi.Period.quarter(2025, 1))
    assert (quarter["signed_count"], quarter["started_count"]) == (4, 2)
    assert kpi.format_amount(quarter["signed_investment"]) == "21.40亿元"
    november = kpi.Period(D("2026-11-01"), D("2026-11-30"))
    waiting = kpi.pending(kpi.scope(demo_zone), november)
    assert (waiting["signed_count"], waiting["new_started_count"], waiting["signed_investment"]) == (2, 1, 3)
    assert figures(demo_zone, november)["signed_count"] == 0
    assert Claim.objects.filter(project__zone=demo_zone, status="pending").count() == 4
    assert all(claim.evidence.exists() for claim in Claim.objects.filter(status="pending"))


def test_bulk_written_facts_are_taken_up_under_the_zones_rule(zone, make_project):
    project = make_project(signed_on="2024-03-01")
    # As the ledger's bulk insert leaves them: no certification, no claim.
    Project.objects.filter(pk=project.pk).update(signed_certified_on=None)
    Claim.objects.filter(project=project).delete()
    assert figures(zone)["signed_count"] == 0
    assert review.claim_unclaimed_facts(zone) == 1
    assert figures(zone)["signed_count"] == 1


def test_a_corrected_certified_signing_counts_at_its_new_date_and_keeps_what_was_certified(certifying, make_project, bureau_user):
    zone = certifying
    project = make_project(amount="30000", signed_on="2024-12-20")
    review.certify([project.claims.get()], actor=bureau_user, on=D("2024-12-28"))
    assert figures(zone)["signed_count"] == 1

    change = project.stage_changes.get(to_stage=Stage.SIGNED)
    actions.correct_stage_date(change, D("2025-01-05"), "合同落款日期为2025年1月5日", actor=bureau_user)

    claim = project.claims.get()
    assert (claim.date, claim.status, claim.certified_on, claim.certified_date) == (
        D("2025-01-05"), "certified", D("2024-12-28"), D("2024-12-20"))
    # The fact counts at its corrected date, still certified (certified by then, happened by then).
    assert (figures(zone)["signed_count"], figures(zone)["signed_investment"]) == (0, Decimal("0.00"))
    q1 = figures(zone, kpi.Period(D("2025-01-01"), D("2025-03-31")))
    assert (q1["signed_count"], q1["signed_investment"]) == (1, Decimal("30000.00"))
    assert figures(zone, kpi.Period(D("2025-01-01"), D("2025-01-04")))["signed_count"] == 0
    assert kpi.pending(kpi.scope(zone), kpi.Period(D("2025-01-01"), D("2025-03-31")))["signed_count"] == 0


def test_a_corrected_pending_claim_is_certified_against_its_new_date(certifying, make_project, bureau_user):
    project = make_project(amount="30000", signed_on="2024-03-01")
    change = project.stage_changes.get(to_stage=Stage.SIGNED)
    actions.correct_stage_date(change, D("2024-05-10"), "以合同为准")
    claim = project.claims.get()
    assert (claim.date, claim.status, claim.certified_date) == (D("2024-05-10"), "pending", None)
    with pytest.raises(ValidationError, match="认定日期（2024-04-01）不能早于事项发生日期（2024-05-10）"):
        review.certify([claim], actor=bureau_user, on=D("2024-04-01"))
    assert Claim.objects.get(pk=claim.pk).status == "pending"
    review.certify([claim], actor=bureau_user, on=D("2024-05-20"))
    assert Claim.objects.get(pk=claim.pk).certified_date == D("2024-05-10")
    assert figures(certifying, kpi.Period.year(2024, as_of=D("2024-05-20")))["signed_count"] == 1


def test_without_certification_a_corrected_fact_counts_from_its_new_date(zone, make_project):
    project = make_project(amount="30000", signed_on="2025-01-05", lead_on=D("2024-06-01"),
                           negotiating_on=D("2024-06-01"))
    actions.correct_stage_date(project.stage_changes.get(to_stage=Stage.SIGNED), D("2024-12-20"), "合同落款日期")
    claim = project.claims.get()
    assert (claim.date, claim.certified_on, claim.certified_date) == (D("2024-12-20"), D("2024-12-20"), D("2025-01-05"))
    result = figures(zone)
    assert (result["signed_count"], result["signed_investment"]) == (1, Decimal("30000.00"))
    assert figures(zone, kpi.Period(D("2025-01-01"), D("2025-03-31")))["signed_count"] == 0
