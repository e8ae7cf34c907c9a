from django.db import migrations

DEMO_ZONE = "yqgxq"


def turn_on(apps, schema_editor):
    apps.get_model("core", "Zone").objects.filter(code=DEMO_ZONE).update(certification_required=True)


def turn_off(apps, schema_editor):
    apps.get_model("core", "Zone").objects.filter(code=DEMO_ZONE).update(certification_required=False)


class Migration(migrations.Migration):
    """The demo zone certifies its claims (联合会审); every other zone keeps counting facts
    as they are recorded until its bureau turns the setting on."""

    dependencies = [("core", "0005_certification_setting")]

    operations = [migrations.RunPython(turn_on, turn_off)]
