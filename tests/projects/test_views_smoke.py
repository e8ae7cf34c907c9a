import pytest


@pytest.mark.parametrize("url", ["/", "/projects/", "/projects/board/", "/projects/new/", "/enterprises/"])
def test_pages_render(client, bureau_user, make_project, url):
    make_project(name="光伏组件", signed_on="2025-03-05")
    client.force_login(bureau_user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:3000]
