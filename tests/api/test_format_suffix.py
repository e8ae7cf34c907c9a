"""The router answers every address with a `.json` suffix too; the actions on one object
(change-stage, correct-date, a ticket's steps, certify and return) take that suffix like
the list and detail addresses do, instead of answering 500."""

from django.utils import timezone

from zhaoshang.projects.models import StageChange


def test_a_stage_change_through_the_json_suffix_is_recorded(client_for, bureau_user, make_project, unit):
    project = make_project("后缀项目", responsible_unit=unit)
    api = client_for(bureau_user)
    response = api.post(f"/api/v1/projects/{project.pk}/change-stage.json/", {"to_stage": "negotiating", "date": timezone.localdate().isoformat()},
                        format="json")
    assert response.status_code == 201, response.content
    assert StageChange.objects.filter(project=project, to_stage="negotiating").count() == 1


def test_every_object_action_takes_the_suffix(client_for, bureau_user):
    api = client_for(bureau_user)
    paths = ["/api/v1/projects/999999/correct-date.json/", "/api/v1/tickets/999999/note.json/",
             "/api/v1/tickets/999999/acknowledge.json/"]
    assert {path: api.post(path, {}, format="json").status_code for path in paths} == {path: 404 for path in paths}
