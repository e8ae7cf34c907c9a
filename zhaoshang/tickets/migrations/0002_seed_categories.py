"""Give every existing zone the default ticket categories (new zones get them on creation)."""

from django.db import migrations

DEFAULT_CATEGORIES = ["用地", "水电热气", "税务", "行政审批", "金融", "用工", "政策", "其他"]


def seed(apps, schema_editor):
    Zone = apps.get_model("core", "Zone")
    TicketCategory = apps.get_model("tickets", "TicketCategory")
    for zone in Zone.objects.all():
        if TicketCategory.objects.filter(zone=zone).exists():
            continue
        TicketCategory.objects.bulk_create(
            [TicketCategory(zone=zone, name=name, sort_order=index) for index, name in enumerate(DEFAULT_CATEGORIES, 1)]
        )


def unseed(apps, schema_editor):
    TicketCategory = apps.get_model("tickets", "TicketCategory")
    TicketCategory.objects.filter(name__in=DEFAULT_CATEGORIES, tickets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
