import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects.duplicates import Candidate, find_near_duplicates, normalize_project_name

D = dt.date.fromisoformat
SAME_NAME = "名称相同（忽略一期/项目/有限公司/空格）"


def test_names_are_compared_without_phase_project_legal_form_spacing_or_full_width():
    assert normalize_project_name("钼靶材深加工一期项目") == normalize_project_name("钼靶材深加工项目")
    assert normalize_project_name(" 钼靶材 深加工（第二期）") == "钼靶材深加工"
    assert normalize_project_name("ＡＢＣ新材料有限公司项目") == "abc新材料"
    assert normalize_project_name("项目") == ""
    assert normalize_project_name("长期储能") == "长期储能"


def test_the_molybdenum_target_example_is_caught_with_all_its_reasons(zone, unit, park, make_project):
    investor = create_enterprise(zone=zone, name="阳泉钼业新材料有限公司", uscc="91350100M000100Y43")
    existing = make_project(
        name="钼靶材深加工一期项目", amount="24000", investor=investor, responsible_unit=unit, park=park, signed_on="2024-05-08"
    )
    [matches] = find_near_duplicates(zone, [Candidate(
        name="钼靶材深加工项目", investor_uscc="91350100M000100Y43", investor_name="阳泉钼业新材料有限公司",
        total_investment=Decimal("24000"), signed_on=D("2024-05-08"),
    )])
    assert [(m.project_id, m.code, m.name) for m in matches] == [(existing.pk, existing.code, "钼靶材深加工一期项目")]
    assert matches[0].reasons == ("同一企业", SAME_NAME, "金额与签约日相同")


def test_each_rule_alone_is_enough(zone, make_project):
    investor = create_enterprise(zone=zone, name="北京字节跳动科技有限公司")
    by_name = make_project(name="智算中心项目")
    by_enterprise = make_project(name="完全不同的名称", investor=investor)
    by_amount = make_project(name="另一个名字", amount="12345.60", signed_on="2024-07-01")
    [name_hit], [enterprise_hit], [amount_hit] = find_near_duplicates(zone, [
        Candidate(name="智算 中心"),
        Candidate(name="新名字", investor_name="字节跳动（北京）科技有限公司"),
        Candidate(name="第三个", total_investment=Decimal("12345.6"), signed_on=D("2024-07-01")),
    ])
    assert (name_hit.project_id, name_hit.reasons) == (by_name.pk, (SAME_NAME,))
    assert (enterprise_hit.project_id, enterprise_hit.reasons) == (by_enterprise.pk, ("同一企业",))
    assert (amount_hit.project_id, amount_hit.reasons) == (by_amount.pk, ("金额与签约日相同",))


def test_different_projects_are_not_flagged(zone, make_project):
    make_project(name="光伏组件项目", amount="5000", signed_on="2024-07-01")
    assert find_near_duplicates(zone, [
        Candidate(name="储能电池项目", total_investment=Decimal("5000"), signed_on=D("2024-07-02")),
        Candidate(name="项目", total_investment=Decimal("0"), signed_on=D("2024-07-01")),
    ]) == [[], []]


def test_the_project_being_edited_is_not_its_own_duplicate(zone, make_project):
    project = make_project(name="智算中心项目")
    assert find_near_duplicates(zone, [Candidate(name="智算中心项目", exclude_pk=project.pk)]) == [[]]


def test_other_zones_are_not_searched(zone, other_zone, make_project):
    make_project(name="智算中心项目", project_zone=other_zone)
    assert find_near_duplicates(zone, [Candidate(name="智算中心项目")]) == [[]]


def test_marked_phases_are_not_duplicates_of_each_other_or_the_parent(zone, make_project):
    from zhaoshang.projects.models import Project

    parent = make_project(name="钼靶材深加工项目")
    first = make_project(name="钼靶材深加工一期项目")
    Project.objects.filter(pk=first.pk).update(parent=parent, phase="一期")
    unmarked = find_near_duplicates(zone, [Candidate(name="钼靶材深加工二期项目")])[0]
    assert {m.project_id for m in unmarked} == {parent.pk, first.pk}
    marked = find_near_duplicates(zone, [Candidate(name="钼靶材深加工二期项目", parent_id=parent.pk)])[0]
    assert marked == []
    # Editing the parent does not find its own phases.
    assert find_near_duplicates(zone, [Candidate(name="钼靶材深加工项目", exclude_pk=parent.pk)]) == [[]]


def test_merged_projects_no_longer_match(zone, make_project):
    from zhaoshang.projects.models import Project

    kept = make_project(name="智算中心项目")
    gone = make_project(name="智算中心二期")
    Project.objects.filter(pk=gone.pk).update(merged_into=kept)
    [matches] = find_near_duplicates(zone, [Candidate(name="智算中心")])
    assert [m.project_id for m in matches] == [kept.pk]


def test_candidates_are_checked_against_each_other(zone):
    a, b, c = find_near_duplicates(zone, [
        Candidate(name="储能电站项目"), Candidate(name="储能电站一期"), Candidate(name="氢能装备"),
    ])
    assert [(m.project_id, m.candidate_index, m.reasons) for m in a] == [(None, 1, (SAME_NAME,))]
    assert [(m.project_id, m.candidate_index) for m in b] == [(None, 0)]
    assert c == []


def test_sibling_phase_candidates_are_not_duplicates(zone, make_project):
    parent = make_project(name="储能电站")
    assert find_near_duplicates(zone, [
        Candidate(name="储能电站一期", parent_id=parent.pk), Candidate(name="储能电站二期", parent_id=parent.pk),
    ]) == [[], []]


def test_a_large_batch_costs_one_query(zone, make_project):
    for number in range(20):
        make_project(name=f"已有项目{number}", amount=str(1000 + number), signed_on="2024-03-01")
    candidates = [
        Candidate(name=f"台账项目{number}", total_investment=Decimal(1000 + number), signed_on=D("2024-03-01"))
        for number in range(5000)
    ]
    with CaptureQueriesContext(connection) as queries:
        results = find_near_duplicates(zone, candidates)
    assert len(queries) == 1
    assert len(results) == 5000
    assert results[0][0].name == "已有项目0"
