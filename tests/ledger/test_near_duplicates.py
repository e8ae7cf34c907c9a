"""A ledger row for a project the zone already has under a slightly different name is
listed as a near-duplicate in the preview (the rules of projects.duplicates), and so are two
rows of one ledger that name the same project."""

from decimal import Decimal

from zhaoshang.core.actions import create_unit
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import Project

from .conftest import HEADER, VALID_USCC, day


def test_the_preview_lists_a_near_duplicate_of_an_existing_project(zone, make_project, workbook, client, make_user):
    unit = create_unit(zone=zone, name="新能源新材料专班", kind="task_force")
    company = create_enterprise(zone=zone, name="阳泉钼业科技有限公司", uscc=VALID_USCC[0])
    make_project(name="钼靶材深加工一期项目", amount="24000", signed_on="2024-05-10", investor=company, responsible_unit=unit)
    path = workbook({"Sheet1": [
        HEADER,
        ["钼靶材深加工项目", "阳泉钼业科技有限公司", VALID_USCC[0], "新能源电池及材料", "24000", "新能源新材料专班", "2024-05-10", "", "已签约"],
        ["氢能重卡项目", "晋东氢能有限公司", VALID_USCC[1], "新能源电池及材料", "5000", "新能源新材料专班", "2024-06-01", "", "已签约"],
        ["氢能重卡 项目", "晋东氢能有限公司", VALID_USCC[1], "新能源电池及材料", "5000", "新能源新材料专班", "2024-06-01", "", "已签约"],
    ]})
    result = import_ledger(path, zone=zone, dry_run=True)
    assert result.ok, [str(issue) for issue in result.errors]
    by_row = {row["row"]: row for row in result.duplicates}
    [match] = by_row[2]["matches"]
    assert match["name"] == "钼靶材深加工一期项目" and "同一企业" in match["reasons"]
    assert any("本台账第" in match["where"] for match in by_row[4]["matches"])
    assert any("疑似重复" in issue.message and issue.row == 2 for issue in result.warnings)
    assert Project.objects.filter(zone=zone).count() == 1  # a check writes nothing
