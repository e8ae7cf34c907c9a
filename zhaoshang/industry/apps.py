from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    label = "industry"
    verbose_name = "产业链"

    def ready(self):
        from zhaoshang.core.changelog import track
        from zhaoshang.industry import models

        # ChainNode is tracked with the other core domain models (core/tracking.py).
        track(models.ChainPlacement, zone=lambda placement: placement.node.chain.zone_id)
        track(models.EnterpriseRelation)
        track(models.TargetCompany, sensitive={"contact_person": "name", "contact_phone": "phone"})
        track(models.TargetFollowUp, parent="target")
        track(models.TargetRelation, parent="target")
        track(models.TargetingSettings)
