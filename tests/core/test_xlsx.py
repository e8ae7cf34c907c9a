import datetime as dt
import os
import tempfile
from decimal import Decimal

import openpyxl
import pytest

from zhaoshang.core import xlsx


def test_a_constant_memory_book_keeps_titles_widths_panes_filter_and_types(tmp_path):
    path = tmp_path / "w.xlsx"
    with xlsx.Book(str(path), constant_memory=True) as book:
        sheet = book.sheet("项目台账", widths=[12, 30, 12], freeze=(2, 1))
        sheet.title("标题 & <说明>", 2, book.title, height=26)
        sheet.columns([xlsx.TEXT, xlsx.NUMBER, xlsx.DATE], [None, book.amount, None])
        sheet.append_row([" 前后空格 ", Decimal("125000.50"), dt.date(2024, 3, 5)])
        sheet.append_row(['=HYPERLINK("http://x","y")', None, None])
        sheet.append_row(["", 0, None])
        sheet.autofilter(0, 0, 3, 2)
        book.sheet("空表")
    loaded = openpyxl.load_workbook(path)
    assert loaded.sheetnames == ["项目台账", "空表"]
    first = loaded["项目台账"]
    assert first["A1"].value == "标题 & <说明>" and first["A2"].value == " 前后空格 "
    assert first["B2"].value == 125000.5 and first["B2"].number_format == "#,##0.00"
    assert first["C2"].value == dt.datetime(2024, 3, 5) and first["C2"].number_format == "yyyy-mm-dd"
    assert first["A3"].value == '=HYPERLINK("http://x","y")' and first["A3"].data_type == "s"
    assert first["A4"].value is None and first["B4"].value == 0 and first["B3"].value is None
    assert first.freeze_panes == "B3" and first.auto_filter.ref == "A1:C4" and "A1:C1" in {str(r) for r in first.merged_cells.ranges}
    assert first.column_dimensions["B"].width == pytest.approx(30, abs=1) and first.row_dimensions[1].height == pytest.approx(26, abs=0.5)


def test_a_book_given_up_half_way_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(RuntimeError), xlsx.Book(str(tmp_path / "w.xlsx"), constant_memory=True) as book:
        sheet = book.sheet("表")
        sheet.columns([xlsx.TEXT])
        sheet.append_row(["甲"])
        raise RuntimeError("stop")
    assert os.listdir(tmp_path) == []
