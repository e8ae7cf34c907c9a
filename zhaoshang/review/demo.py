"""The demo zone's 认定: certification turned on (its existing facts stay certified on their
dates) and a few claims of this month waiting for the monthly review, each with a small
evidence file made here (no binary in the repository)."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from zhaoshang.core.actions import update_zone
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import Stage
from zhaoshang.review import actions
from zhaoshang.review.models import Evidence

# (the stage a project stands at, what is claimed for it, the evidence's file name pattern
# and kind, days before today): the projects are picked from the living demo, those in that
# stage whose last fact is not later than the claim.
CLAIMS = [
    (Stage.NEGOTIATING, Stage.SIGNED, "{name}投资合同.pdf", Evidence.Kind.CONTRACT, 2),
    (Stage.NEGOTIATING, Stage.SIGNED, "{name}投资协议.pdf", Evidence.Kind.CONTRACT, 1),
    (Stage.SIGNED, Stage.STARTED, "{name}施工许可证.pdf", Evidence.Kind.PERMIT, 1),
]
INCREASE = ("大口径阀门智能制造项目", Decimal("10000"), "二期产线追加投资", "大口径阀门增资协议.pdf")


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with a line of text: enough for a browser to open as evidence."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _day(today: dt.date, days_before: int) -> dt.date:
    # Within this month, so the review page opens on them.
    return max(today - dt.timedelta(days=days_before), today.replace(day=1))


def seed(zone, today: dt.date | None = None) -> int:
    """Turn certification on and leave this month's claims waiting; returns how many."""
    today = today or timezone.localdate()
    update_zone(zone, certification_required=True)
    made = 0
    taken = set()
    for current, stage, filename, kind, days in CLAIMS:
        on = _day(today, days)
        project = (
            Project.objects.filter(zone=zone, stage=current, merged_into__isnull=True).exclude(pk__in=taken)
            .annotate(last=Max("stage_changes__date")).filter(last__lte=on).order_by("-last", "pk").first()
        )
        if project is None:
            continue
        taken.add(project.pk)
        filename = filename.format(name=project.name)
        change = project_actions.change_stage(project, to_stage=stage, on=on)
        claim = change.claim
        actions.add_evidence(claim, upload=SimpleUploadedFile(filename, demo_pdf(f"Demo evidence {claim.pk}")), actor=None, kind=kind)
        made += 1
    name, amount, note, filename = INCREASE
    project = Project.objects.filter(zone=zone, name=name, signed_on__lte=_day(today, 1)).first()
    if project is None:
        return made
    actions.add_capital_increase(
        project, date=_day(today, 1), amount=amount, note=note, today=today,
        uploads=[SimpleUploadedFile(filename, demo_pdf("Demo capital increase"))],
    )
    return made + 1
