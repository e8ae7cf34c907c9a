import pytest
from django.template import Context, Template
from django.test import RequestFactory

from zhaoshang.core.masking import can_see_contacts, contact, mask_name, mask_phone
from zhaoshang.enterprises.models import Enterprise


@pytest.mark.parametrize("value, masked", [("张三丰", "张**"), ("李四", "李*"), ("欧阳", "欧*"), ("", "")])
def test_mask_name(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize("value, masked", [("13812345678", "138****5678"), ("0353-2021234", "035*****1234"), ("", "")])
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize("persona, sees", [
    ("bureau_user", True), ("unit_user", True), ("other_unit_user", False), ("park_user", False),
    ("department_user", False), ("observer_user", False),
])
def test_the_projects_unit_bureau_and_leadership_read_contacts_others_see_them_masked(world, request, persona, sees):
    user = request.getfixturevalue(persona)
    assert can_see_contacts(user, world.ours) is sees
    expected = ("张三丰", "13812345678") if sees else ("张**", "138****5678")
    assert (contact(user, world.ours, "contact_person"), contact(user, world.ours, "contact_phone")) == expected


def test_leadership_reads_contacts(world, make_user, zone):
    leader = make_user("leader", zone, "leadership")
    assert can_see_contacts(leader, world.theirs)


def test_enterprise_contacts_with_one_annotated_query(world, unit_user, other_unit_user, django_assert_num_queries):
    for user, sees in ((unit_user, True), (other_unit_user, False)):
        assert can_see_contacts(user, world.ours_investor) is sees
        rows = {e.name: e for e in Enterprise.objects.filter(zone=world.ours_investor.zone).with_contact_access(user)}
        with django_assert_num_queries(0):
            assert can_see_contacts(user, rows["甲投资有限公司"]) is sees


def test_template_tags_mask_for_a_viewer_who_may_not_read(world, unit_user, park_user):
    template = Template('{% load masking %}{% contact project "contact_person" %} {% contact project "contact_phone" %}'
                        '{% if project|contacts_visible_to:request.user %} 可见{% endif %} {{ "王小明"|mask_name }}')
    for user, text in ((unit_user, "张三丰 13812345678 可见 王**"), (park_user, "张** 138****5678 王**")):
        request = RequestFactory().get("/")
        request.user = user
        assert template.render(Context({"project": world.ours, "request": request})) == text
