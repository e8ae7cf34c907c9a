from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    label = "industry"
    verbose_name = "产业链"

    def ready(self):
        try:
            from zhaoshang.core.changelog import track
        except ImportError:  # the change log is not installed in this build
            return
        from zhaoshang.industry import models

        track(models.ChainNode, zone=lambda node: node.chain.zone_id)
        track(models.ChainPlacement, zone=lambda placement: placement.node.chain.zone_id)
        track(models.EnterpriseRelation)
        track(models.TargetCompany, sensitive={"contact_person": "name", "contact_phone": "phone"})
        track(models.TargetFollowUp, parent="target")
        track(models.TargetRelation, parent="target")
        track(models.TargetingSettings)
