import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhaoshang.core.models import Zone


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_then_kpi_json_gives_the_worked_example(db):
    run("seed_demo")
    year = json.loads(run("kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--json"))
    assert list(year) == [
        "signed_count", "signed_investment", "started_count", "start_rate", "planned_start_rate", "new_started_count",
        "new_started_investment", "producing_count", "funds_in_place", "fai_funds_in_place", "funds_rate",
        "major_signed_count", "fulfilment_rate",
    ]
    assert (year["signed_count"], year["signed_investment"], year["started_count"], year["start_rate"]) == (31, 1413400, 25, 0.8065)
    assert (year["new_started_investment"], year["fai_funds_in_place"]) == (404400, 91500)
    quarter = json.loads(run("kpi", "--zone", "yqgxq", "--from", "2025-01-01", "--to", "2025-03-31", "--json"))
    assert (quarter["signed_count"], quarter["signed_investment"], quarter["started_count"], quarter["start_rate"]) == (4, 214000, 2, 0.5)


def test_kpi_table_is_readable_chinese(db):
    run("seed_demo")
    table = run("kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31")
    assert "签约项目数" in table and "31 个" in table
    assert "141.34亿元" in table and "80.65%" in table


def test_kpi_narrows_to_a_unit_and_a_chain_by_alias(db):
    run("seed_demo")
    unit = json.loads(run("kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "数科公司", "--json"))
    assert unit["signed_count"] == 3
    chain = json.loads(run("kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--chain", "钨钼", "--json"))
    assert chain["signed_count"] == 3


def test_a_rate_without_denominator_is_null(db):
    run("add_zone", "empty", "空园区")
    figures = json.loads(run("kpi", "--zone", "empty", "--from", "2024-01-01", "--to", "2024-12-31", "--json"))
    assert figures["start_rate"] is None and figures["signed_count"] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--zone", "nowhere", "--from", "2024-01-01", "--to", "2024-12-31"], "园区“nowhere”不存在"),
        (["--zone", "yqgxq", "--from", "2024-13-01", "--to", "2024-12-31"], "--from 的日期“2024-13-01”无效"),
        (["--zone", "yqgxq", "--from", "2024-12-01", "--to", "2024-01-31"], "不能晚于"),
        (["--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "不存在专班"], "没有名为“不存在专班”的责任单位"),
    ],
)
def test_kpi_usage_errors_exit_2_with_a_clear_message(db, args, message):
    run("add_zone", "yqgxq", "阳泉高新区")
    with pytest.raises(CommandError) as error:
        run("kpi", *args)
    assert message in str(error.value)
    assert error.value.returncode == 2


def test_add_zone_installs_the_default_taxonomy_and_refuses_a_duplicate(db):
    assert "4 个产业集群，7 条产业链" in run("add_zone", "newzone", "新区", "--province", "山西省")
    zone = Zone.objects.get(code="newzone")
    assert sorted(zone.chains.values_list("name", flat=True)) == sorted(
        ["新能源电池及材料", "智能终端", "智算及人工智能", "钨钼材料", "泵阀装备", "新型装备制造", "节能环保和循环经济"])
    with pytest.raises(CommandError) as error:
        run("add_zone", "newzone", "新区")
    assert "已存在" in str(error.value) and error.value.returncode == 2


def test_seed_demo_if_empty_keeps_existing_data(db):
    run("seed_demo")
    assert "跳过" in run("seed_demo", "--if-empty")
    assert Zone.objects.count() == 1


@pytest.mark.slow
def test_a_wrong_option_prints_one_line_and_exits_2(tmp_path):
    env = {**os.environ, "ZHAOSHANG_DEBUG": "1", "ZHAOSHANG_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "zhaoshang", "kpi", "--zone", "yqgxq", "--frm", "2024"],
        capture_output=True, text=True, env=env,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("错误：")
