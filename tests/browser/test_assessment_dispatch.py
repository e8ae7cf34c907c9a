"""A dispatch round in a real browser: the bureau opens it, a unit fills and reports it,
the bureau closes it and downloads the report."""

import datetime as dt
import io

import pytest
from docx import Document

from tests.browser.conftest import do_login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_open_fill_close_and_download_a_round(browser, browser_page, live_server, zone, unit, other_unit,  # noqa: F811
                                              make_project, make_user):
    from zhaoshang.projects import actions as project_actions

    project = make_project(name="锂电材料项目", responsible_unit=unit, signed_on="2025-01-10")
    project_actions.add_follow_up(project, date=dt.date(2025, 3, 5), summary="对接用地规划", next_step="签订供地协议")
    make_project(name="数字经济项目", responsible_unit=other_unit, signed_on="2025-01-20")
    make_user("chief", zone, "bureau")
    make_user("alice", zone, "unit", unit=unit)

    bureau = browser_page
    do_login(bureau, live_server, "chief", next_path="/assessment/dispatch/")
    bureau.goto(f"{live_server.url}/assessment/dispatch/")
    form = bureau.locator("#open-round")
    form.locator("input[name=title]").fill("2025年3月第1期")
    form.locator("select[name=cadence]").select_option("monthly")
    form.locator("input[name=start]").fill("2025-03-01")
    form.locator("input[name=end]").fill("2025-03-31")
    form.locator("input[name=deadline]").fill("2025-04-03")
    form.locator("button[type=submit]").click()
    bureau.wait_for_url("**/assessment/dispatch/*/")
    round_url = bureau.url
    assert "未报送单位（2）" in bureau.locator("#not-reported").inner_text()

    unit_context = browser.new_context(locale="zh-CN")
    member = unit_context.new_page()
    try:
        do_login(member, live_server, "alice", next_path="/assessment/dispatch/")
        member.goto(round_url)
        member.get_by_role("link", name="填报 / 查看").click()
        progress = member.locator("textarea[name$=-progress]")
        assert "对接用地规划" in progress.input_value()  # pre-filled from the follow-up
        progress.fill("完成用地预审，规划方案已报审")
        member.locator("input[name$=-period_investment]").fill("300")
        member.locator("input[name$=-cumulative_investment]").fill("800")
        member.locator("textarea[name$=-problems]").fill("施工用电尚未接入")
        member.locator("#submit-report").click()
        member.wait_for_selector("#submitted")
    finally:
        unit_context.close()

    bureau.goto(round_url)
    assert "未报送单位（1）：数字经济专班" in bureau.locator("#not-reported").inner_text()
    bureau.once("dialog", lambda dialog: dialog.accept())
    bureau.locator("#close-round").click()
    bureau.wait_for_selector("text=已关闭")
    with bureau.expect_download() as download_info:
        bureau.locator("#report-docx").click()
    path = download_info.value.path()
    document = Document(io.BytesIO(open(path, "rb").read()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "完成用地预审，规划方案已报审" in cells and "施工用电尚未接入" in cells and "300万元" in cells
    assert "未报送单位：数字经济专班" in "\n".join(p.text for p in document.paragraphs)
    assert bureau.js_errors == []
