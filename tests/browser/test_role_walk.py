"""Each demo user (README "Demo users") opens every page of their navigation and the main
pages behind it (a project, an enterprise), and every link and button-link visible there
must answer: no 403, 404 or 500 behind anything a user is shown.

Links are followed with the browser context's request client (same cookies, no page
rendering), at most PER_SHAPE of one shape (the same path with other ids, the same query
keys) per user, so the walk stays around a minute. POST buttons (forms that change data)
are not pressed: their capability is the same as the page link's, tested in
tests/core/test_capabilities.py; GET forms (filters) are submitted as they stand."""

import re
import time
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser

PER_SHAPE = 1
# Not pages: logging out ends the walk, the admin has its own permissions, API pages are
# walked by tests/test_url_walk.py.
SKIP = re.compile(r"^/(accounts/logout|admin/|api/|static/|media/)")
MAIN = ["/", "/workbench/", "/cockpit/", "/projects/", "/enterprises/", "/tickets/", "/assessment/", "/ledger/",
        "/settings/"]

VISIBLE_TARGETS = """() => {
  const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const links = [...document.querySelectorAll('a[href]')].filter(shown).map((a) => a.getAttribute('href'));
  const forms = [...document.querySelectorAll('form')].filter((f) => (f.method || 'get').toLowerCase() === 'get')
    .filter((f) => [...f.querySelectorAll('button, [type=submit]')].some(shown))
    .map((f) => { const q = new URLSearchParams(new FormData(f)).toString();
                  return (f.getAttribute('action') || location.pathname) + (q ? '?' + q : ''); });
  return links.concat(forms);
}"""


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def targets(page, base: str) -> list[str]:
    found = []
    for href in page.evaluate(VISIBLE_TARGETS):
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        if href.startswith(base):
            href = href[len(base):]
        if href.startswith("?"):
            href = urlsplit(page.url).path + href
        if not href.startswith("/") or href.startswith("//") or SKIP.match(href):
            continue
        found.append(href.split("#", 1)[0])
    return found


def walk(page, base: str, username: str) -> tuple[list[str], int]:
    problems, seen, shapes, requested = [], set(), {}, []

    def check(url: str, where: str) -> None:
        if url in seen:
            return
        seen.add(url)
        key = shape(url)
        shapes[key] = shapes.get(key, 0) + 1
        if shapes[key] > PER_SHAPE:
            return
        requested.append(url)
        response = page.request.get(base + url, max_redirects=5, timeout=30_000)
        if response.status in (403, 404) or response.status >= 500:
            problems.append(f"{username}: {url} → {response.status} (linked from {where})")

    pages = list(MAIN)
    page.goto(base + "/", wait_until="domcontentloaded")
    nav = [href for href in targets(page, base) if re.fullmatch(r"/[a-z]+/", href)]
    pages += [href for href in nav if href not in pages]
    opened = set()
    for path in pages:
        if path in opened:
            continue
        opened.add(path)
        response = page.goto(base + path, wait_until="domcontentloaded")
        status = response.status if response else 0
        if status in (404,) or status >= 500 or (status == 403 and path in nav):
            problems.append(f"{username}: main page {path} → {status}")
            continue
        if status == 403:
            continue  # a main page outside the user's navigation: refused as it should be
        found = targets(page, base)
        # The first project and enterprise the user is shown are main pages too.
        for pattern in (r"^/projects/\d+/$", r"^/enterprises/\d+/$"):
            first = next((href for href in found if re.match(pattern, href)), None)
            if first and first not in pages:
                pages.append(first)
        for url in found:
            check(url, path)
    return problems, len(requested)


@pytest.mark.django_db(transaction=True)
def test_every_role_reaches_what_it_is_shown(browser, live_server, login):
    from zhaoshang.core import demo

    started = time.monotonic()
    demo.seed_demo()
    print(f"seeded in {time.monotonic() - started:.0f}s")
    problems, counts = [], {}
    for username, *_rest in demo.DEMO_USERS:
        context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            login(page, live_server, username, password=demo.DEMO_PASSWORD)
            found, counts[username] = walk(page, live_server.url, username)
            print(f"{username}: {counts[username]} links followed, {time.monotonic() - started:.0f}s")
            problems += found
        finally:
            context.close()
    assert not problems, "\n".join(problems)
    # The walk did walk: every role was shown a good number of links.
    assert min(counts.values()) >= 20, counts
