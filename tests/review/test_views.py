"""The review pages, evidence files and the API, through what a user sees."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.core.models import ChangeRecord
from zhaoshang.projects import kpi
from zhaoshang.projects.stages import Stage
from zhaoshang.review import actions as review
from zhaoshang.review.models import Claim, Evidence

D = dt.date.fromisoformat


@pytest.fixture
def claimed(certifying, make_project, unit, other_unit, bureau_user, pdf):
    """Two 2024 signings waiting: one of our unit (with a contract scan), one of the other unit."""
    ours = make_project("储能电池项目", amount="30000", signed_on="2024-11-05", responsible_unit=unit)
    theirs = make_project("数据中心项目", amount="20000", signed_on="2024-11-12", responsible_unit=other_unit)
    evidence = review.add_evidence(ours.claims.get(), upload=pdf(), actor=bureau_user, kind=Evidence.Kind.CONTRACT)
    return ours, theirs, evidence


def test_evidence_is_served_only_to_those_who_may_see_the_project(client, claimed, unit_user, other_unit_user, bureau_user):
    _ours, _theirs, evidence = claimed
    client.force_login(other_unit_user)
    assert client.get(f"/review/evidence/{evidence.pk}/").status_code == 404
    client.force_login(unit_user)
    response = client.get(f"/review/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ChangeRecord.objects.filter(action="export", user=unit_user, content_type__model="evidence").count() == 1
    assert not ChangeRecord.objects.filter(action="export", user=other_unit_user).exists()


def test_uploads_and_deletions_are_in_the_change_log(client, claimed, unit_user, pdf):
    ours, _theirs, _evidence = claimed
    client.force_login(unit_user)
    claim = ours.claims.get()
    response = client.post(f"/review/claims/{claim.pk}/evidence/", {"kind": "photo", "file": pdf("现场照片.pdf")}, follow=True)
    assert "材料已上传" in response.content.decode()
    added = Evidence.objects.get(name="现场照片.pdf")
    created = ChangeRecord.objects.get(action="create", content_type__model="evidence", object_id=str(added.pk))
    assert created.username == "alice" and created.parent_id == str(ours.pk)
    response = client.post(f"/review/evidence/{added.pk}/delete/", follow=True)
    assert "材料已删除" in response.content.decode()
    assert ChangeRecord.objects.filter(action="delete", content_type__model="evidence", object_id=str(added.pk)).exists()
    assert not Evidence.objects.filter(pk=added.pk).exists()


@pytest.mark.parametrize("name, content, message", [
    ("合同.exe", b"MZ\x90\x00", "文件类型不支持"),
    ("=HYPERLINK(x).pdf", b"not a pdf at all", "内容与扩展名不符"),
    ("照片.png", b"%PDF-1.4 pretending", "内容与扩展名不符"),
])
def test_a_wrong_type_is_refused_with_a_message(client, claimed, unit_user, name, content, message):
    ours, _theirs, _evidence = claimed
    client.force_login(unit_user)
    claim = ours.claims.get()
    upload = SimpleUploadedFile(name, content)
    response = client.post(f"/review/claims/{claim.pk}/evidence/", {"kind": "contract", "file": upload}, follow=True)
    assert message in response.content.decode()
    assert claim.evidence.count() == 1  # only the contract scan of the fixture


def test_an_oversized_file_is_refused_with_a_message(client, claimed, unit_user, settings, pdf):
    settings.ZHAOSHANG_EVIDENCE_MAX_BYTES = 100
    ours, _theirs, _evidence = claimed
    client.force_login(unit_user)
    claim = ours.claims.get()
    response = client.post(f"/review/claims/{claim.pk}/evidence/", {"kind": "contract", "file": pdf("大文件.pdf")}, follow=True)
    assert "超过" in response.content.decode() and "大小限制" in response.content.decode()
    assert claim.evidence.count() == 1


def _ready_to_sign(zone, make_project, unit):
    """A project in talks with what 签约 needs (投资主体, 计划总投资, 责任单位)."""
    from zhaoshang.enterprises.actions import create_enterprise

    investor = create_enterprise(zone=zone, name="签约测试企业有限公司")
    return make_project(stage=Stage.NEGOTIATING, responsible_unit=unit, investor=investor)


def test_the_stage_form_attaches_evidence_to_the_claim(client, certifying, zone, make_project, unit, unit_user, pdf):
    project = _ready_to_sign(zone, make_project, unit)
    client.force_login(unit_user)
    today = dt.date.today().isoformat()
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "signed", "on": today, "evidence": [pdf()]})
    assert response.status_code in (200, 302)
    claim = Claim.objects.get(project=project, kind="signed")
    assert claim.status == "pending" and [e.name for e in claim.evidence.all()] == ["合同扫描件.pdf"]


def test_a_bad_file_on_the_stage_form_leaves_the_stage_unchanged(client, certifying, zone, make_project, unit, unit_user):
    project = _ready_to_sign(zone, make_project, unit)
    client.force_login(unit_user)
    bad = SimpleUploadedFile("合同.txt", b"hello")
    today = dt.date.today().isoformat()
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "signed", "on": today, "evidence": [bad]})
    assert "文件类型不支持" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and not Claim.objects.filter(project=project).exists()


def test_the_monthly_review_certifies_in_one_pass_and_returns_with_a_reason(client, claimed, bureau_user):
    ours, theirs, evidence = claimed
    client.force_login(bureau_user)
    page = client.get("/review/?month=2024-11").content.decode()
    assert "储能电池项目" in page and "数据中心项目" in page and evidence.name in page
    assert f"/review/evidence/{evidence.pk}/" in page
    response = client.post("/review/certify/", {"claim": [ours.claims.get().pk], "on": "2024-11-30", "month": "2024-11"}, follow=True)
    assert "已认定1项" in response.content.decode()
    response = client.post(f"/review/claims/{theirs.claims.get().pk}/return/", {"reason": "协议未签字"}, follow=True)
    assert "已退回" in response.content.decode()
    figures = kpi.compute(kpi.scope(ours.zone), kpi.Period.year(2024))
    assert (figures["signed_count"], figures["signed_investment"]) == (1, Decimal("30000.00"))
    assert ChangeRecord.objects.filter(action="update", content_type__model="claim", username="bureau").count() == 2


def test_a_unit_sees_its_claims_status_but_cannot_certify(client, claimed, unit_user):
    ours, theirs, _evidence = claimed
    client.force_login(unit_user)
    page = client.get("/review/?month=2024-11").content.decode()
    assert "储能电池项目" in page and "数据中心项目" not in page
    assert "待认定" in page and 'name="claim"' not in page
    response = client.post("/review/certify/", {"claim": [ours.claims.get().pk]})
    assert response.status_code == 403
    assert ours.claims.get().status == "pending"
    # Another unit's claim is not even found.
    assert client.post(f"/review/claims/{theirs.claims.get().pk}/return/", {"reason": "x"}).status_code == 404


def test_a_bad_month_is_named(client, claimed, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/review/?month=2024-13").content.decode()
    assert "月份“2024-13”无效" in page


def test_pending_counts_show_beside_the_figures_and_drill_down(client, certifying, make_project, bureau_user):
    today = dt.date.today()
    make_project(amount="30000", signed_on=today.replace(day=1).isoformat())
    client.force_login(bureau_user)
    workbench = client.get("/?part=figures").content.decode()
    assert 'data-pending="1"' in workbench and "待认定 1" in workbench
    cockpit = client.get("/cockpit/").content.decode()
    assert 'data-pending="1"' in cockpit
    period = {"from": f"{today.year}-01-01", "to": f"{today.year}-12-31", "as_of": today.isoformat()}
    listed = client.get("/projects/", {"figure": "signed_count", **period, "pending": "1"})
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 1
    counted = client.get("/projects/", {"figure": "signed_count", **period})
    assert counted.context["page"].paginator.count == 0


def test_the_project_page_takes_an_increase(client, zone, make_project, unit, unit_user):
    project = make_project(amount="10000", signed_on="2024-03-01", responsible_unit=unit)
    client.force_login(unit_user)
    response = client.post(f"/review/projects/{project.pk}/increases/", {"date": "2024-06-01", "amount": "2000", "note": "追加"}, follow=True)
    assert "增资已登记" in response.content.decode()
    assert kpi.compute(kpi.scope(zone), kpi.Period.year(2024))["signed_investment"] == Decimal("12000.00")
    response = client.post(f"/review/projects/{project.pk}/increases/", {"date": "2024-01-01", "amount": "2000"}, follow=True)
    assert "不能早于签约日期" in response.content.decode()


def test_the_zone_settings_page_shows_the_setting(client, zone, make_user):
    admin = make_user("zone-admin", zone, "admin")
    client.force_login(admin)
    page = client.get("/settings/zone/settings/").content.decode()
    assert "签约、开工、投产需认定后计入" in page


# --- API -----------------------------------------------------------------------------


def test_the_api_lists_only_visible_claims_and_lets_only_the_bureau_certify(claimed, client_for, unit_user, other_unit_user, bureau_user):
    ours, theirs, _evidence = claimed
    unit_api, other_api, bureau_api = client_for(unit_user), client_for(other_unit_user), client_for(bureau_user)
    listed = unit_api.get("/api/v1/claims/")
    assert {row["project"] for row in listed.json()["results"]} == {ours.pk}
    claim = ours.claims.get()
    assert other_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert unit_api.post(f"/api/v1/claims/{claim.pk}/certify/", {}, format="json").status_code == 403
    certified = bureau_api.post(f"/api/v1/claims/{claim.pk}/certify/", {"on": "2024-11-20"}, format="json")
    assert certified.status_code == 200 and certified.json()["status"] == "certified"
    returned = bureau_api.post(f"/api/v1/claims/{theirs.claims.get().pk}/return/", {"reason": ""}, format="json")
    assert returned.status_code == 400
    assert kpi.compute(kpi.scope(ours.zone), kpi.Period.year(2024))["signed_count"] == 1


def test_the_api_records_increases_for_visible_projects_only(zone, make_project, unit, other_unit, client_for, unit_user, other_unit_user):
    project = make_project(amount="10000", signed_on="2024-03-01", responsible_unit=unit)
    body = {"project": project.pk, "date": "2024-05-01", "amount": "3000", "note": "追加"}
    assert client_for(other_unit_user).post("/api/v1/capital-increases/", body, format="json").status_code == 400
    created = client_for(unit_user).post("/api/v1/capital-increases/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "certified"
    assert client_for(other_unit_user).get(f"/api/v1/capital-increases/{created.json()['id']}/").status_code == 404
    assert kpi.compute(kpi.scope(zone), kpi.Period.year(2024))["signed_investment"] == Decimal("13000.00")


def test_a_corrected_claim_is_reviewed_under_its_new_date_and_shows_what_was_certified(client, claimed, bureau_user):
    from zhaoshang.projects import actions as project_actions

    ours, theirs, _evidence = claimed
    review.certify([ours.claims.get()], actor=bureau_user, on=D("2024-11-20"))
    project_actions.correct_stage_date(ours.stage_changes.get(to_stage=Stage.SIGNED), D("2024-12-02"), "以合同落款为准",
                                       actor=bureau_user)
    project_actions.correct_stage_date(theirs.stage_changes.get(to_stage=Stage.SIGNED), D("2024-12-03"), "以合同落款为准",
                                       actor=bureau_user)
    client.force_login(bureau_user)
    november = client.get("/review/?month=2024-11").content.decode()
    assert "储能电池项目" not in november and "数据中心项目" not in november and "本月没有申报" in november
    december = client.get("/review/?month=2024-12")
    rows = {claim.project.name: claim for claim in december.context["claims"]}
    assert (rows["储能电池项目"].date, rows["数据中心项目"].date) == (D("2024-12-02"), D("2024-12-03"))
    page = december.content.decode()
    assert "2024-12-02" in page and "认定时为2024-11-05，此后已更正" in page
    assert page.count("data-certified-date") == 1  # the pending claim was never certified
    assert 'name="claim" value="%d"' % theirs.claims.get().pk in page  # still waiting, now in December
    project_page = client.get(f"/projects/{ours.pk}/").content.decode()
    assert "认定时为2024-11-05，此后已更正" in project_page
