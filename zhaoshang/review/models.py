"""认定: a claimed fact (签约, 开工, 投产 or 增资) waits as 待认定 until the bureau certifies
it or returns it with a reason; evidence files are attached to the claim. Figures count a
fact only once it is certified (the projects' *_certified_on columns, kept in step by
zhaoshang.review.actions)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import TimeStampedModel
from zhaoshang.projects.models import CapitalIncrease, Project, StageChange, project_q


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Claims are read with their project."""
        return self.filter(project_q(user, "project__"))

    def pending(self):
        return self.filter(status=Claim.Status.PENDING)


class Claim(TimeStampedModel):
    class Kind(models.TextChoices):
        SIGNED = "signed", _("签约")
        STARTED = "started", _("开工")
        PRODUCING = "producing", _("投产")
        INCREASE = "increase", _("增资")

    class Status(models.TextChoices):
        PENDING = "pending", _("待认定")
        CERTIFIED = "certified", _("已认定")
        RETURNED = "returned", _("已退回")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims", verbose_name=_("项目"))
    kind = models.CharField(_("事项"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("发生日期"))
    stage_change = models.OneToOneField(
        StageChange, on_delete=models.CASCADE, null=True, blank=True, related_name="claim", verbose_name=_("阶段变更")
    )
    capital_increase = models.OneToOneField(
        CapitalIncrease, on_delete=models.CASCADE, null=True, blank=True, related_name="claim", verbose_name=_("增资")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    certified_on = models.DateField(_("认定日期"), null=True, blank=True)
    # The fact's date as it stood when certified: `date` follows later date corrections
    # (the claim is about the fact), this keeps the record of what was certified.
    certified_date = models.DateField(_("认定时的发生日期"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("认定人")
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("申报人")
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("认定申报")
        verbose_name_plural = _("认定申报")
        indexes = [
            models.Index(fields=["status", "date"], name="claim_status_date"),
            models.Index(fields=["project", "kind"], name="claim_project_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}（{self.date}）{self.get_status_display()}"


def _evidence_path(evidence, filename: str) -> str:
    # A random name: the uploader's file name is kept in `name`, never used as a path.
    extension = os.path.splitext(filename)[1].lower()
    return f"evidence/{evidence.claim.project.zone_id}/{uuid.uuid4().hex}{extension}"


class Evidence(TimeStampedModel):
    """A file proving a claim: a contract scan, a construction permit or site photo, proof
    of production. Stored through Django's storage API (the var directory by default, S3
    where STORAGES says so) and served only to those who may read the project."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("合同扫描件")
        PERMIT = "permit", _("施工许可")
        PHOTO = "photo", _("现场照片")
        PRODUCTION = "production", _("投产证明")
        OTHER = "other", _("其他材料")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("认定申报"))
    # The claim's project, repeated so that the change log files the evidence under it.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目"))
    kind = models.CharField(_("材料类型"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("文件"), upload_to=_evidence_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["claim", "created_at", "id"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self) -> str:
        return self.name
