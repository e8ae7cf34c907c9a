"""Columns the platform does not model are kept: 项目类别 as the zone's list of
categories, any other column as the project's extra fields, shown on its page and
exported again under its header."""

from django.urls import reverse

from zhaoshang.ledger.actions import export_projects, import_ledger
from zhaoshang.ledger.readers import open_sheets
from zhaoshang.projects.models import Project, ProjectCategory

from .conftest import day

HEADER = ["项目名称", "总投资（万元）", "签约时间", "项目进展", "项目类别", "建设内容", "备注", "对接人微信"]


def test_category_and_unknown_columns_are_kept_and_exported_again(zone, simple_ledger, tmp_path):
    path = simple_ledger(
        ["甲项目", 100, "2024-03-01", "已签约", "工业项目", "新建厂房2万平方米", "需协调用地", "wx_jia"],
        ["乙项目", 200, "2024-04-01", "已签约", "社会事业", "", "", ""],
        ["丙项目", 300, "2024-05-01", "已签约", "工业", "研发楼", "", ""],
        header=HEADER,
    )
    result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    kept = {issue.column: issue.message for issue in result.warnings if issue.row is None}
    assert kept == {"建设内容": "平台没有对应的字段：保留为附加字段", "对接人微信": "平台没有对应的字段：保留为附加字段"}
    assert sorted(ProjectCategory.objects.filter(zone=zone).values_list("name", flat=True)) == ["工业", "社会事业"]
    projects = {project.name: project for project in Project.objects.filter(zone=zone).select_related("category")}
    assert projects["甲项目"].category.name == projects["丙项目"].category.name == "工业"
    assert projects["甲项目"].extra == {"建设内容": "新建厂房2万平方米", "对接人微信": "wx_jia"}
    assert projects["甲项目"].notes == "需协调用地"
    assert projects["乙项目"].extra == {}

    out = tmp_path / "out.xlsx"
    export_projects(Project.objects.filter(zone=zone), out, zone=zone)
    rows = [values for _number, values in open_sheets(out)[0].rows]
    header = rows[2]
    assert "项目类别" in header and header[-2:] == ["建设内容", "对接人微信"]
    first = next(row for row in rows if row[1] == "甲项目")
    assert first[header.index("项目类别")] == "工业"
    assert first[-2:] == ["新建厂房2万平方米", "wx_jia"]

    # Read back, the export changes nothing.
    again = import_ledger(out, zone=zone, today=day("2025-01-01"))
    assert again.ok and (again.projects_created, again.projects_updated) == (0, 0)


def test_a_later_ledger_adds_to_the_extra_fields(zone, simple_ledger):
    first = simple_ledger(["甲项目", 100, "2024-03-01", "已签约", "工业", "厂房", "", ""], header=HEADER)
    assert import_ledger(first, zone=zone, today=day("2025-01-01")).ok
    later = simple_ledger(["甲项目", 100, "2024-03-01", "已签约", "工业", "", "", "wx"], header=HEADER)
    result = import_ledger(later, zone=zone, today=day("2025-01-01"))
    assert result.ok and result.projects_updated == 1
    assert Project.objects.get(zone=zone).extra == {"建设内容": "厂房", "对接人微信": "wx"}


def test_the_project_page_shows_category_and_extra_fields(zone, simple_ledger, client, make_user):
    from zhaoshang.core.models import Role

    import_ledger(simple_ledger(["甲项目", 100, "2024-03-01", "已签约", "工业项目", "新建厂房", "", ""], header=HEADER), zone=zone,
                  today=day("2025-01-01"))
    project = Project.objects.get(zone=zone)
    client.force_login(make_user("bureau", zone, Role.BUREAU))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-fact="category">工业<' in page
    assert "建设内容" in page and "新建厂房" in page
