"""The investment chain's stages, in order, and the date field each one sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    DROPPED = "dropped", _("终止")


ORDER = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING]
RANK = {stage: rank for rank, stage in enumerate(ORDER)}

# The project field holding the date a stage was reached; leads and negotiations
# keep their dates only in the stage-change rows.
DATE_FIELD = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.DROPPED: "dropped_on",
}
DATED_STAGES = [Stage.SIGNED, Stage.STARTED, Stage.PRODUCING]


def stage_from_dates(signed_on, started_on, producing_on, default=Stage.NEGOTIATING):
    """The furthest stage the dates show."""
    if producing_on:
        return Stage.PRODUCING
    if started_on:
        return Stage.STARTED
    if signed_on:
        return Stage.SIGNED
    return default
