"""The chain map in a real browser: the ECharts tree draws, gaps are marked, and a
recommendation leads to its target."""

import os

import pytest


pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_chain_map_draws_and_links_to_a_recommended_target(browser_page, live_server, login, make_user):  # noqa: F811
    from zhaoshang.core import demo

    zone = demo.seed_demo()
    make_user("chief", zone, "bureau")
    chain = zone.chains.get(name="新能源电池及材料")
    page = browser_page
    login(page, live_server, "chief", next_path=f"/industry/chains/{chain.pk}/")
    page.goto(f"{live_server.url}/industry/chains/{chain.pk}/")
    page.wait_for_function("document.querySelectorAll('#zs-chain-tree canvas').length > 0")
    assert page.js_errors == []
    assert page.locator(".zs-gap").all_inner_texts() == ["电芯制造"]
    if os.environ.get("ZHAOSHANG_CHAIN_SCREENSHOT"):
        page.screenshot(path=os.environ["ZHAOSHANG_CHAIN_SCREENSHOT"], full_page=True)
    page.locator(".zs-recommendations a", has_text="江苏清能电芯科技有限公司").click()
    page.wait_for_url("**/industry/targets/*/")
    assert page.locator("h1").inner_text().startswith("江苏清能电芯科技有限公司")
    assert "是宁德时利新能源科技有限公司的供应商" in page.content()
