import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhaoshang.tickets import actions
from zhaoshang.tickets.models import Status, Ticket, TicketCategory, WorkCalendarDay

PASSWORD = "pass-for-tests-1"


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def assigned(make_ticket, project, department, department_user):
    return make_ticket("蒸汽管网未接通", "水电热气", project=project, department=department)


def test_pages_need_a_login(client, assigned):
    for url in ("/tickets/", f"/tickets/{assigned.pk}/", "/tickets/new/", "/tickets/stats/", "/tickets/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_department_inbox_lists_its_tickets_only(client, make_ticket, project, assigned, second_department, department_user):
    make_ticket("别的部门的诉求", project=project, department=second_department)
    page = client_for(client, department_user).get("/tickets/").content.decode()
    assert "蒸汽管网未接通" in page and "别的部门的诉求" not in page
    assert "待办诉求" in page


def test_the_bureau_overview_puts_overdue_first(client, make_ticket, project, department, bureau_user):
    make_ticket("新近诉求", project=project, department=department)
    make_ticket("早已逾期", project=project, department=department, when="2025-01-24")
    page = client_for(client, bureau_user).get("/tickets/").content.decode()
    assert page.index("早已逾期") < page.index("新近诉求")
    assert "zs-overdue" in page


def test_filtering_by_category_and_overdue(client, make_ticket, project, department, bureau_user, zone):
    make_ticket("早已逾期", "税务", project=project, department=department, when="2025-01-24")
    make_ticket("用地问题", "用地", project=project, department=department)
    client_for(client, bureau_user)
    page = client.get("/tickets/?overdue=on").content.decode()
    assert "早已逾期" in page and "用地问题" not in page
    land = TicketCategory.objects.get(zone=zone, name="用地")
    page = client.get(f"/tickets/?category={land.pk}").content.decode()
    assert "用地问题" in page and "早已逾期" not in page


def test_a_ticket_page_is_404_for_those_who_may_not_see_it(client, assigned, second_department_user, other_unit_user):
    assert client_for(client, second_department_user).get(f"/tickets/{assigned.pk}/").status_code == 404
    assert client_for(client, other_unit_user).get(f"/tickets/{assigned.pk}/").status_code == 404


def test_the_ticket_page_shows_history_and_the_actions_the_user_may_take(client, assigned, department_user):
    page = client_for(client, department_user).get(f"/tickets/{assigned.pk}/").content.decode()
    assert "办理记录" in page and "登记" in page and "分派" in page
    assert 'data-action="acknowledge"' in page and 'data-action="return"' in page
    assert 'data-action="assign"' not in page and 'data-action="rate"' not in page


def test_the_department_acknowledges_and_resolves_from_the_page(client, assigned, department_user):
    client_for(client, department_user)
    response = client.post(f"/tickets/{assigned.pk}/do/acknowledge/", {"acknowledge-note": ""})
    assert response.status_code == 302
    response = client.post(f"/tickets/{assigned.pk}/do/resolve/", {"resolve-resolution": ""})
    assert response.status_code == 200 and "zs-action-resolve" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS
    response = client.post(f"/tickets/{assigned.pk}/do/resolve/", {"resolve-resolution": "管网已接通"}, follow=True)
    assert "已办结" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.RESOLVED


def test_a_forbidden_action_is_403_and_a_wrong_state_a_message(client, assigned, department_user, bureau_user, second_department):
    response = client_for(client, department_user).post(
        f"/tickets/{assigned.pk}/do/reassign/", {"reassign-department": second_department.pk}
    )
    assert response.status_code == 403
    response = client_for(client, bureau_user).post(f"/tickets/{assigned.pk}/do/rate/", {"rate-rating": "satisfied"}, follow=True)
    assert "诉求当前为“待受理”，不能评价" in response.content.decode()


def test_unsatisfied_without_a_reason_is_refused_next_to_the_field(client, assigned, department_user, bureau_user):
    actions.acknowledge_ticket(assigned, actor=department_user)
    actions.resolve_ticket(assigned, actor=department_user, resolution="已处理")
    response = client_for(client, bureau_user).post(f"/tickets/{assigned.pk}/do/rate/", {"rate-rating": "unsatisfied"})
    assert response.status_code == 200
    assert "评价为不满意时需填写原因" in response.content.decode()
    response = client.post(f"/tickets/{assigned.pk}/do/rate/", {"rate-rating": "unsatisfied", "rate-note": "仍无蒸汽"}, follow=True)
    assert "诉求已重新打开" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS


def test_raising_a_ticket_from_a_project_in_one_step(client, project, unit_user, bureau_user, zone):
    client_for(client, unit_user)
    page = client.get(f"/tickets/new/?project={project.pk}").content.decode()
    assert project.name in page and "牵头部门" not in page
    land = TicketCategory.objects.get(zone=zone, name="用地")
    response = client.post(f"/tickets/new/?project={project.pk}", {
        "project": project.pk, "category": land.pk, "title": "用地指标未落实", "description": "需新增50亩",
        "channel": "visit", "severity": "ordinary", "raised_on": timezone.localdate().isoformat(),
        "attachment": SimpleUploadedFile("红线图.pdf", b"%PDF"),
    })
    ticket = Ticket.objects.get(title="用地指标未落实")
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.project == project and ticket.status == Status.REGISTERED and ticket.attachments.count() == 1


def test_the_bureau_raises_and_assigns_at_once(client, project, bureau_user, department, zone):
    land = TicketCategory.objects.get(zone=zone, name="用地")
    client_for(client, bureau_user).post("/tickets/new/", {
        "project": project.pk, "category": land.pk, "title": "用地", "channel": "visit", "severity": "major",
        "raised_on": timezone.localdate().isoformat(), "department": department.pk,
    })
    ticket = Ticket.objects.get(title="用地")
    assert ticket.status == Status.ASSIGNED and ticket.lead_department == department


def test_raising_with_bad_input_shows_the_error(client, project, unit_user, zone):
    land = TicketCategory.objects.get(zone=zone, name="用地")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(client, unit_user).post(f"/tickets/new/?project={project.pk}", {
        "category": land.pk, "title": "x", "channel": "visit", "severity": "ordinary", "raised_on": tomorrow,
    })
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    assert not Ticket.objects.exists()
    # the field is flagged and points at its message
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="raised_on"[^>]*>', html).group(0)
    assert "is-invalid" in field and 'aria-describedby="id_raised_on_error"' in field
    assert 'id="id_raised_on_error"' in html


def test_raising_for_a_project_one_cannot_see_is_404_and_departments_may_not_raise(
    client, project, other_unit_user, department_user
):
    assert client_for(client, other_unit_user).get(f"/tickets/new/?project={project.pk}").status_code == 404
    assert client_for(client, department_user).get("/tickets/new/").status_code == 403


def test_the_stats_page_links_each_figure_to_its_tickets(client, assigned, bureau_user, department_user, department):
    actions.acknowledge_ticket(assigned, actor=department_user)
    actions.resolve_ticket(assigned, actor=department_user, resolution="已处理")
    today = timezone.localdate()
    client_for(client, bureau_user)
    page = client.get(f"/tickets/stats/?from={today.year}-01-01&to={today.isoformat()}").content.decode()
    assert "自然资源局" in page and "100.00%" in page
    link = f"figure=closed&amp;figure_department={department.pk}"
    assert link in page
    listed = client.get(f"/tickets/?from={today.year}-01-01&to={today.isoformat()}&figure=closed&figure_department={department.pk}")
    assert "蒸汽管网未接通" in listed.content.decode()
    assert client_for(client, department_user).get("/tickets/stats/").status_code == 403


def test_the_bell_counts_unread_notifications_and_opening_one_reads_it(client, assigned, department_user):
    client_for(client, department_user)
    assert client.get("/tickets/notifications/count/").content == b"1"
    bell = client.get("/tickets/notifications/bell/").content.decode()
    assert 'data-unread="1"' in bell
    notification = department_user.notifications.get()
    response = client.get(f"/tickets/notifications/{notification.pk}/")
    assert response["Location"] == f"/tickets/{assigned.pk}/"
    assert client.get("/tickets/notifications/count/").content == b"0"


def test_opening_a_ticket_reads_its_notifications_only(client, make_ticket, project, department, assigned, department_user):
    other = make_ticket("另一件诉求", project=project, department=department)
    client_for(client, department_user)
    assert client.get("/tickets/notifications/count/").content == b"2"
    assert client.get(f"/tickets/{assigned.pk}/").status_code == 200
    assert client.get("/tickets/notifications/count/").content == b"1"
    assert department_user.notifications.get(read_at__isnull=True).ticket == other


def test_figure_parameters_that_are_not_ids_show_a_message(client, assigned, bureau_user):
    client_for(client, bureau_user)
    today = timezone.localdate()
    base = f"/tickets/?from={today.year}-01-01&to={today.isoformat()}&figure=closed"
    for bad in ("figure_department=abc", "figure_category=1x", "figure_department=%E9%83%A8"):
        response = client.get(f"{base}&{bad}")
        assert response.status_code == 200
        assert "统计口径参数无效，已显示全部诉求" in response.content.decode()


def test_settings_with_an_id_that_is_not_a_number_is_404(client, bureau_user, zone):
    client_for(client, bureau_user)
    for data in ({"what": "toggle_category", "category": "abc"}, {"what": "delete_day", "day": "abc"},
                 {"what": "toggle_category"}):
        assert client.post("/tickets/settings/", data).status_code == 404


def test_the_bureau_edits_the_work_calendar_and_time_limits(client, bureau_user, department_user, zone):
    client_for(client, bureau_user)
    response = client.post("/tickets/settings/", {"what": "day", "day-date": "2027-02-06", "day-is_working_day": "1", "day-note": "春节调休"})
    assert response.status_code == 302
    assert WorkCalendarDay.objects.get(zone=zone, date="2027-02-06").is_working_day
    client.post("/tickets/settings/", {"what": "limit", "limit-step": "solve", "limit-severity": "major", "limit-working_days": "20"})
    assert actions.time_limit(zone, "solve", "major") == 20
    assert "2027-02-06" in client.get("/tickets/settings/").content.decode()
    assert client_for(client, department_user).get("/tickets/settings/").status_code == 403


def test_attachments_download_only_for_those_who_see_the_ticket(client, assigned, department_user, second_department_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = actions.add_attachment(assigned, actor=department_user, file=SimpleUploadedFile("a.txt", b"hello"))
    response = client_for(client, department_user).get(f"/tickets/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"hello"
    assert client_for(client, second_department_user).get(f"/tickets/attachments/{attachment.pk}/").status_code == 404


def test_the_project_page_lists_its_tickets_and_offers_to_raise_one(client, assigned, project, unit_user, department_user):
    from zhaoshang.projects import actions as project_actions

    follow_up = project_actions.add_follow_up(project=project, date=timezone.localdate(), summary="企业反映蒸汽不足", actor=unit_user)
    page = client_for(client, unit_user).get(f"/projects/{project.pk}/").content.decode()
    assert "蒸汽管网未接通" in page and f"/tickets/new/?project={project.pk}" in page
    assert f"follow_up={follow_up.pk}" in page
    form = client.get(f"/tickets/new/?project={project.pk}&follow_up={follow_up.pk}").content.decode()
    assert "企业反映蒸汽不足" in form
    # The department reads the project of its ticket, without the button to raise one.
    page = client_for(client, department_user).get(f"/projects/{project.pk}/").content.decode()
    assert "蒸汽管网未接通" in page and 'id="zs-raise-ticket"' not in page


def test_every_page_carries_the_bell(client, assigned, department_user):
    page = client_for(client, department_user).get("/tickets/").content.decode()
    assert 'id="zs-bell"' in page and "/tickets/notifications/bell/" in page
