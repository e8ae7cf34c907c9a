import datetime as dt
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# The two sample ledgers of the steering repository's shared/samples/, kept with the tests.
SAMPLES = HERE / "samples"


@pytest.fixture
def sample(tmp_path):
    """A copy of one of the sample ledgers."""

    def copy(name):
        source = SAMPLES / name
        target = tmp_path / name
        shutil.copy(source, target)
        return target

    return copy


@pytest.fixture
def workbook(tmp_path):
    """Build a small .xlsx with openpyxl: workbook({"Sheet1": [row, ...]}, merged={"Sheet1": ["A1:C1"]})."""
    from openpyxl import Workbook

    counter = iter(range(1, 1000))

    def build(sheets: dict, merged: dict | None = None, name: str | None = None) -> Path:
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
            for cells in (merged or {}).get(title, []):
                sheet.merge_cells(cells)
        path = tmp_path / (name or f"ledger{next(counter)}.xlsx")
        book.save(path)
        return path

    return build


HEADER = ["项目名称", "投资主体", "统一社会信用代码", "所属产业", "总投资（万元）", "责任单位", "签约时间", "开工时间", "项目进展"]
VALID_USCC = ["91140300000007919W", "91140300000015838F", "911403000000237572", "91140300000031676L"]


@pytest.fixture
def simple_ledger(workbook):
    """One header row, then the given rows (defaults filled in)."""

    def build(*rows, header=HEADER, sheet="项目"):
        return workbook({sheet: [header, *rows]})

    return build


def day(text):
    return dt.date.fromisoformat(text)
