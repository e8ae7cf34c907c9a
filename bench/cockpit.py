"""The cockpit page with 100,000 projects and 300,000 fund arrivals: server time (median,
p95) through Django's test client, and the number of queries — which must not grow with
the data. Goal: p95 ≤ 300 ms.

    python -m bench cockpit
"""

from bench import setup_django, summary, timed


def main():
    url = setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.data import ensure
    from zhaoshang.core.actions import grant_role
    from zhaoshang.core.models import Zone

    info = ensure(projects=100_000, zones=20, arrivals=300_000, follow_ups=500_000)
    zone = Zone.objects.get(code=info["zones"][0])
    user, _ = get_user_model().objects.get_or_create(username="bench-leader")
    grant_role(user=user, zone=zone, role="leadership")
    client = Client()
    client.force_login(user)
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); zone {zone.code} with {zone.projects.count():,} of 100,000 projects")
    for label, path in [("cockpit, 2024", "/cockpit/?kind=year&year=2024"),
                        ("cockpit, 2024 Q2 as of 2025-06-30", "/cockpit/?kind=quarter&year=2024&quarter=2&as_of=2025-06-30"),
                        ("big screen, 2024", "/cockpit/screen/?kind=year&year=2024")]:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            client.get(path)
        figures = summary(timed(lambda: client.get(path), repeat=20))
        print(f"{label}: median {figures['median_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms (goal ≤ 300), {len(queries)} queries")


if __name__ == "__main__":
    main()
