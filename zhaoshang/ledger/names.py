"""The mapping step: units, parks and leaders a ledger names that the zone does not have.

An import is given `NameAnswers`: the answers ({kind: {name as written: existing name or
"新建"}}) and whether names still unknown may be created. Answers are remembered per zone
(NameMapping), so the next import of the same ledger asks nothing. Without an answer and
without `create_missing`, each unknown name is an error listing the closest existing names
(rapidfuzz on the name and on its pinyin initials).

The command line reads the answers from a file (--map); the web keeps those given on the
preview page on the job (ImportJob.answers, the same form), choosing among `existing()`.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

KINDS = ("unit", "park", "leader")
KIND_LABELS = {"unit": "责任单位", "park": "落地园区", "leader": "包联领导"}
NEW_WORDS = {"新建", "new", "NEW", "+"}
NEW = "新建"


def existing(zone, kind) -> dict:
    """The zone's units, parks or people of a kind: id → name (the choices of the mapping step)."""
    from zhaoshang.core.models import OrgUnit, Park, Person

    model = {"unit": OrgUnit, "park": Park, "leader": Person}[kind]
    # As the import reads them (plan.Planner): one per name, a leader before others of that name.
    order = ("-is_leader", "id") if model is Person else ("id",)
    by_name = {}
    for pk, name in model.objects.filter(zone=zone).order_by(*order).values_list("id", "name"):
        by_name.setdefault(name, pk)
    return {pk: name for name, pk in sorted(by_name.items())}


@dataclass
class NameAnswers:
    given: dict = field(default_factory=dict)  # kind → {name as written: existing name, or 新建}
    create_missing: bool = False

    @classmethod
    def from_json(cls, data, create_missing: bool = False) -> "NameAnswers":
        """The `--map` file: {"park": {"装备制造园": "高端装备制造产业园", "循环经济园": "新建"}, "unit": {…}, "leader": {…}}."""
        if not isinstance(data, dict) or set(data) - set(KINDS):
            raise ValueError(_("对应文件应为 JSON 对象，键为 unit、park、leader 之一"))
        given = {}
        for kind, answers in data.items():
            if not isinstance(answers, dict) or not all(isinstance(key, str) and isinstance(value, str) for key, value in answers.items()):
                raise ValueError(_("对应文件中“%(kind)s”应为 {台账中的名称: 已有名称或“新建”}") % {"kind": kind})
            given[kind] = dict(answers)
        return cls(given=given, create_missing=create_missing)


def initials(name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))


def closest(name: str, existing, limit: int = 3) -> list[str]:
    """The existing names closest to `name`: by the text, and by the pinyin initials."""
    from rapidfuzz import fuzz

    written = initials(name)
    scored = []
    for candidate in existing:
        score = max(fuzz.WRatio(name, candidate), fuzz.ratio(written, initials(candidate)))
        if score >= 50:
            scored.append((-score, candidate))
    return [candidate for _score, candidate in sorted(scored)[:limit]]
