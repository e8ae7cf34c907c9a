from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import TimeStampedModel, Zone


class ImportJob(TimeStampedModel):
    """One ledger uploaded from the web: checked (preview), then imported on confirmation.
    Large files run in the background; rows_done of rows_total is the progress bar."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("正在检查")
        CHECKED = "checked", _("待确认")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("导入失败")
        CANCELLED = "cancelled", _("已取消")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="ledger_imports", verbose_name=_("园区"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("上传人")
    )
    filename = models.CharField(_("文件名"), max_length=200)
    stored_path = models.CharField(_("存放位置"), max_length=500, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    phase = models.CharField(_("进行中的步骤"), max_length=10, blank=True)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    preview = models.JSONField(_("检查结果"), null=True, blank=True)
    result = models.JSONField(_("导入结果"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    # The mapping step's answers given on the web, as the command line's --map file:
    # {kind: {name as written: existing name or 新建}}; remembered for the zone on import.
    answers = models.JSONField(_("名称对应"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class ImportLock(models.Model):
    """A zone's import claim: an import writing into the zone sets held_since, and a
    second import meanwhile is told to wait (ledger.actions.zone_claim). A claim is free
    again when released, after ZHAOSHANG_LEDGER_CLAIM_SECONDS, or at once when the task
    worker that took it has stopped beating."""

    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("园区"))
    held_since = models.DateTimeField(_("开始时间"), null=True, blank=True)
    held_by = models.CharField(_("正在导入的文件"), max_length=200, blank=True)
    # The task worker running the import (blank in a web request): when it stops beating
    # (killed), its claim is free at once, so that the job's retry is not refused by it.
    worker_id = models.CharField(_("后台任务进程"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("台账导入占用")
        verbose_name_plural = _("台账导入占用")

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.held_by or '-'}"


class LedgerSettings(models.Model):
    """A zone's settings for reading ledgers: the rate at which amounts written in 美元
    become 元 (none: such amounts are refused with a message)."""

    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, primary_key=True, related_name="ledger_settings",
                                verbose_name=_("园区"))
    usd_rate = models.DecimalField(_("美元汇率（1美元合人民币元）"), max_digits=8, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("台账设置")
        verbose_name_plural = _("台账设置")

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.usd_rate or '-'}"


class NameMapping(models.Model):
    """An answer of the mapping step, remembered per zone: a unit, park or leader a ledger
    names as `written` is the existing one with id `target_id` (the next import of the same
    ledger asks nothing)."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("责任单位")
        PARK = "park", _("落地园区")
        LEADER = "leader", _("包联领导")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    written = models.CharField(_("台账中的写法"), max_length=200)
    target_id = models.PositiveBigIntegerField(_("对应到"))

    class Meta:
        verbose_name = _("台账名称对应")
        verbose_name_plural = _("台账名称对应")
        constraints = [models.UniqueConstraint(fields=["zone", "kind", "written"], name="namemapping_unique_written")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.written} → {self.target_id}"
