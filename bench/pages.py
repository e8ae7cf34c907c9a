"""The workbench pages with 100,000 projects in the database, through Django's test client:
median and p95 server time per page, its query count, and Django admin's project
changelist as the yardstick (ratio = ours / admin's). Goal: p95 ≤ 100 ms for each page,
and no page slower than the admin's changelist.

    python -m bench pages
"""

from bench import setup_django, summary, timed

REPEAT = 30


def _measure(client, path, repeat=REPEAT):
    from django.db import connection

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(path)
    figures = summary(timed(lambda: client.get(path), repeat=repeat))
    return figures, len(queries)


def main():
    url = setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.data import ensure
    from zhaoshang.core.actions import grant_role
    from zhaoshang.core.models import Zone
    from zhaoshang.projects.models import Project

    info = ensure(projects=100_000, zones=20, arrivals=300_000, follow_ups=500_000)
    zone = Zone.objects.get(code=info["zones"][0])
    User = get_user_model()
    bureau, _ = User.objects.get_or_create(username="bench-bureau")
    grant_role(user=bureau, zone=zone, role="bureau")
    admin, created = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    client, admin_client = Client(), Client()
    client.force_login(bureau)
    admin_client.force_login(admin)

    in_zone = Project.objects.filter(zone=zone)
    busy = in_zone.order_by("-total_investment").values_list("pk", flat=True).first()
    word = in_zone.order_by("pk").values_list("name", flat=True).first()[:2]
    unit = in_zone.exclude(responsible_unit=None).values_list("responsible_unit", flat=True).first()
    total = Project.objects.count()
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); {total:,} projects, zone {zone.code} holds {in_zone.count():,}")

    admin_figures, admin_queries = _measure(admin_client, f"/admin/projects/project/?zone__id__exact={zone.pk}")
    admin_all, admin_all_queries = _measure(admin_client, "/admin/projects/project/")
    print(f"admin changelist, one zone: median {admin_figures['median_ms']:.0f} ms, p95 {admin_figures['p95_ms']:.0f} ms, {admin_queries} queries")
    print(f"admin changelist, all {total:,}: median {admin_all['median_ms']:.0f} ms, p95 {admin_all['p95_ms']:.0f} ms, {admin_all_queries} queries")
    pages = [
        ("project list, first page", "/projects/"),
        ("project list, filtered", f"/projects/?stage=signed&stage=started&unit={unit}&amount_min=1000&sort=-amount"),
        ("project list, search", f"/projects/?q={word}"),
        ("project list, figure drill-down", "/projects/?figure=signed_count&from=2024-01-01&to=2024-12-31"),
        ("board", "/projects/board/"),
        ("project detail", f"/projects/{busy}/"),
        ("workbench", "/"),
        ("workbench figures (loaded after the page)", "/?part=figures"),
    ]
    worst = 0.0
    for label, path in pages:
        figures, queries = _measure(client, path)
        ratio = figures["p95_ms"] / admin_figures["p95_ms"] if admin_figures["p95_ms"] else float("nan")
        worst = max(worst, figures["p95_ms"])
        print(f"{label}: median {figures['median_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms (goal ≤ 100), "
              f"{queries} queries, p95 ratio to admin {ratio:.2f}")
    print(f"worst p95 {worst:.0f} ms")


if __name__ == "__main__":
    main()
