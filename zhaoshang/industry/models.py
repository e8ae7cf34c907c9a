from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import TimeStampedModel, Zone, ZoneScopedQuerySet


class IndustryCluster(TimeStampedModel):
    """产业集群, e.g. 数字经济."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=50)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ZoneScopedQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "sort_order", "name"]
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="cluster_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class IndustryChain(TimeStampedModel):
    """细分行业 / 产业链, e.g. 新能源电池及材料."""

    class Tier(models.TextChoices):
        LEADING = "leading", _("主导产业")
        EMERGING = "emerging", _("战略性新兴产业")
        FUTURE = "future", _("未来产业")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="chains", verbose_name=_("园区"))
    cluster = models.ForeignKey(
        IndustryCluster, on_delete=models.PROTECT, related_name="chains", verbose_name=_("产业集群")
    )
    name = models.CharField(_("名称"), max_length=50)
    tier = models.CharField(_("产业层级"), max_length=10, choices=Tier.choices, default=Tier.LEADING)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("台账中出现的其他写法"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ZoneScopedQuerySet.as_manager()

    class Meta:
        ordering = ["zone", "sort_order", "name"]
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="chain_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class ChainNode(TimeStampedModel):
    """产业链节点 (上/中/下游)."""

    class Position(models.TextChoices):
        UP = "up", _("上游")
        MID = "mid", _("中游")
        DOWN = "down", _("下游")

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("产业链"))
    name = models.CharField(_("名称"), max_length=50)
    position = models.CharField(_("环节"), max_length=4, choices=Position.choices)
    is_key = models.BooleanField(_("关键节点"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["chain", "sort_order", "name"]
        verbose_name = _("产业链节点")
        verbose_name_plural = _("产业链节点")
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="node_unique_name_in_chain")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"
