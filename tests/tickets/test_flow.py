"""Each transition of the ticket flow and its guard: who may do it, in which state."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.core.actions import create_unit
from zhaoshang.core.models import OrgUnit
from zhaoshang.tickets import actions
from zhaoshang.tickets.models import DEFAULT_CATEGORIES, EventKind, Notification, Rating, Severity, Status, TicketCategory

from .conftest import at

D = dt.date.fromisoformat


@pytest.fixture
def assigned(make_ticket, project, department):
    return make_ticket(project=project, department=department, when="2025-01-24")


@pytest.fixture
def in_progress(assigned, department_user):
    return actions.acknowledge_ticket(assigned, actor=department_user, at=at("2025-01-26"))


@pytest.fixture
def resolved(in_progress, department_user):
    return actions.resolve_ticket(in_progress, actor=department_user, resolution="已协调新增用地指标", at=at("2025-02-05"))


def kinds(ticket):
    return list(ticket.events.order_by("at", "id").values_list("kind", flat=True))


def test_a_new_zone_gets_the_default_categories(zone):
    assert list(TicketCategory.objects.filter(zone=zone).values_list("name", flat=True)) == DEFAULT_CATEGORIES


# --- 登记 ------------------------------------------------------------------------------


def test_a_unit_member_registers_a_ticket_for_its_project_and_the_bureau_is_told(make_ticket, project, unit_user, bureau_user):
    ticket = make_ticket(project=project, actor=unit_user, category="水电热气", description="园区蒸汽管网未接通")
    assert ticket.status == Status.REGISTERED
    assert ticket.code.startswith("SQ")
    assert ticket.enterprise == project.investor
    assert kinds(ticket) == [EventKind.REGISTER]
    assert Notification.objects.filter(user=bureau_user, ticket=ticket).exists()


def test_a_unit_member_cannot_register_for_another_units_project(make_ticket, make_project, other_unit, unit_user):
    foreign = make_project(responsible_unit=other_unit)
    with pytest.raises(PermissionDenied):
        make_ticket(project=foreign, actor=unit_user)


@pytest.mark.parametrize("persona", ["department_user", "observer_user"])
def test_departments_and_observers_do_not_register_tickets(make_ticket, project, persona, request):
    with pytest.raises(PermissionDenied):
        make_ticket(project=project, actor=request.getfixturevalue(persona))


def test_registering_needs_a_title_and_a_known_category(make_ticket, project):
    with pytest.raises(ValidationError, match="诉求标题不能为空"):
        make_ticket(title="  ", project=project)
    with pytest.raises(ValidationError, match="诉求类别“环保”不存在"):
        make_ticket(category="环保", project=project)


def test_the_bureau_registers_and_assigns_in_one_step(assigned, department):
    assert assigned.status == Status.ASSIGNED
    assert assigned.lead_department == department
    assert assigned.assigned_on == D("2025-01-24")
    assert assigned.ack_due == D("2025-01-26")  # the makeup Sunday before the Spring Festival
    assert assigned.solve_due == D("2025-02-10")  # seven working days, the makeup Saturday counted
    assert kinds(assigned) == [EventKind.REGISTER, EventKind.ASSIGN]


def test_a_unit_member_cannot_name_the_department(make_ticket, project, unit_user, department):
    with pytest.raises(PermissionDenied):
        make_ticket(project=project, actor=unit_user, department=department)


# --- 分派 ------------------------------------------------------------------------------


def test_assigning_notifies_the_lead_and_co_handling_departments_by_bell_and_mail(
    make_ticket, project, department, second_department, department_user, second_department_user,
    bureau_user, django_capture_on_commit_callbacks,
):
    department_user.email = "dept@example.com"
    department_user.save()
    ticket = make_ticket(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_ticket(ticket, department=department, co_departments=[second_department], actor=bureau_user)
    assert Notification.objects.filter(user=department_user, ticket=ticket).count() == 1
    assert Notification.objects.filter(user=second_department_user, ticket=ticket).count() == 1
    assert [message.to for message in mail.outbox] == [["dept@example.com"]]
    assert ticket.code in mail.outbox[0].body


@pytest.mark.parametrize("persona", ["department_user", "unit_user", "observer_user"])
def test_only_the_bureau_and_leadership_assign(make_ticket, project, department, persona, request):
    ticket = make_ticket(project=project)
    with pytest.raises(PermissionDenied):
        actions.assign_ticket(ticket, department=department, actor=request.getfixturevalue(persona))
    ticket.refresh_from_db()
    assert ticket.status == Status.REGISTERED


def test_leadership_may_assign(make_ticket, project, department, leadership_user):
    ticket = actions.assign_ticket(make_ticket(project=project), department=department, actor=leadership_user)
    assert ticket.status == Status.ASSIGNED


def test_a_ticket_goes_to_a_department_of_the_zone(make_ticket, project, unit, other_zone, bureau_user):
    ticket = make_ticket(project=project)
    with pytest.raises(ValidationError, match="不是职能部门"):
        actions.assign_ticket(ticket, department=unit, actor=bureau_user)
    foreign = create_unit(zone=other_zone, name="外区税务局", kind=OrgUnit.Kind.DEPARTMENT)
    with pytest.raises(ValidationError, match="不属于本园区"):
        actions.assign_ticket(ticket, department=foreign, actor=bureau_user)


def test_a_major_problem_gets_thirty_working_days(make_ticket, project, department):
    ticket = make_ticket(project=project, department=department, severity=Severity.MAJOR, when="2025-01-20")
    assert ticket.solve_due == D("2025-03-07")


def test_the_zones_own_time_limits_apply(make_ticket, project, department, zone, bureau_user):
    actions.set_time_limit(zone=zone, step="solve", severity="ordinary", working_days=3, actor=bureau_user)
    ticket = make_ticket(project=project, department=department, when="2025-03-03")
    assert ticket.solve_due == D("2025-03-06")
    with pytest.raises(ValidationError, match="1 至 365"):
        actions.set_time_limit(zone=zone, step="solve", severity="ordinary", working_days=0, actor=bureau_user)


# --- 受理 ------------------------------------------------------------------------------


def test_the_lead_department_acknowledges(in_progress):
    assert in_progress.status == Status.IN_PROGRESS
    assert in_progress.acknowledged_on == D("2025-01-26")
    assert in_progress.events.get(kind=EventKind.ACKNOWLEDGE).on_time is True


@pytest.mark.parametrize("persona", ["second_department_user", "bureau_user", "unit_user"])
def test_no_one_else_acknowledges(assigned, persona, request):
    with pytest.raises(PermissionDenied, match="只有牵头部门"):
        actions.acknowledge_ticket(assigned, actor=request.getfixturevalue(persona))


def test_a_ticket_is_acknowledged_once(in_progress, department_user):
    with pytest.raises(ValidationError, match="诉求当前为“办理中”，不能受理"):
        actions.acknowledge_ticket(in_progress, actor=department_user)


def test_a_registered_ticket_cannot_be_acknowledged(make_ticket, project, department_user):
    ticket = make_ticket(project=project)
    with pytest.raises(PermissionDenied):
        actions.acknowledge_ticket(ticket, actor=department_user)


# --- 退回 and 重新分派 ------------------------------------------------------------------


def test_the_department_returns_with_a_reason_and_the_bureau_reassigns(
    in_progress, department_user, second_department, second_department_user, bureau_user
):
    with pytest.raises(ValidationError, match="退回需填写理由"):
        actions.return_ticket(in_progress, actor=department_user, reason=" ")
    ticket = actions.return_ticket(in_progress, actor=department_user, reason="不属于本部门职责", at=at("2025-01-27"))
    assert ticket.status == Status.RETURNED
    assert Notification.objects.filter(user=bureau_user, ticket=ticket, text__contains="不属于本部门职责").exists()
    with pytest.raises(ValidationError, match="诉求当前为“已退回”，不能受理"):
        actions.acknowledge_ticket(ticket, actor=department_user)
    ticket = actions.assign_ticket(ticket, department=second_department, actor=bureau_user, at=at("2025-02-05"))
    assert ticket.status == Status.ASSIGNED
    assert ticket.lead_department == second_department
    assert ticket.acknowledged_on is None
    assert ticket.ack_due == D("2025-02-06")
    assert kinds(ticket)[-2:] == [EventKind.RETURN, EventKind.REASSIGN]
    assert Notification.objects.filter(user=second_department_user, ticket=ticket).exists()
    # The former department no longer acts on it.
    with pytest.raises(PermissionDenied):
        actions.acknowledge_ticket(ticket, actor=department_user)
    actions.acknowledge_ticket(ticket, actor=second_department_user)


def test_a_resolved_ticket_is_not_returned_or_reassigned(resolved, department_user, second_department, bureau_user):
    with pytest.raises(ValidationError, match="不能退回"):
        actions.return_ticket(resolved, actor=department_user, reason="x")
    with pytest.raises(ValidationError, match="不能重新分派"):
        actions.assign_ticket(resolved, department=second_department, actor=bureau_user)


def test_only_the_lead_department_returns(assigned, second_department_user):
    with pytest.raises(PermissionDenied):
        actions.return_ticket(assigned, actor=second_department_user, reason="x")


# --- 办结 ------------------------------------------------------------------------------


def test_the_department_resolves_with_the_result_and_the_days_are_counted(resolved, unit_user):
    event = resolved.events.get(kind=EventKind.RESOLVE)
    assert resolved.status == Status.RESOLVED
    assert resolved.resolved_on == D("2025-02-05")
    assert event.working_days == 3  # 1/26, 1/27, 2/5
    assert event.on_time is True


def test_resolving_needs_acknowledging_first_and_a_result(assigned, in_progress, department_user):
    ticket = in_progress
    with pytest.raises(ValidationError, match="办结需填写办理结果"):
        actions.resolve_ticket(ticket, actor=department_user, resolution="")


def test_resolving_a_ticket_waiting_for_acknowledgement_is_refused(assigned, department_user):
    with pytest.raises(ValidationError, match="诉求当前为“待受理”，不能办结"):
        actions.resolve_ticket(assigned, actor=department_user, resolution="已解决")


def test_a_co_handling_department_does_not_resolve_but_may_add_a_note(
    make_ticket, project, department, second_department, second_department_user, bureau_user
):
    ticket = make_ticket(project=project, department=department, co_departments=[second_department])
    with pytest.raises(PermissionDenied):
        actions.resolve_ticket(ticket, actor=second_department_user, resolution="x")
    actions.add_note(ticket, actor=second_department_user, note="住建局已出具规划意见")
    assert kinds(ticket)[-1] == EventKind.NOTE


def test_a_late_resolution_is_not_on_time(in_progress, department_user):
    ticket = actions.resolve_ticket(in_progress, actor=department_user, resolution="已解决", at=at("2025-02-11"))
    assert ticket.events.get(kind=EventKind.RESOLVE).on_time is False


# --- 评价, 重新打开, 回访 ----------------------------------------------------------------


def test_the_bureau_records_satisfaction_and_the_ticket_closes(resolved, bureau_user):
    ticket = actions.rate_ticket(resolved, actor=bureau_user, rating=Rating.SATISFIED, at=at("2025-02-06"))
    assert ticket.status == Status.RATED
    assert ticket.rating == Rating.SATISFIED
    with pytest.raises(ValidationError, match="不能评价"):
        actions.rate_ticket(ticket, actor=bureau_user, rating=Rating.BASICALLY)


@pytest.mark.parametrize("persona", ["department_user", "unit_user"])
def test_the_department_does_not_rate_itself_nor_does_the_unit(resolved, persona, request):
    with pytest.raises(PermissionDenied):
        actions.rate_ticket(resolved, actor=request.getfixturevalue(persona), rating=Rating.SATISFIED)


def test_an_open_ticket_cannot_be_rated(in_progress, bureau_user):
    with pytest.raises(ValidationError, match="诉求当前为“办理中”，不能评价"):
        actions.rate_ticket(in_progress, actor=bureau_user, rating=Rating.SATISFIED)


def test_unsatisfied_needs_a_reason_and_reopens_the_ticket(resolved, bureau_user, department_user):
    with pytest.raises(ValidationError, match="不满意时需填写原因"):
        actions.rate_ticket(resolved, actor=bureau_user, rating=Rating.UNSATISFIED)
    ticket = actions.rate_ticket(
        resolved, actor=bureau_user, rating=Rating.UNSATISFIED, note="指标仍未落实", at=at("2025-02-07")
    )
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.resolved_on is None
    assert ticket.solve_due == D("2025-02-17")  # 2/8 (调休), 2/10–2/14, 2/17
    assert kinds(ticket)[-2:] == [EventKind.RATE, EventKind.REOPEN]
    assert ticket.events.get(kind=EventKind.RATE).rating == Rating.UNSATISFIED
    assert Notification.objects.filter(user=department_user, ticket=ticket, text__startswith="诉求重新打开").exists()
    # The same department resolves it again, and it can be rated again.
    ticket = actions.resolve_ticket(ticket, actor=department_user, resolution="指标已下达", at=at("2025-02-10"))
    ticket = actions.rate_ticket(ticket, actor=bureau_user, rating=Rating.BASICALLY, at=at("2025-02-11"))
    assert ticket.status == Status.RATED


def test_the_bureau_reopens_a_closed_ticket_with_a_reason(resolved, bureau_user, department_user):
    with pytest.raises(PermissionDenied):
        actions.reopen_ticket(resolved, actor=department_user, reason="x")
    with pytest.raises(ValidationError, match="重新打开需填写原因"):
        actions.reopen_ticket(resolved, actor=bureau_user, reason="")
    ticket = actions.reopen_ticket(resolved, actor=bureau_user, reason="回访发现问题反复")
    assert ticket.status == Status.IN_PROGRESS


def test_the_projects_unit_records_a_return_visit_on_a_closed_ticket(resolved, in_progress, unit_user, other_unit_user):
    event = actions.record_visit(resolved, actor=unit_user, note="企业反映已通电投产")
    assert event.kind == EventKind.VISIT and event.status_after == Status.RESOLVED
    with pytest.raises(PermissionDenied):
        actions.record_visit(resolved, actor=other_unit_user, note="x")
    with pytest.raises(ValidationError, match="回访需填写回访情况"):
        actions.record_visit(resolved, actor=unit_user, note="")


def test_an_open_ticket_gets_no_return_visit(in_progress, bureau_user):
    with pytest.raises(ValidationError, match="不能回访"):
        actions.record_visit(in_progress, actor=bureau_user, note="x")


def test_the_history_lists_every_step_with_its_actor(resolved, bureau_user, department_user):
    actions.rate_ticket(resolved, actor=bureau_user, rating=Rating.SATISFIED)
    events = list(resolved.events.order_by("at", "id"))
    assert [(event.kind, event.actor) for event in events] == [
        (EventKind.REGISTER, bureau_user), (EventKind.ASSIGN, bureau_user), (EventKind.ACKNOWLEDGE, department_user),
        (EventKind.RESOLVE, department_user), (EventKind.RATE, bureau_user),
    ]
    assert [event.status_after for event in events] == [
        Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.RATED,
    ]


def test_available_actions_follow_the_guards(assigned, bureau_user, department_user, second_department_user):
    assert actions.available_actions(department_user, assigned) >= {"acknowledge", "return", "note", "attach"}
    assert "resolve" not in actions.available_actions(department_user, assigned)
    assert "assign" not in actions.available_actions(bureau_user, assigned)
    assert "reassign" in actions.available_actions(bureau_user, assigned)
    assert actions.available_actions(second_department_user, assigned) == set()


def test_an_attachment_is_stored_under_media(assigned, department_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    attachment = actions.add_attachment(
        assigned, actor=department_user, file=SimpleUploadedFile("用地红线图.pdf", b"%PDF-1.4 test")
    )
    assert attachment.name == "用地红线图.pdf"
    assert (tmp_path / attachment.file.name).read_bytes() == b"%PDF-1.4 test"
    assert kinds(assigned)[-1] == EventKind.ATTACH


def test_mark_read_clears_the_bell(department_user, assigned):
    from zhaoshang.tickets.selectors import unread_count

    assert unread_count(department_user) == 1
    actions.mark_read(department_user)
    assert unread_count(department_user) == 0
