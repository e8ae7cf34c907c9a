from django.test import override_settings


@override_settings(DEBUG=False)
def test_the_vendored_files_are_served_in_production_mode(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)[:5000]
