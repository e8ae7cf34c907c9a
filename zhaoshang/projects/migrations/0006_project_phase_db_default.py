from django.db import migrations, models


class Migration(migrations.Migration):
    """The ledger's bulk insert names its own columns: `phase` needs a database default."""

    dependencies = [("projects", "0005_project_phases_and_merge")]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="phase",
            field=models.CharField(blank=True, db_default="", default="", help_text="如“一期”“二期”；仅在标明所属总项目时使用", max_length=20, verbose_name="分期"),
        ),
    ]
