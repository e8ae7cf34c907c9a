"""Every write lands in the change log with its before and after values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from zhaoshang.core import changelog
from zhaoshang.core.actions import create_person
from zhaoshang.core.history import history_for
from zhaoshang.core.models import ChangeRecord
from zhaoshang.enterprises.actions import create_enterprise, update_enterprise
from zhaoshang.projects import actions
from zhaoshang.projects.models import FollowUp, Project

D = dt.date.fromisoformat


def records_of(obj):
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("id")


def test_creating_a_project_records_its_values_its_author_and_request(zone, unit, bureau_user):
    with changelog.acting_as(bureau_user, request_id="a" * 32):
        project = actions.create_project(zone=zone, name="新建项目", responsible_unit=unit, total_investment=Decimal("5000"),
                                         signed_on=D("2024-03-05"))
    created = records_of(project).get()
    assert created.action == "create"
    assert (created.user, created.username, created.request_id, created.zone) == (bureau_user, "bureau", "a" * 32, zone)
    assert created.after["name"] == "新建项目"
    assert created.after["total_investment"] == "5000.00"
    assert created.after["signed_on"] == "2024-03-05"
    assert created.after["responsible_unit"] == unit.pk
    assert created.before is None
    # Its stage rows are on record under the same request, as parts of the project.
    stage_rows = ChangeRecord.objects.filter(request_id="a" * 32, content_type__model="stagechange")
    assert stage_rows.count() == 2 and {r.parent_id for r in stage_rows} == {str(project.pk)}


def test_an_update_records_only_what_changed_before_and_after(zone, unit, other_unit, make_project, unit_user):
    project = make_project(name="改前名称", amount="10000", responsible_unit=unit)
    with changelog.acting_as(unit_user):
        actions.update_project(project, name="改后名称", total_investment=Decimal("12000"), responsible_unit=other_unit,
                               notes="")
    update = records_of(project).filter(action="update").get()
    assert update.before == {"name": "改前名称", "total_investment": "10000.00", "responsible_unit": unit.pk}
    assert update.after == {"name": "改后名称", "total_investment": "12000.00", "responsible_unit": other_unit.pk}
    assert update.username == "alice"
    assert update.object_repr == "改后名称"


def test_saving_without_a_change_records_nothing(make_project):
    project = make_project()
    before = ChangeRecord.objects.count()
    actions.update_project(project, notes=project.notes)
    assert ChangeRecord.objects.count() == before


def test_a_stage_change_and_a_deletion_are_on_record(make_project):
    project = make_project(name="阶段项目", signed_on="2024-01-10")
    actions.change_stage(project, to_stage="started", on=D("2024-02-01"))
    update = records_of(project).filter(action="update").get()
    assert update.before == {"stage": "signed", "started_on": None}
    assert update.after == {"stage": "started", "started_on": "2024-02-01"}
    follow_up = actions.add_follow_up(project, date=D("2024-02-02"), summary="现场查看开工情况")
    pk = follow_up.pk
    actions.delete_follow_up(follow_up)
    deleted = ChangeRecord.objects.get(content_type__model="followup", object_id=str(pk), action="delete")
    assert deleted.before["summary"] == "现场查看开工情况"
    assert deleted.parent_id == str(project.pk) and deleted.zone_id == project.zone_id


def test_many_to_many_changes_join_the_save_they_follow(zone, make_project):
    wang = create_person(zone=zone, name="王建国", is_leader=True)
    li = create_person(zone=zone, name="李志强", is_leader=True)
    with changelog.acting_as(None):
        project = actions.create_project(zone=zone, name="包联项目", leaders=[wang])
    created = records_of(project).get()
    assert created.after["leaders"] == [wang.pk]
    actions.update_project(project, leaders=[li])
    update = records_of(project).filter(action="update").get()
    assert (update.before, update.after) == ({"leaders": [wang.pk]}, {"leaders": [li.pk]})
    entry = history_for(project)[0]
    assert [(c.label, c.before, c.after) for c in entry.changes] == [("包联领导", "王建国", "李志强")]


def test_a_refused_write_leaves_no_record(make_project):
    project = make_project(signed_on="2024-01-10")
    before = ChangeRecord.objects.count()
    with pytest.raises(ValidationError):
        actions.update_project(project, name="新名称", started_on=D("2024-02-01"))  # not started: refused
    assert ChangeRecord.objects.count() == before


def test_history_of_a_project_includes_its_parts_and_masks_contacts_for_outsiders(world, unit_user, park_user, bureau_user):
    actions.update_project(world.theirs, contact_phone="13900001111")
    actions.add_fund_arrival(world.theirs, date=D("2024-07-01"), amount=Decimal("50"))
    for user, shown in ((park_user, "139****1111"), (bureau_user, "13900001111")):
        history = history_for(world.theirs, user)
        phone = next(c for e in history for c in e.changes if c.field == "contact_phone" and e.action == "update")
        assert phone.after == shown
    labels = {e.model_label for e in history_for(world.theirs, bureau_user)}
    assert {"项目", "跟进记录", "资金到位", "阶段变更"} <= labels
    assert all(e.record.parent_id in ("", str(world.theirs.pk)) for e in history_for(world.theirs, bureau_user))


def test_enterprise_updates_and_tags_are_on_record(zone):
    from zhaoshang.enterprises.models import Tag

    tag = Tag.objects.create(name="专精特新")
    enterprise = create_enterprise(zone=zone, name="丙公司", tags=[tag])
    assert records_of(enterprise).get().after["tags"] == [tag.pk]
    update_enterprise(enterprise, contact_person="赵六")
    update = records_of(enterprise).filter(action="update").get()
    assert (update.before, update.after) == ({"contact_person": ""}, {"contact_person": "赵六"})


def test_a_password_change_is_recorded_without_the_password(unit_user):
    unit_user.set_password("another-secret-99")
    unit_user.save()
    update = records_of(unit_user).filter(action="update").get()
    assert update.before == {"password": "******"} and update.after == {"password": "******"}


def test_exports_and_imports_are_recorded_with_filter_and_row_count(zone, bureau_user):
    from django.http import QueryDict

    record = changelog.record_data_transfer(
        bureau_user, "export", "项目台账导出", QueryDict("stage=signed&unit=3&unit=4"), 31, zone=zone, model=Project
    )
    record.refresh_from_db()
    assert (record.action, record.username, record.row_count, record.zone) == ("export", "bureau", 31, zone)
    assert record.filters == {"stage": "signed", "unit": ["3", "4"]}
    assert record.content_type.model == "project"
    with pytest.raises(ValueError):
        changelog.record_data_transfer(bureau_user, "print", "?", {}, 1)


def test_paused_writes_are_not_recorded(make_project):
    before = ChangeRecord.objects.count()
    with changelog.paused():
        make_project()
    assert ChangeRecord.objects.count() == before


def test_a_web_request_groups_its_changes_under_one_id_and_names_the_user(client, zone, bureau_user):
    client.force_login(bureau_user)
    response = client.post("/settings/users/new/", {
        "username": "newcomer", "full_name": "新同事", "password1": "Strong-pass-2024", "password2": "Strong-pass-2024",
        "role": "observer",
    })
    assert response.status_code == 302, response.content.decode()
    request_id = response["X-Request-ID"]
    rows = ChangeRecord.objects.filter(request_id=request_id)
    assert {r.content_type.model for r in rows} == {"user", "membership"}
    assert {r.username for r in rows} == {"bureau"}
    assert {r.zone_id for r in rows} == {zone.pk}
    assert FollowUp.objects.count() == 0


def test_the_history_include_renders_the_changes_for_the_viewer(world, park_user, bureau_user):
    from django.template.loader import render_to_string

    with changelog.acting_as(bureau_user):
        actions.update_project(world.theirs, contact_phone="13900001111", total_investment=Decimal("20000"))
    for user, phone in ((park_user, "139****1111"), (bureau_user, "13900001111")):
        html = render_to_string("core/_history.html", {"history": history_for(world.theirs, user)})
        assert "bureau" in html and "修改" in html and "计划总投资（万元）" in html and "20000.00" in html
        assert phone in html
        assert "13900001111" not in html or user is bureau_user
    assert "暂无修改记录" in render_to_string("core/_history.html", {"history": []})


def test_deleting_a_project_records_it_and_its_parts(world, bureau_user):
    project = world.ours
    pk = str(project.pk)
    with changelog.acting_as(bureau_user):
        project.delete()
    deleted = ChangeRecord.objects.filter(action="delete")
    assert deleted.get(content_type__model="project").before["name"] == "甲专班项目"
    parts = deleted.filter(parent_id=pk)
    assert {r.content_type.model for r in parts} == {"followup", "fundarrival", "stagechange", "claim"}
    assert {r.username for r in deleted} == {"bureau"}
    assert {r.zone_id for r in deleted} == {world.ours.zone_id}
