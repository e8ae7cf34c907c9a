from django.db import migrations, models
from django.db.models import F


def record_certified_dates(apps, schema_editor):
    """Claims certified so far were certified at their present date (no correction could
    move a claim's date before this migration)."""
    apps.get_model("review", "Claim").objects.filter(status="certified").update(certified_date=F("date"))


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0002_certify_existing_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="certified_date",
            field=models.DateField(blank=True, null=True, verbose_name="认定时的发生日期"),
        ),
        migrations.RunPython(record_certified_dates, migrations.RunPython.noop),
    ]
