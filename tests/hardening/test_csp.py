"""Finding 9: a Content-Security-Policy without inline script, and pages that need none."""

import re

import pytest

PAGES = ["/", "/projects/", "/projects/board/", "/cockpit/?year=2024", "/assessment/targets/", "/accounts/tokens/",
         "/settings/users/", "/industry/", "/funds/", "/policies/", "/spaces/"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son(click|submit|change|input|load)=", re.I)


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_the_policy_and_no_inline_script(client, bureau_user, url):
    client.force_login(bureau_user)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html)
