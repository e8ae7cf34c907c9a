"""The English catalog: every entry translated, placeholders kept, the compiled .mo current, pages in English."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]|\{[A-Za-z_0-9]*\}")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*")


def read_po(path):
    """The catalog's entries as dicts: flags, msgctxt, msgid, msgid_plural, msgstr or msgstr[n]."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set()}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if not e.get("obsolete")]


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def catalog():
    entries = read_po(LC_MESSAGES / "django.po")
    header = entries[0]
    assert header["msgid"] == ""
    return header, entries[1:]


def test_catalog_covers_the_app_and_is_not_fuzzy(catalog):
    header, entries = catalog
    assert "Language: en" in header["msgstr"]
    assert "fuzzy" not in header["flags"]
    assert len(entries) > 1000
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []


def test_every_entry_is_translated(catalog):
    _header, entries = catalog
    empty = [e["msgid"] for e in entries if any(not text.strip() for text in translations(e))]
    assert empty == []
    plurals = [e for e in entries if "msgid_plural" in e]
    assert all(set(k for k in e if k.startswith("msgstr")) == {"msgstr[0]", "msgstr[1]"} for e in plurals)


def test_placeholders_and_tags_match(catalog):
    _header, entries = catalog
    wrong = []
    for e in entries:
        source = e.get("msgid_plural", e["msgid"])
        for text in translations(e):
            if "python-format" in e["flags"] or "python-brace-format" in e["flags"]:
                if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                    wrong.append((e["msgid"], text))
            if TAG.findall(source) != TAG.findall(text):
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_compiled_catalog_matches_the_po(catalog):
    _header, entries = catalog
    with open(LC_MESSAGES / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if "msgctxt" in e or "msgid_plural" in e:
            continue
        if compiled.gettext(e["msgid"]) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "django.mo is out of date: run `zhaoshang compilemessages`"


def test_messages_in_english_and_chinese():
    with translation.override("en"):
        assert translation.gettext("统一社会信用代码") == "Unified Social Credit Code"
        assert translation.gettext("有效令牌最多%(count)s个，请先撤销不用的令牌") % {"count": 5} == (
            "You can have at most 5 active tokens; please revoke unused tokens first"
        )
    with translation.override("zh-hans"):
        assert translation.gettext("统一社会信用代码") == "统一社会信用代码"


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "密码" in page
    assert "Password" not in page


@pytest.mark.django_db
def test_english_through_the_switch(client):
    response = client.post("/i18n/language/", {"language": "en", "next": "/accounts/login/"}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Sign in" in page
    assert "Password" in page
    assert "密码" not in page
    client.post("/i18n/language/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "密码" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_the_switch_refuses_other_languages_and_foreign_next(client):
    response = client.post("/i18n/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "密码" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_login_page_in_chinese_by_default(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "登录" in page
    assert "密码" in page


@pytest.mark.django_db
def test_the_user_menu_switches_a_signed_in_user_to_english_and_back(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/workbench/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "退出登录" in page and 'action="/i18n/language/"' in page and "界面语言" in page
    client.post("/i18n/language/", {"language": "en", "next": "/workbench/"})
    page = client.get("/workbench/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "退出登录" not in page and '<html lang="en">' in page
    # the choice outlives the session: a new login on this browser keeps it
    client.post("/accounts/logout/")
    client.force_login(bureau_user)
    assert '<html lang="en">' in client.get("/workbench/").content.decode()
    client.post("/i18n/language/", {"language": "zh-hans", "next": "/workbench/"})
    assert "退出登录" in client.get("/workbench/").content.decode()
