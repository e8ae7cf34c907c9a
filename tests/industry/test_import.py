import io

import openpyxl
import pytest

from zhaoshang.industry import actions
from zhaoshang.industry.importer import ImportFailed, import_targets
from zhaoshang.industry.models import TargetCompany

from .conftest import TODAY

VALID_USCC = "91350100M000100Y43"


def workbook(rows, title="目标企业名单") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["序号", "企业 名称", "统一社会信用代码", "所在地", "企业标签", "产业链", "产业链节点", "营收规模（亿元）", "对接状态", "备注"]


def good_list():
    return workbook([
        ["2025年新能源电池产业链目标企业名单"],
        ["填报单位：投资促进局", None, None, None, None, None, None, None, "单位：亿元"],
        HEADER,
        ["一、正极材料（2家）"],
        [1, "江苏甲正极材料有限公司", VALID_USCC, "江苏省常州市", "专精特新、小巨人", "测试电池链", "正极材料", 35, "已接触", "商会推荐"],
        [2, "乙新能源集团有限公司 ", None, "山西省太原市", "链主", "测试电池链", "正极材料、隔膜", "1200", None, None],
        [None, None, None, None, None, None, None, None, None, None],
        ["二、电芯（1家）"],
        [3, "丙电芯科技（深圳）有限公司", None, "广东省深圳市", None, "测试电池链", "电芯制造", "0.5", "洽谈中", None],
        ["合计", "3家"],
    ])


def test_a_real_looking_list_imports(zone, small_chain, node):
    result = import_targets(zone, good_list(), filename="名单.xlsx", today=TODAY)
    assert result.counts() == {"created": 3, "updated": 0, "unchanged": 0}
    jia = TargetCompany.objects.get(uscc=VALID_USCC)
    assert (jia.name, jia.province, jia.city, jia.region, jia.status, jia.revenue_band, jia.notes) == (
        "江苏甲正极材料有限公司", "江苏省", "常州市", "yrd", "contacted", "10-100", "商会推荐")
    assert sorted(t.name for t in jia.tags.all()) == ["专精特新", "小巨人"]
    yi = TargetCompany.objects.get(name="乙新能源集团有限公司")
    assert sorted(n.name for n in yi.nodes.all()) == ["正极材料", "隔膜"] and yi.revenue_band == "gt1000"
    bing = TargetCompany.objects.get(name="丙电芯科技（深圳）有限公司")
    assert (bing.status, bing.revenue_band, bing.region) == ("negotiating", "lt1", "gba")


def test_reimporting_changes_nothing(zone, small_chain):
    import_targets(zone, good_list(), today=TODAY)
    before = list(TargetCompany.objects.values_list("pk", "name", "status", "version"))
    result = import_targets(zone, good_list(), today=TODAY)
    assert result.counts() == {"created": 0, "updated": 0, "unchanged": 3}
    assert list(TargetCompany.objects.values_list("pk", "name", "status", "version")) == before


def test_a_list_matches_existing_targets_by_code_or_normalised_name(zone, small_chain, node):
    existing = actions.create_target(zone=zone, name="乙新能源集团股份有限公司", tags=["行业龙头"], nodes=[node("电芯制造")])
    result = import_targets(zone, good_list(), today=TODAY)
    assert result.counts() == {"created": 2, "updated": 1, "unchanged": 0}
    existing.refresh_from_db()
    assert sorted(t.name for t in existing.tags.all()) == ["行业龙头", "链主"]
    assert sorted(n.name for n in existing.nodes.all()) == ["正极材料", "电芯制造", "隔膜"]
    assert existing.name == "乙新能源集团股份有限公司"


def test_bad_rows_are_all_named_and_nothing_is_written(zone, small_chain):
    data = workbook([
        HEADER,
        [1, "甲公司", "91350100M000100Y44", "江苏省", None, None, "正极材料", None, None, None],
        [2, "乙公司", None, "浙江省", None, "测试电池链", "不存在的节点", None, None, None],
        [3, "丙公司", None, "广东省", None, None, None, "很多", "谈着呢", None],
        [4, None, None, "北京市", "链主", None, None, None, None, None],
        [5, "甲公司（上海）", None, None, None, None, None, None, None, None],
        [6, "丁公司", None, None, None, "不存在的链", None, None, None, None],
        [7, "戊公司", None, None, None, None, "正极材料", None, None, None],
    ], title="名单")
    with pytest.raises(ImportFailed) as failure:
        import_targets(zone, data, today=TODAY)
    messages = [str(issue) for issue in failure.value.errors]
    assert messages == [
        "名单 第2行「统一社会信用代码」：统一社会信用代码校验位错误：末位应为“3”，实际为“4”",
        "名单 第2行「产业链节点」：节点“正极材料”在多条产业链中都有，请填写“产业链”列",
        "名单 第3行「产业链节点」：节点“不存在的节点”不在产业链“测试电池链”中",
        "名单 第4行「营收规模(亿元)」：金额“很多”无法识别",
        "名单 第4行「对接状态」：无法识别的对接状态“谈着呢”，应为未接触、已接触或洽谈中",
        "名单 第5行「企业 名称」：缺少企业名称",
        "名单 第7行「产业链」：本园区没有产业链“不存在的链”",
        "名单 第8行「产业链节点」：节点“正极材料”在多条产业链中都有，请填写“产业链”列",
        "名单 第6行：与名单第2行是同一企业",
    ]
    assert not TargetCompany.objects.exists()


def test_a_sheet_without_a_name_column_is_refused(zone):
    with pytest.raises(ImportFailed) as failure:
        import_targets(zone, workbook([["序号", "地址"], [1, "北京"]], title="Sheet1"), today=TODAY)
    assert [str(issue) for issue in failure.value.errors] == ["Sheet1：未找到“企业名称”列"]


def test_a_file_that_is_no_spreadsheet_is_refused(zone):
    with pytest.raises(ImportFailed) as failure:
        import_targets(zone, b"%PDF-1.4 not a sheet", filename="名单.pdf", today=TODAY)
    assert "PDF" in str(failure.value.errors[0])


def test_import_page(client, bureau_user, zone, small_chain):
    client.force_login(bureau_user)
    assert client.get("/industry/targets/import/").status_code == 200
    bad = client.post("/industry/targets/import/", {"file": io.BytesIO(workbook([HEADER, [1, "甲公司", "123"]]))})
    assert bad.status_code == 422 and "统一社会信用代码应为18位" in bad.content.decode()
    upload = io.BytesIO(good_list())
    upload.name = "名单.xlsx"
    response = client.post("/industry/targets/import/", {"file": upload})
    assert response.status_code == 302 and TargetCompany.objects.count() == 3
