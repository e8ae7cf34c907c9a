"""Reading a ledger in a second process gives what reading it in the importing process
gives; a reading process that cannot read the file, or fails, leaves nothing written
and no process behind."""

import os
import signal
import threading

import pytest

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger import parsing, reading
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import FundArrival, Project

from .conftest import day

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the reading process needs os.fork")


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def imported(zone, path, monkeypatch, *, process: bool):
    monkeypatch.setattr(reading, "use_process", lambda: process)
    result = import_ledger(path, zone=zone, today=day("2025-01-01"), dry_run=True)
    data = result.as_dict()
    data.pop("dry_run")
    return data


@needs_fork
@pytest.mark.parametrize("name", ["ledger_sample_yiyuan.xlsx", "ledger_sample_gbk.csv"])
def test_a_sample_reads_the_same_in_a_second_process(zone, sample, monkeypatch, name):
    path = sample(name)
    in_process = imported(zone, path, monkeypatch, process=False)
    beside = imported(zone, path, monkeypatch, process=True)
    assert beside == in_process
    assert beside["projects_created"] > 0 and no_children_left()


@needs_fork
def test_errors_warnings_and_row_counts_come_back_in_order(zone, workbook, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 3)  # rows cross the pipe in several events
    header = ["项目名称", "统一社会信用代码", "总投资（万元）", "签约时间", "开工时间", "项目进展", "奇怪的列"]
    rows = [[f"项目{number}", "", 100 + number, "2024-03-01", "", "已签约", "x"] for number in range(1, 12)]
    rows[2][1] = "91140300000007919X"  # a bad check character
    rows[5][2] = "-3"
    rows[8][4] = "2023-01-01"  # started before it was signed
    rows[9][5] = "在建"  # the dates say signed
    path = workbook({"项目": [header, *rows], "到位": [["项目名称", "到位时间", "到位金额"], ["项目1", "2024.5.1", "50"]]})
    in_process = imported(zone, path, monkeypatch, process=False)
    beside = imported(zone, path, monkeypatch, process=True)
    assert beside == in_process
    assert [(issue["row"], issue["column"]) for issue in beside["errors"]] == [
        (4, "统一社会信用代码"), (7, "总投资（万元）"), (10, "开工时间")]
    assert beside["sheets"] == [{"name": "项目", "kind": "projects", "rows": 11}, {"name": "到位", "kind": "arrivals", "rows": 1}]
    assert {"row": None, "column": "奇怪的列", "sheet": "项目", "message": "未识别的列，已忽略"} in beside["warnings"]


@needs_fork
def test_a_file_the_reading_process_cannot_open_is_a_clear_error(zone, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "use_process", lambda: True)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = import_ledger(path, zone=zone)
    assert [issue.message for issue in result.errors] == ["文件已损坏，无法作为 Excel 表格打开"]
    assert no_children_left()


@needs_fork
def test_a_failing_reading_process_writes_nothing(zone, workbook, monkeypatch):
    monkeypatch.setattr(reading, "use_process", lambda: True)
    real = parsing.parse_sheet

    def fails_on_the_second_sheet(sheet, issues, **options):
        if sheet.name == "到位":
            raise ValueError("a bug in reading")
        return real(sheet, issues, **options)

    monkeypatch.setattr(reading, "parse_sheet", fails_on_the_second_sheet)  # the forked process has it too
    path = workbook({"项目": [["项目名称", "签约时间"], *[[f"项目{n}", "2024-03-01"] for n in range(1, 50)]],
                     "到位": [["项目名称", "到位时间", "到位金额"], ["项目1", "2024.5.1", "50"]]})
    with pytest.raises(RuntimeError, match="a bug in reading"):
        import_ledger(path, zone=zone)
    assert not Project.objects.filter(zone=zone).exists()
    assert not Enterprise.objects.filter(zone=zone).exists()
    assert not FundArrival.objects.exists()
    assert no_children_left()


@needs_fork
def test_an_import_stopped_midway_stops_its_reading_process(zone, workbook, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 1)

    def stop(event):
        if event[0] == "rows":
            raise KeyboardInterrupt

    path = workbook({"项目": [["项目名称", "签约时间"], *[[f"项目{n}", "2024-03-01"] for n in range(1, 2000)]]})
    with pytest.raises(KeyboardInterrupt):
        reading.read(path, "ledger.xlsx", stop, process=True)
    assert no_children_left()


@needs_fork
def test_a_host_that_reaps_children_itself_still_imports(zone, sample, monkeypatch):
    monkeypatch.setattr(reading, "use_process", lambda: True)
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        result = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone, today=day("2025-01-01"))
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert result.ok and result.projects_created == 6


def test_without_a_fork_the_ledger_is_read_in_process(zone, sample, monkeypatch):
    monkeypatch.setattr(reading, "use_process", lambda: True)

    def no_fork():
        raise OSError("Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    result = import_ledger(sample("ledger_sample_yiyuan.xlsx"), zone=zone, today=day("2025-01-01"))
    assert result.ok and result.projects_created == 6


def test_a_threaded_process_is_not_forked(settings):
    settings.ZHAOSHANG_LEDGER_READ_PROCESS = True
    started, release = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (started.set(), release.wait()))
    other.start()
    started.wait()
    try:
        assert not reading.use_process()  # a web server's threads hold sockets and locks
    finally:
        release.set()
        other.join()
    settings.ZHAOSHANG_LEDGER_READ_PROCESS = False
    assert not reading.use_process()
