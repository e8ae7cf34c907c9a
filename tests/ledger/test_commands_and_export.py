import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from zhaoshang.core.models import ChangeRecord
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import FundArrival, Project

JSON_KEYS = {"projects_created", "projects_updated", "projects_unchanged", "fund_arrivals_created", "units_created",
             "enterprises_created", "warnings", "errors"}


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def sheets_of(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_import_ledger_json_has_the_keys_of_the_issue(zone, sample):
    data = json.loads(run("import_ledger", str(sample("ledger_sample_yiyuan.xlsx")), "--zone", zone.code, "--json", "--create-missing"))
    assert JSON_KEYS <= set(data)
    assert (data["projects_created"], data["fund_arrivals_created"], data["enterprises_created"], data["errors"]) == (6, 3, 6, [])
    assert Project.objects.filter(zone=zone).count() == 6


def test_import_ledger_dry_run_writes_nothing(zone, sample):
    output = run("import_ledger", str(sample("ledger_sample_gbk.csv")), "--zone", zone.code, "--dry-run", "--create-missing")
    assert "将新建项目 6 个" in output and "未写入" in output
    assert not Project.objects.exists()


def test_import_ledger_exits_1_with_every_error_located(zone, simple_ledger):
    path = simple_ledger(["甲项目", "", "", "", -1, "", "", "", ""])
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(path), "--zone", zone.code, "--json", stdout=out)
    assert raised.value.returncode == 1
    errors = json.loads(out.getvalue())["errors"]
    assert errors == [{"sheet": "项目", "row": 2, "column": "总投资（万元）", "message": "金额不能为负数（-1）"}]
    assert not Project.objects.exists()


def test_import_ledger_usage_errors_exit_2(zone, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(tmp_path / "missing.xlsx"), "--zone", zone.code)
    assert raised.value.returncode == 2
    (tmp_path / "a.csv").write_text("项目名称\n甲\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(tmp_path / "a.csv"), "--zone", "nowhere")
    assert raised.value.returncode == 2 and "nowhere" in str(raised.value)


def test_import_is_recorded(zone, sample):
    run("import_ledger", str(sample("ledger_sample_gbk.csv")), "--zone", zone.code, "--create-missing")
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.IMPORT)
    assert record.row_count == 6 and "ledger_sample_gbk.csv" in record.description and record.zone_id == zone.pk


def test_export_ledger_writes_the_bureau_workbook(zone, sample, tmp_path):
    import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone)
    out = tmp_path / "out.xlsx"
    assert "已导出 4 个项目" in run("export_ledger", "--zone", zone.code, str(out), "--from", "2024-01-01", "--to", "2024-12-31")
    sheets = sheets_of(out)
    assert list(sheets) == ["项目台账", "资金到位", "指标汇总"]
    projects = sheets["项目台账"]
    assert "招商项目台账" in projects[0][0] and "单位：万元" in projects[1][0]
    assert "计划总投资（万元）" in projects[2]
    # 4 signed in 2024 (the 2023 signing and the unsigned one are outside), then the 合计 row
    assert len(projects) == 3 + 4 + 1 and projects[-1][0] == "合计"
    amount_col = projects[2].index("计划总投资（万元）")
    assert projects[-1][amount_col] == 125000 + 32000 + 8000 + 50000
    figures = {row[0]: row[1] for row in sheets["指标汇总"][3:]}
    assert figures["签约项目数"] == 4 and figures["签约总投资"] == 215000
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.EXPORT)
    assert record.row_count == 4 and record.filters["start"] == "2024-01-01"


def test_export_ledger_usage_errors(zone, tmp_path):
    for args in (["--from", "2024-01-01"], ["--from", "2024-12-31", "--to", "2024-01-01"], ["--figure", "signed_count"]):
        with pytest.raises(CommandError) as raised:
            call_command("export_ledger", "--zone", zone.code, str(tmp_path / "x.xlsx"), *args)
        assert raised.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("export_ledger", "--zone", zone.code, str(tmp_path / "x.txt"))


def _facts(zone):
    rows = []
    for project in Project.objects.filter(zone=zone).select_related("investor", "chain", "cluster", "responsible_unit", "park"):
        rows.append((
            project.code, project.name, project.investor.name if project.investor else "", project.investor.uscc if project.investor else "",
            project.chain.name if project.chain else "", project.cluster.name if project.cluster else "", project.industry_label,
            project.kind, project.total_investment, project.is_fixed_asset, project.source_province, project.source_city,
            project.responsible_unit.name if project.responsible_unit else "", project.park.name if project.park else "",
            project.stage, project.signed_on, project.started_on, project.producing_on, project.dropped_on, project.drop_reason,
            tuple(sorted(project.leaders.values_list("name", flat=True))), project.notes,
        ))
    arrivals = sorted(FundArrival.objects.filter(project__zone=zone).values_list("project__code", "date", "amount"))
    return sorted(rows), arrivals


def test_round_trip_export_then_import_gives_the_same_data(zone, other_zone, sample, make_project, tmp_path):
    import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone)
    import_ledger(sample("ledger_sample_gbk.csv"), zone=zone)
    dropped = make_project(name="已终止项目", amount="1234.5", signed_on="2023-05-01")
    from zhaoshang.projects.actions import change_stage
    import datetime as dt

    change_stage(dropped, to_stage="dropped", on=dt.date(2024, 2, 1), reason="企业战略调整")
    out = tmp_path / "round.xlsx"
    run("export_ledger", "--zone", zone.code, str(out))
    again = import_ledger(out, zone=zone)
    assert again.ok and (again.projects_created, again.projects_updated, again.projects_unchanged) == (0, 0, 7)
    assert again.fund_arrivals_created == 0 and not again.warnings
    fresh = import_ledger(out, zone=other_zone)
    assert fresh.ok, [str(issue) for issue in fresh.errors]
    assert _facts(other_zone) == _facts(zone)
    assert Project.objects.get(zone=other_zone, name="已终止项目").total_investment == Decimal("1234.50")


def test_write_projects_exports_exactly_the_given_rows(zone, make_project, tmp_path):
    from zhaoshang.ledger.export import write_projects

    make_project(name="甲", signed_on="2024-01-01")
    make_project(name="乙", signed_on="2024-02-01")
    out = tmp_path / "x.xlsx"
    assert write_projects(Project.objects.filter(name="乙"), out=str(out)) == 1
    rows = sheets_of(out)["项目台账"]
    assert [row[1] for row in rows[3:-1]] == ["乙"]


def test_the_blank_template_reads_back_as_an_empty_ledger(zone, tmp_path):
    from zhaoshang.ledger.export import write_template

    path = tmp_path / "template.xlsx"
    with path.open("wb") as handle:
        write_template(handle)
    assert sheets_of(path)["项目台账"][2][:2] == ["项目编号", "* 项目名称"]
    result = import_ledger(path, zone=zone)
    assert result.ok and result.projects_created == 0


def test_fund_arrivals_idempotent_but_a_second_equal_payment_counts(zone, workbook):
    rows = [["项目名称", "签约时间", "总投资"], ["甲项目", "2024-01-01", 100]]
    funds = [["项目名称", "到位时间", "到位金额"], ["甲项目", "2024-02-01", 10]]
    import_ledger(workbook({"项目": rows, "资金": funds}), zone=zone)
    assert import_ledger(workbook({"项目": rows, "资金": funds}), zone=zone).fund_arrivals_created == 0
    twice = import_ledger(workbook({"项目": rows, "资金": funds + [["甲项目", "2024-02-01", 10]]}), zone=zone)
    assert twice.fund_arrivals_created == 1 and FundArrival.objects.count() == 2


def test_write_projects_takes_the_project_lists_queryset_and_a_stream(zone, make_project):
    """The project list's export button passes its own queryset (joined, prefetched, maybe
    annotated) and a stream as the second argument."""
    import datetime as dt

    from zhaoshang.ledger.export import write_projects
    from zhaoshang.projects import kpi

    make_project(name="甲", signed_on="2024-01-01")
    make_project(name="乙", signed_on="2023-02-01")
    period = kpi.Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    queryset = kpi.projects_behind("signed_count", Project.objects.filter(zone=zone), period)
    queryset = queryset.select_related("zone", "investor").prefetch_related("leaders").order_by("-signed_on")
    stream = io.BytesIO()
    assert write_projects(queryset, stream) == 1
    book = CalamineWorkbook.from_filelike(io.BytesIO(stream.getvalue()))
    assert [row[1] for row in book.get_sheet_by_name("项目台账").to_python()[3:-1]] == ["甲"]
