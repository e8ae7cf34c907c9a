"""The mapping step on the command line: unknown parks, units and leaders are not created
silently; the list with the closest names and exit 1, answers from --map (remembered for
the next import), or --create-missing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhaoshang.core.actions import create_park, create_unit
from zhaoshang.core.models import OrgUnit, Park
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.ledger.models import NameMapping
from zhaoshang.projects.models import Project

HEADER = ["项目名称", "总投资（万元）", "签约时间", "项目进展", "责任单位", "落地园区"]


@pytest.fixture
def places(zone):
    create_park(zone=zone, name="高端装备制造产业园")
    create_park(zone=zone, name="循环经济产业园")
    create_unit(zone=zone, name="高端装备专班", kind=OrgUnit.Kind.TASK_FORCE)


@pytest.fixture
def ledger(simple_ledger):
    return simple_ledger(["甲项目", 100, "2024-03-01", "已签约", "高端装备专班", "装备制造园"],
                         ["乙项目", 200, "2024-04-01", "已签约", "高端装备专班", "循环经济园"], header=HEADER)


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_unknown_names_stop_the_import_with_the_closest_ones(zone, places, ledger):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(ledger), "--zone", zone.code, stdout=out)
    assert raised.value.returncode == 1
    text = out.getvalue()
    assert "park「装备制造园」（项目 第2行）最接近：高端装备制造产业园" in text
    assert "park「循环经济园」（项目 第3行）最接近：循环经济产业园" in text
    assert not Project.objects.filter(zone=zone).exists()
    assert Park.objects.filter(zone=zone).count() == 2


def test_answers_map_names_and_are_remembered(zone, places, ledger, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"park": {"装备制造园": "高端装备制造产业园", "循环经济园": "新建"}}, ensure_ascii=False), encoding="utf-8")
    output = run("import_ledger", str(ledger), "--zone", zone.code, "--map", str(answers))
    assert "对应：装备制造园 → 高端装备制造产业园" in output
    projects = {project.name: project for project in Project.objects.filter(zone=zone).select_related("park")}
    assert projects["甲项目"].park.name == "高端装备制造产业园"
    assert projects["乙项目"].park.name == "循环经济园"  # answered 新建
    assert sorted(NameMapping.objects.filter(zone=zone).values_list("written", flat=True)) == ["循环经济园", "装备制造园"]
    # The next import of the same ledger asks nothing.
    output = run("import_ledger", str(ledger), "--zone", zone.code)
    assert "对应：装备制造园 → 高端装备制造产业园（已记住的对应）" in output
    assert Park.objects.filter(zone=zone).count() == 3


def test_create_missing_creates_them(zone, places, ledger):
    run("import_ledger", str(ledger), "--zone", zone.code, "--create-missing")
    assert sorted(Park.objects.filter(zone=zone).values_list("name", flat=True)) == [
        "循环经济产业园", "循环经济园", "装备制造园", "高端装备制造产业园"]


def test_an_answer_naming_no_existing_park_is_an_error(zone, places, ledger, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"park": {"装备制造园": "不存在的园区", "循环经济园": "新建"}}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run("import_ledger", str(ledger), "--zone", zone.code, "--map", str(answers))
    assert raised.value.returncode == 1
    assert not Project.objects.filter(zone=zone).exists()


def test_a_bad_answers_file_is_a_usage_error(zone, ledger, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run("import_ledger", str(ledger), "--zone", zone.code, "--map", str(answers))
    assert raised.value.returncode == 2


def test_the_two_samples_one_after_the_other_make_no_duplicates(zone, sample):
    from zhaoshang.ledger.names import NameAnswers

    first = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone, names=NameAnswers(create_missing=True))
    assert first.ok, [str(issue) for issue in first.errors]
    second = import_ledger(sample("ledger_sample_gbk.csv"), zone=zone, names=NameAnswers(create_missing=True))
    assert second.ok, [str(issue) for issue in second.errors]
    names = list(Project.objects.filter(zone=zone).values_list("name", flat=True))
    assert len(names) == len(set(names)) == first.projects_created + second.projects_created
    codes = list(Project.objects.filter(zone=zone).values_list("code", flat=True))
    assert len(codes) == len(set(codes))
