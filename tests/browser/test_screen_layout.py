"""The big screen at the three sizes it is shown on: nothing leaves the viewport, nothing
overlaps its neighbour, no figure wraps, and the page never scrolls."""

import pytest

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (3840, 2160), (1366, 768)]

# Every box of the layout, with the boxes it must not overlap: its siblings.
GEOMETRY = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.left, y: r.top, r: r.right, b: r.bottom}; };
  const name = (el) => (el.id || el.className || el.tagName) + (el.dataset.figure ? "[" + el.dataset.figure + "]" : "");
  const W = window.innerWidth, H = window.innerHeight;
  const problems = [];
  const selectors = [".zs-screen-head", ".zs-screen-head h1", ".zs-screen-period", ".zs-screen-figures", ".zs-screen-figure",
    ".zs-screen-figure .label", ".zs-screen-figure .value", ".zs-screen-figure .sub", ".zs-screen-grid", ".zs-panel",
    ".zs-panel h2", ".zs-panel .zs-chart", ".zs-panel canvas"];
  for (const sel of selectors) {
    const nodes = [...document.querySelectorAll(sel)];
    if (!nodes.length) { problems.push("missing " + sel); }
    for (const el of nodes) {
      const b = box(el);
      if (b.x < -0.5 || b.y < -0.5 || b.r > W + 0.5 || b.b > H + 0.5) { problems.push("outside: " + sel + " " + name(el) + " " + JSON.stringify(b)); }
      // Text that runs past its own box (a figure wrapping or cut off) counts as leaving it.
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== "visible") {
        problems.push("clipped: " + sel + " " + name(el));
      }
    }
  }
  // Children of the same parent must not overlap.
  for (const parent of document.querySelectorAll("body, .zs-screen-head, .zs-screen-figures, .zs-screen-figure, .zs-screen-grid, .zs-panel")) {
    const kids = [...parent.children].filter((el) => el.tagName !== "SCRIPT" && getComputedStyle(el).display !== "none");
    for (let i = 0; i < kids.length; i++) {
      for (let j = i + 1; j < kids.length; j++) {
        const a = box(kids[i]), c = box(kids[j]);
        const ox = Math.min(a.r, c.r) - Math.max(a.x, c.x), oy = Math.min(a.b, c.b) - Math.max(a.y, c.y);
        if (ox > 0.5 && oy > 0.5) { problems.push("overlap: " + name(kids[i]) + " / " + name(kids[j])); }
      }
    }
  }
  // A figure's value stays on one line.
  for (const el of document.querySelectorAll(".zs-screen-figure .value")) {
    const line = parseFloat(getComputedStyle(el).lineHeight);
    if (el.getBoundingClientRect().height > line * 1.5) { problems.push("wraps: " + el.textContent.trim()); }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > W || doc.scrollHeight > H) { problems.push("scrolls: " + doc.scrollWidth + "x" + doc.scrollHeight); }
  return problems;
}"""


@pytest.mark.django_db(transaction=True)
def test_the_big_screen_fits_each_size(browser, live_server, login, make_user):
    from zhaoshang.core import demo

    zone = demo.seed_demo(extras=False)
    make_user("wall", zone, "bureau")
    for width, height in SIZES:
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, live_server, "wall", next_path="/cockpit/screen/?kind=year&year=2024")
        page.goto(f"{live_server.url}/cockpit/screen/?kind=year&year=2024")
        page.wait_for_function("document.querySelectorAll('.zs-panel canvas').length >= 6")
        assert page.locator('[data-figure="signed_investment"] .value').inner_text().strip() == "141.34亿元"
        problems = page.evaluate(GEOMETRY)
        assert problems == [], f"{width}×{height}: {problems}"
        assert errors == []
        context.close()
