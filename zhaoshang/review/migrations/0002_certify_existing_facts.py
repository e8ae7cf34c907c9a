from django.db import migrations
from django.db.models import F

STAGES = {"signed": "signed_on", "started": "started_on", "producing": "producing_on"}
CERTIFIED = {"signed": "signed_certified_on", "started": "started_certified_on", "producing": "producing_certified_on"}
BATCH = 2000


def certify_existing(apps, schema_editor):
    """Every dated fact recorded before certification existed counts as it did: certified
    on its own date, so every past report comes out unchanged."""
    Project = apps.get_model("projects", "Project")
    StageChange = apps.get_model("projects", "StageChange")
    Claim = apps.get_model("review", "Claim")
    for stage, field in STAGES.items():
        Project.objects.filter(**{f"{field}__isnull": False}).update(**{CERTIFIED[stage]: F(field)})
    projects = Project.objects.exclude(signed_on__isnull=True, started_on__isnull=True, producing_on__isnull=True)
    claims = []
    for project in projects.only("pk", "signed_on", "started_on", "producing_on").iterator(chunk_size=BATCH):
        for stage, field in STAGES.items():
            date = getattr(project, field)
            if date is None:
                continue
            change = StageChange.objects.filter(project_id=project.pk, to_stage=stage, date=date).order_by("-id").first()
            claims.append(Claim(project_id=project.pk, kind=stage, date=date, stage_change_id=getattr(change, "pk", None),
                                status="certified", certified_on=date))
        if len(claims) >= BATCH:
            Claim.objects.bulk_create(claims)
            claims = []
    Claim.objects.bulk_create(claims)


def uncertify(apps, schema_editor):
    apps.get_model("review", "Claim").objects.all().delete()
    apps.get_model("projects", "Project").objects.update(
        signed_certified_on=None, started_certified_on=None, producing_certified_on=None
    )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(certify_existing, uncertify)]
