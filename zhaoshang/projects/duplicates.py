"""Near-duplicate projects: the same project entered twice must be caught before it is
counted twice.

Two projects are near-duplicates when any of these holds:
- the same enterprise: the same 统一社会信用代码, or the same enterprise name once made
  comparable (enterprises.names: full-width, brackets, legal form, leading place);
- the same name once 一期/二期/…, 项目, 有限公司 and the like, spacing, punctuation and
  full-width forms are ignored (钼靶材深加工一期项目 = 钼靶材深加工项目);
- the same total investment and the same signing day.

Phases (一期, 二期) are separate projects only when marked as phases of one parent
(``Project.parent``): a marked phase is never a duplicate of its parent or of a sibling
phase. Projects merged into another are gone for this purpose.

The project form, the API and the ledger import all call ``find_near_duplicates``; it
reads the zone's projects in one query and indexes them in Python, so a ledger of
100,000 rows costs the same few queries as a single form.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from zhaoshang.enterprises.uscc import normalize as normalize_uscc
from zhaoshang.industry.names import normalize_name as normalize_enterprise_name


@dataclass(frozen=True)
class Candidate:
    name: str
    investor_uscc: str = ""
    investor_name: str = ""
    total_investment: Decimal | None = None
    signed_on: datetime.date | None = None
    exclude_pk: int | None = None  # the project itself, when editing
    parent_id: int | None = None  # set when the candidate is a marked phase of a parent


@dataclass(frozen=True)
class Match:
    project_id: int | None  # an existing project, or None for another candidate
    candidate_index: int | None  # the other candidate's index when project_id is None
    code: str
    name: str
    reasons: tuple[str, ...]


# Words that say nothing about which project it is: the phase, the word 项目 itself, and
# the legal form of a company named as the project.
_PHASE = re.compile(r"第?[一二三四五六七八九十百0-9]+期|首期")
_NOISE = (
    "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "建设项目", "项目",
)


def normalize_project_name(name: str) -> str:
    """The comparable form of a project name: full-width made half-width, lower case,
    without spacing, punctuation, phase (一期, 第二期, 3期), 项目 or 有限公司; '' when
    nothing is left."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S")))
    text = _PHASE.sub("", text)
    for word in _NOISE:
        text = text.replace(word, "")
    return text


def _reason_texts():
    return {
        "enterprise": _("同一企业"),
        "name": _("名称相同（忽略一期/项目/有限公司/空格）"),
        "amount_date": _("金额与签约日相同"),
    }


_ORDER = ("enterprise", "name", "amount_date")


@dataclass
class _Entry:
    """One project or candidate as the index sees it."""

    project_id: int | None
    candidate_index: int | None
    code: str
    name: str
    parent_id: int | None
    keys: dict  # kind -> tuple of index keys


def _keys(name, uscc, investor_name, amount, signed_on) -> dict:
    keys: dict[str, list] = {"enterprise": [], "name": [], "amount_date": []}
    uscc = normalize_uscc(uscc or "")
    if uscc:
        keys["enterprise"].append(("uscc", uscc))
    investor = normalize_enterprise_name(investor_name or "") if (investor_name or "").strip() else ""
    if investor:
        keys["enterprise"].append(("name", investor))
    normal = normalize_project_name(name)
    if normal:
        keys["name"].append(normal)
    if amount is not None and signed_on is not None and Decimal(amount) > 0:
        keys["amount_date"].append((Decimal(amount).quantize(Decimal("0.01")), signed_on))
    return keys


def _related_phases(a: _Entry, b: _Entry) -> bool:
    """True when one is a marked phase of the other, or both are phases of one parent."""
    if a.parent_id is not None and (a.parent_id == b.parent_id or a.parent_id == b.project_id):
        return True
    return b.parent_id is not None and b.parent_id == a.project_id


def zone_entries(zone, narrowing=None) -> list[_Entry]:
    """The zone's projects that can be duplicated (optionally only those matching the Q
    `narrowing`), in one query."""
    from zhaoshang.projects.models import Project

    projects = Project.objects.filter(zone=zone, merged_into__isnull=True)
    if narrowing is not None:
        projects = projects.filter(narrowing)
    rows = (
        projects
        .values_list("pk", "code", "name", "investor__uscc", "investor__name", "total_investment", "signed_on", "parent_id")
        .order_by("pk")
    )
    return [
        _Entry(pk, None, code, name, parent, _keys(name, uscc, investor, amount, signed))
        for pk, code, name, uscc, investor, amount, signed, parent in rows.iterator(chunk_size=5000)
    ]


def find_near_duplicates(zone, candidates: Sequence[Candidate], *, narrowing=None) -> list[list[Match]]:
    """For each candidate, in order, the existing projects of the zone and the other
    candidates it nearly duplicates, each with its reasons. One query whatever the count.
    `narrowing` (a Q) may limit the projects read, when the caller knows a superset of
    the possible matches (one project's page)."""
    if not candidates:
        return []  # nothing to compare: spares reading the zone (a ledger re-import creates nothing)
    texts = _reason_texts()
    entries = zone_entries(zone, narrowing)
    candidate_entries = [
        _Entry(
            None, index, "", c.name, c.parent_id,
            _keys(c.name, c.investor_uscc, c.investor_name, c.total_investment, c.signed_on),
        )
        for index, c in enumerate(candidates)
    ]
    index: dict[tuple, list[_Entry]] = defaultdict(list)
    for entry in (*entries, *candidate_entries):
        for kind, keys in entry.keys.items():
            for key in keys:
                index[(kind, key)].append(entry)

    results: list[list[Match]] = []
    for position, (candidate, entry) in enumerate(zip(candidates, candidate_entries)):
        found: dict[tuple, set[str]] = {}
        others: dict[tuple, _Entry] = {}
        for kind, keys in entry.keys.items():
            for key in keys:
                for other in index[(kind, key)]:
                    if other is entry:
                        continue
                    if other.project_id is not None and other.project_id == candidate.exclude_pk:
                        continue
                    if _related_phases(entry, other):
                        continue
                    if candidate.exclude_pk is not None and other.parent_id == candidate.exclude_pk:
                        continue
                    target = ("p", other.project_id) if other.project_id is not None else ("c", other.candidate_index)
                    found.setdefault(target, set()).add(kind)
                    others[target] = other
        matches = []
        for target in sorted(found, key=lambda t: (t[0] != "p", t[1])):
            other = others[target]
            reasons = tuple(texts[kind] for kind in _ORDER if kind in found[target])
            matches.append(Match(other.project_id, other.candidate_index, other.code, other.name, reasons))
        results.append(matches)
    return results


def find_for_project(project, **overrides) -> list[Match]:
    """The near-duplicates of an existing project (for its page and the merge choice)."""
    investor = project.investor
    candidate = Candidate(
        name=overrides.get("name", project.name),
        investor_uscc=investor.uscc if investor else "",
        investor_name=investor.name if investor else "",
        total_investment=project.total_investment,
        signed_on=project.signed_on,
        exclude_pk=project.pk,
        parent_id=project.parent_id,
    )
    return find_near_duplicates(project.zone, [candidate], narrowing=_narrowing(candidate, project))[0]


def _narrowing(candidate: Candidate, project):
    """A database filter that every near-duplicate of this one project passes: the same
    investor row or a name sharing the comparable names' first characters, the same
    amount and day, or a project name containing the start of its comparable name. It
    spares a page from reading a whole province's projects."""
    from django.db.models import Q

    q = Q(pk__in=[])
    if project.investor_id:
        q |= Q(investor_id=project.investor_id)
        if candidate.investor_uscc:
            q |= Q(investor__uscc=normalize_uscc(candidate.investor_uscc))
        investor = normalize_enterprise_name(candidate.investor_name)
        if investor:
            q |= Q(investor__name__contains=investor[:2])
    if candidate.total_investment and candidate.signed_on:
        q |= Q(total_investment=candidate.total_investment, signed_on=candidate.signed_on)
    name = normalize_project_name(candidate.name)
    if name:
        q |= Q(name__icontains=name[:2])
    return q
