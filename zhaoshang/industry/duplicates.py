"""Finding the same company entered twice in the target pool.

Two targets are duplicates when they carry the same 统一社会信用代码, when their names
normalise to the same text (names.normalize_name), or when the normalised names are
nearly the same (rapidfuzz ratio ≥ SIMILARITY, compared within blocks of names sharing
their first two characters, so a large pool is not compared pair by pair).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import ApproachStatus, TargetCompany
from zhaoshang.industry.names import normalize_name

SIMILARITY = 90
BLOCK = 2
MAX_BLOCK = 3000  # a block larger than this is compared by exact name only


@dataclass
class DuplicateGroup:
    targets: list
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


class _Sets:
    def __init__(self):
        self.parent = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def _similar(a: str, b: str) -> bool:
    return fuzz.ratio(a, b) >= SIMILARITY


def duplicate_groups(zone) -> list[DuplicateGroup]:
    """Groups of two or more unmerged targets of the zone that look like one company."""
    rows = list(
        TargetCompany.objects.filter(zone=zone).exclude(status=ApproachStatus.MERGED).values_list("pk", "name_key", "uscc")
    )
    sets = _Sets()
    why = defaultdict(set)
    by_code, by_key, blocks = defaultdict(list), defaultdict(list), defaultdict(list)
    for pk, key, code in rows:
        if code:
            by_code[code].append(pk)
        by_key[key].append(pk)
        blocks[key[:BLOCK]].append((pk, key))
    for pks in by_code.values():
        for pk in pks[1:]:
            sets.union(pks[0], pk)
            why[pks[0]].add("uscc")
    for pks in by_key.values():
        for pk in pks[1:]:
            sets.union(pks[0], pk)
            why[pks[0]].add("name")
    for members in blocks.values():
        first = {}
        for pk, key in members:
            first.setdefault(key, pk)
        if len(first) < 2 or len(first) > MAX_BLOCK:
            continue
        keys = sorted(first)
        for index, a in enumerate(keys[:-1]):
            # one call into rapidfuzz per name: the block is compared in C++, not pair by pair here
            for b, _score, _at in process.extract(a, keys[index + 1:], scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None):
                sets.union(first[a], first[b])
                why[first[a]].add("similar")
    groups = defaultdict(list)
    for pk, _key, _code in rows:
        groups[sets.find(pk)].append(pk)
    reasons_by_root = defaultdict(set)
    for pk, kinds in why.items():
        reasons_by_root[sets.find(pk)] |= kinds
    found = [pks for pks in groups.values() if len(pks) > 1]
    targets = TargetCompany.objects.in_bulk([pk for pks in found for pk in pks])
    labels = {"uscc": _("统一社会信用代码相同"), "name": _("名称归一后相同"), "similar": _("名称相近")}
    result = []
    for pks in found:
        members = sorted((targets[pk] for pk in pks), key=lambda t: (t.created_at, t.pk))
        kinds = reasons_by_root[sets.find(pks[0])]
        result.append(DuplicateGroup(targets=members, reasons=[labels[k] for k in ("uscc", "name", "similar") if k in kinds]))
    result.sort(key=lambda group: group.targets[0].name)
    return result


def possible_duplicates(zone, name: str, uscc: str = "", exclude=None) -> list[tuple[TargetCompany, str]]:
    """Unmerged targets of the zone that may be the company named (for a form or a detail page)."""
    key = normalize_name(name)
    found = {}
    qs = TargetCompany.objects.filter(zone=zone).exclude(status=ApproachStatus.MERGED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if uscc:
        for target in qs.filter(uscc=uscc):
            found[target.pk] = (target, _("统一社会信用代码相同"))
    for target in qs.filter(name_key=key):
        found.setdefault(target.pk, (target, _("名称归一后相同")))
    for target in qs.filter(name_key__startswith=key[:BLOCK])[:MAX_BLOCK]:
        if target.pk not in found and _similar(key, target.name_key):
            found[target.pk] = (target, _("名称相近"))
    return list(found.values())


def matching_enterprise(zone, name: str, uscc: str = "") -> Enterprise | None:
    """A local enterprise that is probably this company: same 统一社会信用代码 or the
    same normalised name."""
    if uscc:
        found = Enterprise.objects.filter(zone=zone, uscc=uscc).first()
        if found:
            return found
    key = normalize_name(name)
    for enterprise in Enterprise.objects.filter(zone=zone, name__contains=key[:BLOCK]):
        if normalize_name(enterprise.name) == key:
            return enterprise
    return None
