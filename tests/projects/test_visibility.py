from zhaoshang.projects.models import Project


def test_each_persona_sees_exactly_its_projects(zone, unit, other_unit, park, make_project, bureau_user, unit_user,
                                                other_unit_user, park_user, observer_user, other_zone):
    ours = make_project(name="甲专班项目", responsible_unit=unit)
    theirs = make_project(name="乙专班项目", responsible_unit=other_unit, park=park)
    elsewhere = make_project(name="外区项目", project_zone=other_zone)

    def visible(user):
        return set(Project.objects.visible_to(user).values_list("name", flat=True))

    assert visible(bureau_user) == {ours.name, theirs.name}
    assert visible(unit_user) == {ours.name}
    assert visible(other_unit_user) == {theirs.name}
    assert visible(park_user) == {theirs.name}
    assert visible(observer_user) == set()
    assert elsewhere.name not in visible(bureau_user)
