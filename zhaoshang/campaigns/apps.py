from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "zhaoshang.campaigns"
    label = "campaigns"
    verbose_name = _("招商活动")

    def ready(self):
        from zhaoshang.campaigns import models as m
        from zhaoshang.core.changelog import track

        track(m.Trip)
        track(m.TripVisit, parent="trip")
        track(m.Event)
        track(m.EventProject, parent="event")
        track(m.Introducer)
        track(m.RewardRule)
        track(m.RewardTier, parent="rule")
        track(m.RewardPayment, parent="introducer")
        track(m.ProjectSource, parent="project")
        track(m.WebhookChannel, masked=("secret",))
