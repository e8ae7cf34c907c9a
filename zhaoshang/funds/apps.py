from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "zhaoshang.funds"
    label = "funds"
    verbose_name = _("产业基金")

    def ready(self):
        from zhaoshang.core.changelog import track
        from zhaoshang.funds.models import CapitalCall, Fund, Investment

        track(Fund)
        track(CapitalCall, parent="fund")
        track(Investment, parent="fund")
