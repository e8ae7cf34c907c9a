"""The date rules and the requirements table as the ledger import calls them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.projects import requirements, rules

D = dt.date.fromisoformat
TODAY = D("2025-06-30")


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


def test_check_fact_dates_refuses_the_future_and_disorder_naming_the_field():
    rules.check_fact_dates(lead_on=D("2024-01-05"), signed_on=D("2024-03-10"), started_on=D("2024-06-01"), today=TODAY)
    assert refused(rules.check_fact_dates, started_on=D("2025-07-01"), today=TODAY) == {
        "started_on": ["开工日期（2025-07-01）不能晚于今天（2025-06-30）：已发生的事实不能填写将来的日期"]}
    assert refused(rules.check_fact_dates, negotiating_on=D("2024-05-01"), signed_on=D("2024-03-10"), today=TODAY) == {
        "signed_on": ["签约日期（2024-03-10）不能早于在谈日期（2024-05-01）"]}
    with pytest.raises(TypeError):
        rules.check_fact_dates(planned_start_on=D("2026-01-01"))


def test_follow_up_and_fund_arrival_dates():
    rules.check_follow_up_date(D("2024-02-01"), D("2024-01-05"), today=TODAY)
    assert "不能早于项目的第一个日期（2024-01-05）" in refused(
        rules.check_follow_up_date, date=D("2024-01-01"), first_date=D("2024-01-05"), today=TODAY)["date"][0]
    assert refused(rules.check_fund_arrival_date, date=D("2024-03-01"), signed_on=D("2024-03-10"), today=TODAY) == {
        "date": ["到位日期（2024-03-01）不能早于签约日期（2024-03-10）"]}
    assert "不能晚于今天" in refused(rules.check_fund_arrival_date, date=D("2025-07-01"), signed_on=None, today=TODAY)["date"][0]


def test_the_requirements_table_is_cumulative_and_names_each_missing_field():
    assert [field for field, _label in requirements.required_for("started")] == [
        "investor", "total_investment", "responsible_unit", "signed_on", "park", "started_on"]
    values = {"investor": None, "total_investment": 0, "responsible_unit": 3, "signed_on": D("2024-03-10")}
    assert refused(requirements.check, stage="signed", values=values) == {
        "investor": ["签约阶段的项目需填写投资主体"], "total_investment": ["签约阶段的项目需填写计划总投资"]}
    requirements.check("negotiating", {})
