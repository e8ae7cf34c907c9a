import datetime as dt

import pytest
from django.core.management import call_command

from zhaoshang.tickets import actions
from zhaoshang.tickets.models import EventKind, Notification, Ticket
from zhaoshang.tickets.selectors import overdue_tickets

from .conftest import at

D = dt.date.fromisoformat


@pytest.fixture
def assigned(make_ticket, project, department):
    # Assigned on the Friday before the 2025 Spring Festival: 受理 due 1/26 (makeup Sunday),
    # 办结 due 2/10.
    return make_ticket(project=project, department=department, when="2025-01-24")


def test_waiting_past_the_acknowledgement_deadline_is_overdue(assigned):
    tickets = Ticket.objects.all()
    assert not overdue_tickets(tickets, D("2025-01-26")).exists()
    assert list(overdue_tickets(tickets, D("2025-01-27"))) == [assigned]
    assert assigned.overdue_steps(D("2025-01-27")) == ["acknowledge"]


def test_not_resolved_past_the_deadline_to_solve_is_overdue(assigned, department_user):
    actions.acknowledge_ticket(assigned, actor=department_user, at=at("2025-01-26"))
    tickets = Ticket.objects.all()
    assert not overdue_tickets(tickets, D("2025-02-10")).exists()
    assert list(overdue_tickets(tickets, D("2025-02-11"))) == [assigned]


def test_resolved_returned_and_registered_tickets_are_not_overdue(make_ticket, project, assigned, department_user):
    make_ticket(project=project, when="2025-01-02")  # registered, never assigned
    actions.return_ticket(assigned, actor=department_user, reason="非本部门", at=at("2025-01-24", 15))
    assert not overdue_tickets(Ticket.objects.all(), D("2025-03-01")).exists()


def test_overdue_notices_go_out_once_per_step(assigned, bureau_user, leadership_user, department_user, unit_user):
    sent = actions.notify_overdue(today=D("2025-01-27"))
    assert [(t.pk, step) for t, step in sent] == [(assigned.pk, "acknowledge")]
    assert actions.notify_overdue(today=D("2025-01-28")) == []
    for user in (bureau_user, leadership_user, department_user):
        assert Notification.objects.filter(user=user, ticket=assigned, text__startswith="诉求受理逾期").count() == 1
    assert not Notification.objects.filter(user=unit_user, text__contains="逾期").exists()
    assert assigned.events.filter(kind=EventKind.OVERDUE).count() == 1
    # Still not acknowledged after the deadline to solve: that step is flagged once too.
    sent = actions.notify_overdue(today=D("2025-02-11"))
    assert [step for _t, step in sent] == ["solve"]
    assert actions.notify_overdue(today=D("2025-02-12")) == []


def test_a_new_deadline_can_be_flagged_again(assigned, bureau_user, second_department):
    actions.notify_overdue(today=D("2025-01-27"))
    actions.assign_ticket(assigned, department=second_department, actor=bureau_user, at=at("2025-01-27"))
    assert [step for _t, step in actions.notify_overdue(today=D("2025-02-06"))] == ["acknowledge"]


def test_the_overdue_command_reports_what_it_sent(assigned, capsys, django_capture_on_commit_callbacks, bureau_user):
    from django.core import mail

    bureau_user.email = "bureau@example.com"
    bureau_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ticket_overdue", "--date", "2025-01-27")
    out = capsys.readouterr().out
    assert assigned.code in out and "发出逾期提醒 1 条" in out
    assert len(mail.outbox) == 1 and "逾期" in mail.outbox[0].subject
    call_command("ticket_overdue", "--date", "2025-01-27")
    assert "发出逾期提醒 0 条" in capsys.readouterr().out


def test_overdue_as_of_a_day_is_the_overdue_list_of_that_day_and_keeps_its_history(
    zone, assigned, department, department_user, bureau_user
):
    from zhaoshang.tickets.figures import overdue_as_of

    on_the_day = overdue_as_of(zone, D("2025-01-27"))
    assert [row["ticket"] for row in on_the_day] == list(overdue_tickets(Ticket.objects.all(), D("2025-01-27")))
    assert on_the_day[0]["step"] == "acknowledge" and on_the_day[0]["due"] == D("2025-01-26")
    assert on_the_day[0]["department_id"] == department.pk and on_the_day[0]["days_overdue"] == 1
    actions.acknowledge_ticket(assigned, actor=department_user, at=at("2025-01-28"))
    actions.resolve_ticket(assigned, actor=department_user, resolution="已协调", at=at("2025-02-12"))
    actions.reopen_ticket(assigned, actor=bureau_user, reason="问题复发", at=at("2025-02-20"))
    # what happened later does not change the answer for an earlier day
    assert [row["step"] for row in overdue_as_of(zone, D("2025-01-27"))] == ["acknowledge"]
    late = overdue_as_of(zone, D("2025-02-11"))
    assert [(row["step"], row["due"]) for row in late] == [("solve", D("2025-02-10"))]
    assert overdue_as_of(zone, D("2025-02-13")) == []  # resolved by then
    assert overdue_as_of(zone, D("2025-02-21")) == []  # reopened with a new deadline


def test_overdue_as_of_leaves_out_returned_tickets_and_charges_the_department_of_the_day(
    zone, assigned, department, second_department, second_department_user, bureau_user
):
    from zhaoshang.tickets.figures import overdue_as_of

    actions.assign_ticket(assigned, department=second_department, actor=bureau_user, at=at("2025-01-28"))
    assert [row["department_id"] for row in overdue_as_of(zone, D("2025-01-27"))] == [department.pk]
    # the new deadline to acknowledge is 2/5, after the Spring Festival
    assert [row["department_id"] for row in overdue_as_of(zone, D("2025-02-06"))] == [second_department.pk]
    assert overdue_as_of(zone, D("2025-02-06"), departments=[department.pk]) == []
    actions.return_ticket(assigned, actor=second_department_user, reason="非本部门职责", at=at("2025-02-07"))
    assert overdue_as_of(zone, D("2025-03-01")) == []  # waits for the bureau, not the clock
    assert [row["department_id"] for row in overdue_as_of(zone, D("2025-02-06"))] == [second_department.pk]
