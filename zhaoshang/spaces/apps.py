from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "zhaoshang.spaces"
    label = "spaces"
    verbose_name = _("载体空间")

    def ready(self):
        from zhaoshang.core.changelog import track
        from zhaoshang.spaces.models import Building, SpaceUnit

        track(Building, parent="park")
        track(SpaceUnit, parent="building", zone=lambda unit: unit.building.park.zone_id)
