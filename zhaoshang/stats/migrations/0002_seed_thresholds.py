"""Seed the national "四上" entry thresholds (see zhaoshang/stats/thresholds.py)."""

from decimal import Decimal

from django.db import migrations

SOURCE = "国家统计局“四上”企业统计口径"
SEED_YEAR = 2011
# A frozen copy of thresholds.SEED as of this migration: code → (basis, 万元)
SEED = {
    "B": ("revenue", 2000), "C": ("revenue", 2000), "D": ("revenue", 2000),
    "E": ("qualification", None),
    "F51": ("revenue", 2000), "F52": ("revenue", 500),
    "H61": ("revenue", 200), "H62": ("revenue", 200),
    "K701": ("all", None),
    "G": ("revenue", 2000), "I": ("revenue", 2000), "N": ("revenue", 2000), "Q84": ("revenue", 2000),
    "L": ("revenue", 1000), "M": ("revenue", 1000), "P": ("revenue", 1000),
    "K702": ("revenue", 1000), "K703": ("revenue", 1000), "K704": ("revenue", 1000), "K709": ("revenue", 1000),
    "O": ("revenue", 500), "R": ("revenue", 500), "Q85": ("revenue", 500),
}


def seed(apps, schema_editor):
    Threshold = apps.get_model("stats", "Threshold")
    for code, (basis, amount) in SEED.items():
        Threshold.objects.get_or_create(
            industry_code=code,
            from_year=SEED_YEAR,
            defaults={"basis": basis, "min_revenue": Decimal(amount) if amount else None, "source": SOURCE},
        )


def unseed(apps, schema_editor):
    Threshold = apps.get_model("stats", "Threshold")
    Threshold.objects.filter(from_year=SEED_YEAR, source=SOURCE, industry_code__in=list(SEED)).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
