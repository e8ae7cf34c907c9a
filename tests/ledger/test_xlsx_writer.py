import datetime as dt
from decimal import Decimal

import openpyxl

from zhaoshang.ledger import xlsx


def test_the_streaming_writer_makes_a_workbook_excel_tools_open(tmp_path):
    path = tmp_path / "w.xlsx"
    with xlsx.Workbook(str(path)) as book:
        sheet = book.sheet("项目台账", widths=[12, 30, 12], freeze=(1, 1))
        sheet.merge(0, 0, 0, 2)
        sheet.row(["标题 & <说明>"], style=xlsx.TITLE, height=26)
        sheet.row([" 前后空格 ", Decimal("125000.50"), dt.date(2024, 3, 5)], styles=[None, xlsx.AMOUNT, xlsx.DATE])
        sheet.row(["控制\x07字符", 3, None])
        sheet.set_autofilter(0, 0, 2, 2)
        book.sheet("空表")
    loaded = openpyxl.load_workbook(path)
    assert loaded.sheetnames == ["项目台账", "空表"]
    first = loaded["项目台账"]
    assert first["A1"].value == "标题 & <说明>" and first["A2"].value == " 前后空格 "
    assert first["B2"].value == 125000.5 and first["B2"].number_format == "#,##0.00"
    assert first["C2"].value == dt.datetime(2024, 3, 5) and first["A3"].value == "控制字符"
    assert first.freeze_panes == "B2" and first.auto_filter.ref == "A1:C3" and "A1:C1" in {str(r) for r in first.merged_cells.ranges}
    assert first.column_dimensions["B"].width == 30
