from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    label = "stats"
    verbose_name = _("入统入规")

    def ready(self):
        from zhaoshang.core.changelog import track
        from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold

        track(EnterpriseProfile, parent="enterprise")
        track(AnnualFigures, parent="enterprise")
        track(Threshold, zone=lambda threshold: None)
