"""Names sort by pinyin and search boxes match pinyin: the initials (yqgx) and the full
pinyin (yangquan) find 阳泉高新…, on the pages and through the API alike."""

import importlib

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from zhaoshang.api.actions import create_token
from zhaoshang.core.models import OrgUnit
from zhaoshang.core.pinyin import query_key, search_key
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project


def test_the_key_holds_full_pinyin_and_initials():
    assert search_key("阳泉高新区") == "yangquangaoxinqu yqgxq"
    # phrases read as phrases: 重庆 is chong qing, 长城 chang cheng
    assert search_key("重庆长城ABC有限公司(2)") == "chongqingchangchengabcyouxiangongsi2 cqccabcyxgs2"
    assert search_key("=HYPERLINK(\"x\")") == "hyperlinkx hyperlinkx"
    assert search_key("") == ""
    assert len(search_key("阳" * 200)) <= 1500


def test_what_a_search_word_is_looked_up_as():
    assert query_key("YQGX") == "yqgx"
    assert query_key("xi'an") == "xian"
    assert query_key("阳泉") is None
    assert query_key("%_") is None


@pytest.fixture
def named(zone):
    names = ["阳泉高新材料有限公司", "北京曙光科技有限公司", "长沙邦盛科技有限公司", "中电数字科技有限公司", "安徽华塑股份有限公司"]
    return [create_enterprise(zone=zone, name=name) for name in names]


@pytest.mark.django_db
def test_saving_keeps_the_key(named):
    enterprise = named[0]
    assert enterprise.name_pinyin.startswith("yangquan")
    enterprise.name = "太原重工"
    enterprise.save(update_fields=["name"])
    enterprise.refresh_from_db()
    assert enterprise.name_pinyin == "taiyuanzhonggong tyzg"


@pytest.mark.django_db
def test_enterprise_page_searches_by_pinyin_and_sorts_by_it(client, bureau_user, named):
    client.force_login(bureau_user)
    for word in ("yqgx", "yangquan", "YangQuanGaoXin", "阳泉"):
        page = client.get("/enterprises/", {"q": word}).content.decode()
        assert "阳泉高新材料有限公司" in page, word
        assert "北京曙光科技有限公司" not in page, word
    page = client.get("/enterprises/").content.decode()
    order = sorted(named, key=lambda e: page.index(e.name))
    assert [e.name for e in order] == ["安徽华塑股份有限公司", "北京曙光科技有限公司", "长沙邦盛科技有限公司",
                                       "阳泉高新材料有限公司", "中电数字科技有限公司"]


@pytest.mark.django_db
def test_the_api_finds_the_same_rows(bureau_user, named):
    _token, secret = create_token(user=bureau_user, name="测试")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rows = api.get("/api/v1/enterprises/", {"q": "yqgx"}).json()["results"]
    assert [row["name"] for row in rows] == ["阳泉高新材料有限公司"]


@pytest.mark.django_db
def test_project_list_searches_and_sorts_by_pinyin(client, bureau_user, make_project):
    for name in ("中电数据中心项目", "阳泉高新光伏项目", "北方氢能项目"):
        make_project(name=name)
    client.force_login(bureau_user)
    page = client.get("/projects/", {"q": "yqgx"}).content.decode()
    assert "阳泉高新光伏项目" in page and "中电数据中心项目" not in page
    page = client.get("/projects/", {"sort": "name"}).content.decode()
    assert page.index("北方氢能项目") < page.index("阳泉高新光伏项目") < page.index("中电数据中心项目")


@pytest.mark.django_db
def test_units_are_listed_by_pinyin(zone):
    from zhaoshang.core.actions import create_unit

    for name in ("中电专班", "安泽专班", "北岸专班"):
        create_unit(zone=zone, name=name, kind=OrgUnit.Kind.TASK_FORCE)
    names = list(OrgUnit.objects.filter(zone=zone).values_list("name", flat=True))
    assert names == ["安泽专班", "北岸专班", "中电专班"]


@pytest.mark.django_db
def test_the_data_migration_fills_existing_rows(named, make_project):
    project = make_project(name="阳泉高新光伏项目")
    Enterprise.objects.update(name_pinyin="")
    Project.objects.update(name_pinyin="")
    for module, in [("zhaoshang.enterprises.migrations.0004_fill_enterprise_name_pinyin",),
                    ("zhaoshang.projects.migrations.0007_fill_project_name_pinyin",)]:
        importlib.import_module(module).fill(apps, None)
    assert Enterprise.objects.get(pk=named[0].pk).name_pinyin == search_key("阳泉高新材料有限公司")
    assert Project.objects.get(pk=project.pk).name_pinyin == "yangquangaoxinguangfuxiangmu yqgxgfxm"
