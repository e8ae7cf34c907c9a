"""The OpenAPI description and its documentation pages, served from vendored files."""

import re

import yaml
from django.contrib.staticfiles import finders

from zhaoshang.projects import kpi


def test_schema_needs_credentials(anon, client_for, unit_user):
    assert anon.get("/api/schema/").status_code == 401
    response = client_for(unit_user).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ["/api/v1/projects/", "/api/v1/projects/{id}/change-stage/", "/api/v1/follow-ups/",
                 "/api/v1/fund-arrivals/", "/api/v1/stage-changes/", "/api/v1/enterprises/", "/api/v1/units/",
                 "/api/v1/parks/", "/api/v1/chains/", "/api/v1/kpi/"]:
        assert path in paths, path
    kpi_schema = schema["components"]["schemas"]["Kpi"]
    assert list(kpi_schema["properties"]) == kpi.CODES
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_yaml_schema_parses(client_for, bureau_user):
    response = client_for(bureau_user).get("/api/schema/")
    assert response.status_code == 200
    assert "/api/v1/projects/" in yaml.safe_load(response.content)["paths"]


def test_documentation_pages_use_only_local_files(client, unit_user):
    assert client.get("/api/docs/").status_code == 302  # login first
    client.force_login(unit_user)
    for url in ["/api/docs/", "/api/redoc/"]:
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sources, url
        for source in sources:
            assert source.startswith("/"), f"{url} loads {source} from elsewhere"
        for source in re.findall(r'src="/static/([^"]+\.js)"', page):
            assert finders.find(source), f"{source} is not among the vendored static files"


def test_docs_link_on_the_token_page(client, unit_user):
    client.force_login(unit_user)
    page = client.get("/accounts/tokens/").content.decode()
    assert 'href="/api/docs/"' in page
