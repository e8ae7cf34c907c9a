"""Hostile and broken files, and imports that meet: a sparse sheet refused in bounded
memory, error cells and control characters named, implausible dates refused, a check that
never holds SQLite's write lock, and two imports into one zone one after the other."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import Project

from .conftest import HEADER, day

ROOT = Path(__file__).resolve().parents[2]

_MEASURE = """
import sys, time, django
django.setup()
from zhaoshang.ledger import readers
start = time.perf_counter()
try:
    readers.open_sheets(sys.argv[1])
    print("OPENED")
except readers.LedgerFileError as error:
    print("REFUSED", error)
print("SECONDS", time.perf_counter() - start)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1]
print("PEAK_MB", int(peak) / 1024)
"""


def _sparse(path, far_row, far_col=16383):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目")
    sheet.write("B2", "项目名称")
    sheet.write(far_row, far_col, "x")
    book.close()
    return path


@pytest.mark.parametrize("far_row", [19_999, 1_048_575])
def test_a_tiny_sparse_workbook_is_refused_fast_in_bounded_memory(tmp_path, far_row):
    path = _sparse(tmp_path / "sparse.xlsx", far_row)
    assert path.stat().st_size < 8_000
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "zhaoshang.settings"})
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert "REFUSED" in lines, done.stdout + done.stderr
    assert "工作表“项目”有 16384 列" in lines["REFUSED"]
    assert float(lines["PEAK_MB"]) < 200
    assert float(lines["SECONDS"]) < 10


def test_a_workbook_whose_declared_dimension_is_huge_is_refused(tmp_path):
    import zipfile

    from zhaoshang.ledger import readers

    source = _sparse(tmp_path / "small.xlsx", 5, far_col=3)
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(lying, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="B2:D6"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            out.writestr(item, data)
    with pytest.raises(readers.LedgerFileError, match="16384 列"):
        readers.open_sheets(lying)


def test_a_far_cell_under_a_namespace_prefix_is_still_measured(tmp_path):
    """The scan's fast path reads unprefixed tags; one prefixed far cell among them is not missed."""
    import zipfile

    from zhaoshang.ledger import readers

    source = _sparse(tmp_path / "sparse.xlsx", 19_999)
    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(prefixed, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="B2:XFD20000"/>', b'<dimension ref="B2"/>')
                data = data.replace(b'<row r="20000"', b'<x:row r="20000"').replace(b'<c r="XFD20000"', b'<x:c r="XFD20000"')
                assert b'<x:c r="XFD20000"' in data and b"XFD20000" not in data.replace(b'<x:c r="XFD20000"', b"")
            out.writestr(item, data)
    with pytest.raises(readers.LedgerFileError, match="16384 列"):
        readers.open_sheets(prefixed)


def _with_formulas(path):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["甲项目", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"])
    sheet.write_row(2, 0, ["乙项目", "", "", "", None, "专班甲", "2024-03-01", "", "已签约"])
    sheet.write_formula(2, 4, "=1/0", None, "#DIV/0!")
    sheet.write_row(3, 0, ["丙项目", "", "", "", 50, "专班甲", None, "", "已签约"])
    sheet.write_formula(3, 6, "=NA()", None, "#N/A")
    sheet.write_row(4, 0, [None, "", "", "", 50, "专班甲", "2024-03-01", "", "已签约"])
    sheet.write_formula(4, 0, "=#REF!", None, "#REF!")
    book.close()
    return path


def test_error_cells_are_errors_naming_the_cell(zone, tmp_path):
    result = import_ledger(_with_formulas(tmp_path / "formulas.xlsx"), zone=zone, today=day("2025-01-01"))
    found = {}
    for issue in result.errors:
        found.setdefault((issue.sheet, issue.row, issue.column), issue.message)
    assert "公式错误“#DIV/0!”" in found["项目", 3, "总投资（万元）"]
    assert "公式错误“#N/A”" in found["项目", 4, "签约时间"]
    assert "公式错误“#REF!”" in found["项目", 5, "项目名称"]
    assert not Project.objects.filter(zone=zone).exists()


def test_a_control_character_in_a_cell_is_named(zone, tmp_path):
    import xlsxwriter  # writes it as Excel does (_x001B_); openpyxl refuses to

    path = tmp_path / "control.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目")
    for number, row in enumerate([HEADER, ["正常项目", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"],
                                  ["带\x1b控制符的项目", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"]]):
        sheet.write_row(number, 0, row)
    book.close()
    result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    messages = [str(issue) for issue in result.errors]
    assert any("项目 第3行「项目名称」" in text and "控制字符（U+001B）" in text for text in messages), messages
    assert not Project.objects.filter(zone=zone).exists()


def test_a_nul_byte_deep_in_a_csv_is_refused_with_its_line(zone, tmp_path):
    lines = ["项目名称,总投资（万元）,签约时间,项目进展"] + [f"项目{n},100,2024-03-01,已签约" for n in range(400)]
    lines[350] = "坏\x00项目,100,2024-03-01,已签约"
    path = tmp_path / "nul.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 8192
    result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert [issue.message for issue in result.errors] == ["CSV 文件第 351 行含有控制字符（U+0000），请删除后再导入"]
    assert not Project.objects.filter(zone=zone).exists()


@pytest.mark.parametrize("written, column", [("1899-12-31", "签约时间"), ("9999-12-31", "签约时间"), ("2026-01-01", "开工时间")])
def test_dates_outside_the_plausible_window_are_refused(zone, simple_ledger, written, column):
    row = ["项目甲", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"]
    row[HEADER.index(column)] = written
    result = import_ledger(simple_ledger(row), zone=zone, today=day("2025-01-01"))
    assert [(issue.row, issue.column) for issue in result.errors] == [(2, column)]
    assert "不在合理范围内（1990-01-01 至 2025-01-01）" in result.errors[0].message
    assert not Project.objects.filter(zone=zone).exists()


def test_a_planned_start_may_lie_ahead(zone, simple_ledger):
    header = [*HEADER, "计划开工时间"]
    result = import_ledger(simple_ledger(["项目甲", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约", "2026-05-01"], header=header),
                           zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    assert Project.objects.get(zone=zone).planned_start_on == day("2026-05-01")


def _ledger_rows(count, prefix):
    return [[f"{prefix}{n}", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"] for n in range(count)]


@pytest.mark.django_db(transaction=True)
def test_a_check_never_holds_a_transaction_or_the_write_lock(simple_ledger):
    from zhaoshang.core.actions import create_zone

    zone = create_zone(code="lockzone", name="锁测试园区", province="山西省")
    path = simple_ledger(*_ledger_rows(30, "检查项目"))
    seen = []

    def progress(done, total, phase=""):
        seen.append(connection.in_atomic_block)
        if len(seen) == 1:
            # Another writer, on a connection of its own, is not kept waiting.
            def write():
                try:
                    create_zone(code="otherzone", name="另一园区", province="山西省")
                finally:
                    connection.close()

            other = threading.Thread(target=write)
            other.start()
            other.join(timeout=10)
            assert not other.is_alive()

    result = import_ledger(path, zone=zone, dry_run=True, today=day("2025-01-01"), progress=progress)
    assert result.ok and result.projects_created == 30
    assert seen and not any(seen)
    from zhaoshang.core.models import Zone

    assert Zone.objects.filter(code="otherzone").exists()
    assert not Project.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_imports_into_one_zone_run_one_after_the_other(simple_ledger):
    from zhaoshang.core.actions import create_zone

    zone = create_zone(code="busyzone", name="并发测试园区", province="山西省")
    first_path = simple_ledger(*_ledger_rows(20, "第一份"))
    second_path = simple_ledger(*_ledger_rows(20, "第二份"))
    outcome = {}

    def second():
        try:
            outcome["second"] = import_ledger(second_path, zone=zone, filename="第二份.xlsx", today=day("2025-01-01"))
        finally:
            connection.close()

    def progress(done, total, phase=""):
        if phase == "write" and "second" not in outcome:
            other = threading.Thread(target=second)
            other.start()
            other.join(timeout=30)

    first = import_ledger(first_path, zone=zone, filename="第一份.xlsx", today=day("2025-01-01"), progress=progress)
    assert first.ok and first.projects_created == 20
    refused = outcome["second"]
    assert [issue.message for issue in refused.errors][0].startswith("本园区正在导入另一份台账（“第一份.xlsx”")
    assert Project.objects.filter(zone=zone).count() == 20
    # Once the first is done the second goes through.
    again = import_ledger(second_path, zone=zone, filename="第二份.xlsx", today=day("2025-01-01"))
    assert again.ok and Project.objects.filter(zone=zone).count() == 40
