"""Recommendations: the zone's open targets ranked for one chain, each with its reasons.

The score is a sum of five parts, computed in the database for every candidate (an open
target — 未接触, 已接触 or 洽谈中 — serving at least one node of the chain), so ranking a
pool of hundreds of thousands stays one query; the reasons are then written for the
targets shown. docs/targeting.md explains the rules to users.

1. node fit    40 if it serves a key node no local enterprise covers (关键节点缺口),
               +15 if it serves another uncovered node (薄弱环节); 5 if it only serves
               nodes already covered (补强).
2. tags        the sum of TAG_POINTS of its tags, at most 30.
3. region      10 when its region is one of the zone's priority regions.
4. chain links 20 when it supplies or buys from one of the chain's leaders (链主) placed
               in the zone, else 8 when it is a partner of one.
5. recency     10 if approached in the last 30 days, 6 in the last 90, 3 in the last 180.

Ties are broken by name, then by id, so the order is always the same.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _

from zhaoshang.enterprises.models import Tag
from zhaoshang.industry.models import (
    OPEN_STATUSES,
    ChainNode,
    ChainPlacement,
    IndustryChain,
    RelationKind,
    TargetCompany,
    TargetRelation,
)
from zhaoshang.industry.selectors import gap_node_ids
from zhaoshang.projects.regions import SourceRegion

KEY_GAP_POINTS = 40
OTHER_GAP_POINTS = 15
COVERED_NODE_POINTS = 5
TAG_POINTS = {
    "链主": 20, "行业龙头": 15, "500强": 15, "央企": 12, "小巨人": 12, "上市公司": 10, "专精特新": 10, "瞪羚企业": 8,
    "高新技术企业": 4, "外资": 4,
}
TAG_CAP = 30
REGION_POINTS = 10
LEADER_TRADE_POINTS = 20
LEADER_PARTNER_POINTS = 8
RECENCY_POINTS = [(30, 10), (90, 6), (180, 3)]

INT = IntegerField()


@dataclass
class Recommendation:
    target: TargetCompany
    score: int
    parts: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _through_exists(node_ids):
    through = TargetCompany.nodes.through
    return Exists(through.objects.filter(targetcompany=OuterRef("pk"), chainnode__in=node_ids))


def candidates(chain: IndustryChain):
    """The zone's open targets serving at least one node of the chain."""
    through = TargetCompany.nodes.through
    return TargetCompany.objects.filter(zone_id=chain.zone_id, status__in=OPEN_STATUSES).filter(
        Exists(through.objects.filter(targetcompany=OuterRef("pk"), chainnode__chain=chain))
    )


def scored(chain: IndustryChain, *, priority_regions, today: dt.date, queryset=None):
    """Candidates annotated with node_points, tag_points, region_points, link_points,
    recency_points and score."""
    key_gaps, other_gaps = gap_node_ids(chain)
    leaders = list(
        ChainPlacement.objects.filter(node__chain=chain, is_chain_leader=True).values_list("enterprise_id", flat=True).distinct()
    )
    qs = queryset if queryset is not None else candidates(chain)
    qs = qs.alias(
        key_fit=_through_exists(key_gaps) if key_gaps else Value(False),
        other_fit=_through_exists(other_gaps) if other_gaps else Value(False),
    ).annotate(
        node_points=Case(
            When(Q(key_fit=True) & Q(other_fit=True), then=Value(KEY_GAP_POINTS + OTHER_GAP_POINTS)),
            When(key_fit=True, then=Value(KEY_GAP_POINTS)),
            When(other_fit=True, then=Value(OTHER_GAP_POINTS)),
            default=Value(COVERED_NODE_POINTS),
            output_field=INT,
        ),
    )
    weights = {pk: TAG_POINTS[name] for pk, name in Tag.objects.filter(name__in=TAG_POINTS).values_list("pk", "name")}
    if weights:
        tag_through = TargetCompany.tags.through
        tag_sum = Subquery(
            tag_through.objects.filter(targetcompany=OuterRef("pk"), tag_id__in=weights)
            .values("targetcompany")
            .annotate(total=Sum(Case(*[When(tag_id=pk, then=Value(w)) for pk, w in weights.items()], default=Value(0), output_field=INT)))
            .values("total"),
            output_field=INT,
        )
        tag_points = Least(Coalesce(tag_sum, Value(0), output_field=INT), Value(TAG_CAP), output_field=INT)
    else:
        tag_points = Value(0, output_field=INT)
    regions = [region for region in priority_regions if region in SourceRegion.values]
    region_points = Case(When(region__in=regions, then=Value(REGION_POINTS)), default=Value(0), output_field=INT) if regions else Value(0, output_field=INT)
    if leaders:
        trade = Exists(TargetRelation.objects.filter(
            target=OuterRef("pk"), enterprise_id__in=leaders, kind__in=[RelationKind.SUPPLIER, RelationKind.CUSTOMER]
        ))
        partner = Exists(TargetRelation.objects.filter(target=OuterRef("pk"), enterprise_id__in=leaders, kind=RelationKind.PARTNER))
        link_points = Case(
            When(trade, then=Value(LEADER_TRADE_POINTS)), When(partner, then=Value(LEADER_PARTNER_POINTS)),
            default=Value(0), output_field=INT,
        )
    else:
        link_points = Value(0, output_field=INT)
    recency_points = Case(
        *[When(last_contacted_on__gte=today - dt.timedelta(days=days), last_contacted_on__lte=today, then=Value(points))
          for days, points in RECENCY_POINTS],
        default=Value(0), output_field=INT,
    )
    return qs.annotate(
        tag_points=tag_points, region_points=region_points, link_points=link_points, recency_points=recency_points,
    ).annotate(
        score=F("node_points") + F("tag_points") + F("region_points") + F("link_points") + F("recency_points"),
    )


PART_NAMES = ["node_points", "tag_points", "region_points", "link_points", "recency_points"]


def recommend(chain: IndustryChain, *, limit: int | None = 20, today: dt.date | None = None,
              priority_regions=None) -> list[Recommendation]:
    """The best targets for the chain, best first, each with its score, its parts and
    its reasons in words."""
    from zhaoshang.industry.actions import targeting_settings

    today = today or dt.date.today()
    if priority_regions is None:
        priority_regions = targeting_settings(chain.zone).priority_regions
    qs = scored(chain, priority_regions=priority_regions, today=today).order_by("-score", "name", "pk")
    if limit is not None:
        qs = qs[:limit]
    targets = list(qs)
    return explain(chain, targets, priority_regions=priority_regions, today=today)


def explain(chain: IndustryChain, targets, *, priority_regions, today: dt.date) -> list[Recommendation]:
    """Reasons in words for scored targets (as `scored` annotates them)."""
    ids = [t.pk for t in targets]
    key_gaps, other_gaps = (set(ids_) for ids_ in gap_node_ids(chain))
    nodes = {node.pk: node for node in ChainNode.objects.filter(chain=chain)}
    served = defaultdict(list)
    for target_id, node_id in TargetCompany.nodes.through.objects.filter(
        targetcompany_id__in=ids, chainnode__chain=chain
    ).values_list("targetcompany_id", "chainnode_id"):
        served[target_id].append(nodes[node_id])
    tags = defaultdict(list)
    for target_id, name in TargetCompany.tags.through.objects.filter(
        targetcompany_id__in=ids, tag__name__in=TAG_POINTS
    ).values_list("targetcompany_id", "tag__name"):
        tags[target_id].append(name)
    leaders = set(ChainPlacement.objects.filter(node__chain=chain, is_chain_leader=True).values_list("enterprise_id", flat=True))
    links = defaultdict(list)
    for relation in TargetRelation.objects.filter(target_id__in=ids, enterprise_id__in=leaders).select_related("enterprise"):
        links[relation.target_id].append(relation)
    result = []
    for target in targets:
        reasons = []
        own = sorted(served[target.pk], key=lambda node: (node.sort_order, node.name))
        key = [node.name for node in own if node.pk in key_gaps]
        other = [node.name for node in own if node.pk in other_gaps]
        if key:
            reasons.append(_("填补关键节点：%(nodes)s") % {"nodes": "、".join(key)})
        if other:
            reasons.append(_("补齐薄弱环节：%(nodes)s") % {"nodes": "、".join(other)})
        if not key and not other:
            reasons.append(_("补强节点：%(nodes)s") % {"nodes": "、".join(node.name for node in own)})
        reasons.extend(sorted(tags[target.pk], key=lambda name: (-TAG_POINTS[name], name)))
        if target.region and target.region in priority_regions:
            reasons.append(str(SourceRegion(target.region).label))
        for relation in sorted(links[target.pk], key=lambda r: (LINK_ORDER[r.kind], r.enterprise.name)):
            reasons.append(LINK_WORDS[relation.kind]() % {"name": relation.enterprise.name})
        if target.recency_points:
            reasons.append(_("近期接触（%(date)s）") % {"date": target.last_contacted_on.isoformat()})
        parts = {name: getattr(target, name) for name in PART_NAMES}
        result.append(Recommendation(target=target, score=target.score, parts=parts, reasons=reasons))
    return result


LINK_ORDER = {RelationKind.SUPPLIER: 0, RelationKind.CUSTOMER: 1, RelationKind.PARTNER: 2}
LINK_WORDS = {
    RelationKind.SUPPLIER: lambda: _("为%(name)s供货"),
    RelationKind.CUSTOMER: lambda: _("采购%(name)s产品"),
    RelationKind.PARTNER: lambda: _("与%(name)s合作"),
}
