"""What parse_sheet's shortcuts must not change: cells remembered per column (1, 1.0 and
True read apart; date columns sharing what they learn), columns that stop being remembered
part-way down a long sheet, section rows told from names beginning with 第, short rows,
and the quick check of a 统一社会信用代码."""

import datetime as dt
import random
from decimal import Decimal

from zhaoshang.enterprises import uscc as uscc_rules
from zhaoshang.ledger import parsing
from zhaoshang.ledger.readers import Sheet

D = dt.date


def parse(rows, first_row=1):
    issues = []
    numbered = [(first_row + position, list(row)) for position, row in enumerate(rows)]
    parsed = parsing.parse_sheet(Sheet("项目", len(rows), iter(numbered)), issues)
    return parsed, [(issue.row, issue.column, issue.message) for issue in issues]


def test_equal_keys_that_are_different_cells_are_read_apart():
    header = ["项目名称", "固投项目", "总投资", "签约日期", "项目进展"]
    cells = [1, 1.0, True, "1", 0, 0.0, False, 1, True]
    parsed, issues = parse([header] + [[f"p{i}", value, value, value, "在建"] for i, value in enumerate(cells)])
    assert [record.get("is_fixed_asset") for record in parsed.records] == [True, True, True, True, False, False, False, True, True]
    amounts = [record.get("total_investment") for record in parsed.records]
    assert amounts[:2] == [Decimal("1.00"), Decimal("1.00")]
    assert amounts[2] is None and amounts[5] == Decimal("0.00")
    assert [(row, column) for row, column, message in issues if column == "总投资"] == [(4, "总投资"), (8, "总投资"), (10, "总投资")]
    assert all(record.get("signed_on") is None for record in parsed.records)  # 1, 0, True … are no dates
    assert len([issue for issue in issues if issue[1] == "签约日期"]) == len(cells)


def test_date_columns_share_what_they_learn_and_give_the_same_dates():
    header = ["项目名称", "签约日期", "开工日期", "投产日期"]
    forms = ["2024.3.5", "２０２４年３月５日", 45356.0, dt.datetime(2024, 3, 5), D(2024, 3, 5), " 2024/3/5 ", "2024年3月"]
    rows = [[f"p{i}", form, form, forms[(i + 1) % len(forms)]] for i, form in enumerate(forms * 2)]
    parsed, issues = parse([header] + rows)
    assert not issues
    for record in parsed.records:
        for field in ("signed_on", "started_on", "producing_on"):
            assert type(record[field]) is D and record[field] in (D(2024, 3, 5), D(2024, 3, 1))


def test_a_long_sheet_reads_the_same_after_its_distinct_columns_stop_being_remembered():
    rng = random.Random(5)
    header = ["项目名称", "总投资（亿元）", "投资方", "项目进展", "签约日期"]
    rows, expected = [], []
    for number in range(12_000):
        wan = rng.randrange(1, 10**6)
        written = rng.choice([wan / 10000, f"{wan / 10000:g}亿", f"{wan:,}万", f"{wan * 10000:,}元", "待定"])
        rows.append([f"项目{number}", written, f"企业{number}", rng.choice(["在谈", "在建"]), "2024.3.5"])
        expected.append(None if written == "待定" else Decimal(wan).quantize(Decimal("0.01")))
    progressed = []
    issues = []
    numbered = [(position + 1, row) for position, row in enumerate([header] + rows)]
    parsed = parsing.parse_sheet(Sheet("项目", len(numbered), iter(numbered)), issues, progress=progressed.append)
    assert [record.get("total_investment") for record in parsed.records] == expected
    assert [record["investor"] for record in parsed.records] == [f"企业{number}" for number in range(12_000)]
    assert [issue.message for issue in issues] == ["金额“待定”无法识别"] * expected.count(None)
    assert progressed == [5000, 10000] and parsed.rows_read == 12_001


def test_names_beginning_with_di_are_projects_and_di_sections_are_not():
    header = ["序号", "项目名称", "总投资"]
    rows = [
        ["", "第一中学迁建项目", 1], ["", "第3901号测试项目", 2], ["", "第一人民医院内科部大楼", 3],
        ["", "第3批", 4], ["", "第二部分", 5], ["", "第一类", 6], ["", "第10组", 7], ["", "第3\u200b批", 8],
        ["", "　第３批", 9], ["", "第二批（12个）", 10], ["第3批", "", 11], ["一、数字经济（12个）", "", 12],
        ["", "合计", 13], ["", "三一重工产业园", 14],
    ]
    parsed, issues = parse([header] + rows)
    assert [record["name"] for record in parsed.records] == ["第一中学迁建项目", "第3901号测试项目", "第一人民医院内科部大楼", "三一重工产业园"]
    assert not issues


def test_short_rows_read_as_blank_cells():
    header = ["项目名称", "投资方", "总投资", "项目进展"]
    parsed, issues = parse([header, ["甲项目"], ["乙项目", "某公司"], [], ["", "", ""], ["丙项目", "", "", "在建"]], first_row=5)
    assert [(record["row"], sorted(record)) for record in parsed.records] == [
        (6, ["bad", "name", "row", "sheet"]), (7, ["bad", "investor", "name", "row", "sheet"]),
        (10, ["bad", "name", "row", "sheet", "stage"])]
    assert not issues


def test_the_quick_check_character_agrees_with_the_rules():
    rng = random.Random(2)
    rows, expected = [["项目名称", "统一社会信用代码"]], []
    for number in range(3000):
        body = "".join(rng.choice(uscc_rules.ALPHABET) for _ in range(2)) + "%06d" % rng.randrange(10**6) + \
            "".join(rng.choice(uscc_rules.ALPHABET) for _ in range(9))
        right = body + uscc_rules.check_character(body)
        wrong = body + rng.choice([char for char in uscc_rules.ALPHABET if char != right[-1]])
        rows += [[f"对{number}", right], [f"错{number}", wrong]]
        expected.append(right)
    parsed, issues = parse(rows)
    assert [record["uscc"] for record in parsed.records if not record["bad"]] == expected
    assert len(issues) == 3000 and all("校验位错误" in message for _row, _column, message in issues)
