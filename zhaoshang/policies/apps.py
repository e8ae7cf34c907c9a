from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "zhaoshang.policies"
    label = "policies"
    verbose_name = _("惠企政策")

    def ready(self):
        from zhaoshang.core.changelog import track
        from zhaoshang.policies.models import Claim, Condition, Payment, Policy

        track(Policy)
        track(Condition, parent="policy")
        track(Claim, parent="enterprise")
        track(Payment, parent="claim", zone=lambda payment: payment.claim.policy.zone_id)
