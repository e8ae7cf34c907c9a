"""Finding 3: an amount the database cannot store exactly is refused everywhere, with a
Chinese message, and an API write that fails commits nothing."""

from decimal import Decimal

import pytest

from zhaoshang.projects.models import Project

HUGE = "99999999999999.99"


def test_api_patch_with_a_huge_amount_is_400_and_commits_nothing(client_for, make_project, bureau_user, unit):
    project = make_project("锂电池项目", responsible_unit=unit)
    api = client_for(bureau_user)
    response = api.patch(f"/api/v1/projects/{project.pk}/", {"total_investment": HUGE, "name": "改名"}, format="json")
    assert response.status_code == 400, response.content
    project.refresh_from_db()
    assert project.name == "锂电池项目"
    assert project.total_investment == Decimal("10000")


@pytest.fixture
def stored_huge(make_project, unit):
    """A project whose amount was stored before the range existed (SQLite kept it as 1e14)."""
    project = make_project("旧数据项目", responsible_unit=unit, signed_on="2024-03-05")
    Project.objects.filter(pk=project.pk).update(total_investment=Decimal(HUGE))
    return project


@pytest.mark.parametrize("url", ["/projects/{pk}/", "/projects/{pk}/edit/", "/projects/board/", "/projects/",
                                 "/projects/export/", "/api/v1/projects/{pk}/", "/api/v1/projects/",
                                 "/cockpit/?year=2024", "/cockpit/export.xlsx?year=2024",
                                 "/assessment/bulletins/preview.xlsx?year=2024", "/assessment/bulletins/preview.docx?year=2024"])
def test_pages_reading_a_stored_huge_amount_answer(client, bureau_user, stored_huge, url):
    client.force_login(bureau_user)
    response = client.get(url.format(pk=stored_huge.pk))
    assert response.status_code == 200


def test_the_project_form_refuses_a_huge_amount_in_chinese(client, bureau_user, zone):
    client.force_login(bureau_user)
    response = client.post("/projects/new/", {"name": "巨额项目", "kind": "chain", "total_investment": HUGE,
                                              "stage": "negotiating"})
    assert response.status_code == 422
    assert "金额不能超过999,999,999,999.99万元" in response.content.decode()
    assert not Project.objects.filter(name="巨额项目").exists()


def test_the_api_refuses_a_huge_amount_on_create(client_for, bureau_user, unit):
    response = client_for(bureau_user).post(
        "/api/v1/projects/", {"name": "巨额项目", "total_investment": HUGE, "responsible_unit": unit.pk}, format="json"
    )
    assert response.status_code == 400
    assert "999999999999.99" in response.content.decode()
    assert not Project.objects.filter(name="巨额项目").exists()


@pytest.mark.parametrize("date", ["9999-12-31", "1899-12-31"])
def test_the_api_refuses_a_date_outside_the_window(client_for, make_project, bureau_user, unit, date):
    project = make_project("锂电池项目", responsible_unit=unit, planned_start_on="2024-03-05")
    response = client_for(bureau_user).patch(f"/api/v1/projects/{project.pk}/", {"planned_start_on": date}, format="json")
    assert response.status_code == 400
    assert "1990-01-01至2099-12-31" in response.content.decode()
    project.refresh_from_db()
    assert project.planned_start_on.isoformat() == "2024-03-05"


def test_the_largest_amount_round_trips_exactly(make_project, unit):
    from zhaoshang.core.validators import AMOUNT_MAX

    project = make_project("最大金额项目", responsible_unit=unit, amount=str(AMOUNT_MAX))
    assert Project.objects.get(pk=project.pk).total_investment == AMOUNT_MAX


def test_every_amount_action_refuses_a_huge_amount(zone, make_project, unit):
    """The five copies of the amount check are one: each app's action names the field."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.funds import actions as funds
    from zhaoshang.policies import actions as policies
    from zhaoshang.projects import actions as projects
    from zhaoshang.stats import actions as stats

    project = make_project("到位项目", responsible_unit=unit)
    enterprise = Enterprise.objects.create(zone=zone, name="测试企业")
    calls = {
        "size": lambda: funds.create_fund(zone=zone, name="基金", size=HUGE),
        "amount": lambda: projects.add_fund_arrival(project, date=dt.date(2024, 5, 1), amount=HUGE),
        "max_amount": lambda: policies.create_policy(zone=zone, title="政策", max_amount=HUGE),
        "revenue": lambda: stats.record_annual_figures(enterprise, year=2024, revenue=HUGE),
    }
    for field, call in calls.items():
        with pytest.raises(ValidationError) as error:
            call()
        assert "不能超过999,999,999,999.99万元" in str(error.value.message_dict[field]), field


def test_an_api_write_that_fails_after_writing_commits_nothing(client_for, make_project, bureau_user, unit,
                                                              monkeypatch):
    """The PATCH that answered 500 had already saved the project: now nothing is saved."""
    from zhaoshang.api.views import ProjectViewSet
    from zhaoshang.core.models import ChangeRecord

    project = make_project("锂电池项目", responsible_unit=unit)

    def fail(self, project, status_code=200):
        raise RuntimeError("reading the project back failed")

    monkeypatch.setattr(ProjectViewSet, "_reply", fail)
    api = client_for(bureau_user)  # (its token's creation is on record)
    api.raise_request_exception = False
    records = ChangeRecord.objects.count()
    response = api.patch(f"/api/v1/projects/{project.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 500
    project.refresh_from_db()
    assert project.name == "锂电池项目"
    assert ChangeRecord.objects.count() == records, list(ChangeRecord.objects.order_by("-id").values_list("action", "content_type__model", "description")[:2])
