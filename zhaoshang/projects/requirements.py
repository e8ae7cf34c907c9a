"""What a project must have before it may be in a stage: one table, read by the project
forms, the API and the ledger import.

A stage needs its own fields and those of every stage before it (a started project was
signed, so it still needs 投资主体 …). Values are read from a mapping or an object (a
Project, a form's cleaned data, an import row's values).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.projects.stages import ORDER, RANK, Stage

REQUIREMENTS: dict[str, tuple[tuple[str, object], ...]] = {
    Stage.SIGNED: (
        ("investor", gettext_lazy("投资主体")),
        ("total_investment", gettext_lazy("计划总投资")),
        ("responsible_unit", gettext_lazy("责任单位")),
        ("signed_on", gettext_lazy("签约日期")),
    ),
    Stage.STARTED: (
        ("park", gettext_lazy("落地园区")),
        ("started_on", gettext_lazy("开工日期")),
    ),
    Stage.PRODUCING: (
        ("producing_on", gettext_lazy("投产日期")),
    ),
}


def required_for(stage) -> list[tuple[str, object]]:
    """(field, label) a project in `stage` must have: its own and the earlier stages'."""
    if stage not in RANK:
        return []
    rank = RANK[Stage(stage)]
    return [item for reached in ORDER if RANK[reached] <= rank for item in REQUIREMENTS.get(reached, ())]


def _value(values, field):
    if isinstance(values, Mapping):
        if field in values:
            return values[field]
        return values.get(f"{field}_id")
    value = getattr(values, f"{field}_id", None) if hasattr(values, f"{field}_id") else getattr(values, field, None)
    return value


def _missing(value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value <= 0:
        return True
    return False


def missing_for(stage, values) -> list[tuple[str, object]]:
    """(field, label) of what `values` lacks to be in `stage`."""
    return [(field, label) for field, label in required_for(stage) if _missing(_value(values, field))]


def check(stage, values, *, only=None) -> None:
    """Raise ValidationError naming every missing field (each under its own name), e.g.
    {"investor": "进入签约阶段需填写投资主体"}. `only` limits the check to those fields
    (an edit checks just the fields it changes)."""
    missing = [(f, label) for f, label in missing_for(stage, values) if only is None or f in only]
    if missing:
        stage_label = Stage(stage).label
        raise ValidationError({
            field: _("%(stage)s阶段的项目需填写%(label)s") % {"stage": stage_label, "label": label}
            for field, label in missing
        })


def next_stage_needs(project) -> tuple[str, list[str]] | None:
    """(the next stage's label, the labels it still needs) for the project page and form,
    e.g. ("签约", ["投资主体", "计划总投资"]); None at the end of the chain or when dropped.
    The next stage's own date is not listed: it is given when the stage changes."""
    if project.stage not in RANK or RANK[Stage(project.stage)] + 1 >= len(ORDER):
        return None
    following = ORDER[RANK[Stage(project.stage)] + 1]
    own_date = {"signed_on", "started_on", "producing_on"}
    needs = [str(label) for field, label in missing_for(following, project) if field not in own_date]
    return str(following.label), needs
