"""Reads over chain maps: which nodes the zone's enterprises cover, the gaps, the
overview of all chains, the ECharts tree, and duplicate targets."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from zhaoshang.industry.models import (
    ApproachStatus,
    ChainNode,
    ChainPlacement,
    EnterpriseRelation,
    IndustryChain,
    TargetCompany,
)


@dataclass
class NodeCoverage:
    node: ChainNode
    placements: list = field(default_factory=list)
    targets: int = 0  # targets serving the node (merged duplicates left out)
    visible: set | None = None  # ids of the enterprises the viewer may read; None: all

    @property
    def shown(self) -> list:
        """The placements whose enterprise the viewer may read (names on the page)."""
        if self.visible is None:
            return self.placements
        return [p for p in self.placements if p.enterprise_id in self.visible]

    @property
    def hidden(self) -> int:
        """How many enterprises on the node the viewer may not read (counted, not named)."""
        return len(self.placements) - len(self.shown)

    @property
    def covered(self) -> bool:
        return bool(self.placements)

    @property
    def is_gap(self) -> bool:
        """A key node no local enterprise covers."""
        return self.node.is_key and not self.placements

    @property
    def state(self) -> str:
        if self.placements:
            return "covered"
        return "gap" if self.node.is_key else "empty"

    @property
    def leaders(self) -> list:
        return [p for p in self.placements if p.is_chain_leader]


@dataclass
class ChainCoverage:
    chain: IndustryChain
    nodes: list[NodeCoverage]

    @property
    def gaps(self) -> list[NodeCoverage]:
        return [n for n in self.nodes if n.is_gap]

    @property
    def empty_nodes(self) -> list[NodeCoverage]:
        """Nodes without a local enterprise that are not key nodes (薄弱环节)."""
        return [n for n in self.nodes if n.state == "empty"]

    @property
    def key_nodes(self) -> list[NodeCoverage]:
        return [n for n in self.nodes if n.node.is_key]

    @property
    def covered_nodes(self) -> list[NodeCoverage]:
        return [n for n in self.nodes if n.covered]

    @property
    def enterprises(self) -> list:
        seen = {}
        for n in self.nodes:
            for p in n.placements:
                seen.setdefault(p.enterprise_id, p.enterprise)
        return list(seen.values())

    @property
    def leaders(self) -> list:
        seen = {}
        for n in self.nodes:
            for p in n.leaders:
                seen.setdefault(p.enterprise_id, p.enterprise)
        return list(seen.values())

    def by_position(self) -> list[tuple[str, str, list[NodeCoverage]]]:
        groups = []
        for value, label in ChainNode.Position.choices:
            groups.append((value, label, [n for n in self.nodes if n.node.position == value]))
        return groups


def chain_coverage(chain: IndustryChain, visible: set | None = None) -> ChainCoverage:
    """Every node of the chain with the local enterprises placed on it (chain leaders
    first) and how many targets serve it. Coverage counts every placement; `visible`
    (enterprise ids) limits which ones a page may name."""
    nodes = list(chain.nodes.all())
    placements = defaultdict(list)
    for placement in ChainPlacement.objects.filter(node__chain=chain).select_related("enterprise").order_by(
        "-is_chain_leader", "enterprise__name"
    ):
        placements[placement.node_id].append(placement)
    targets = targets_per_node(chain, [node.pk for node in nodes])
    return ChainCoverage(
        chain=chain,
        nodes=[NodeCoverage(node=node, placements=placements[node.pk], targets=targets.get(node.pk, 0), visible=visible)
               for node in nodes],
    )


def targets_per_node(chain: IndustryChain, node_ids) -> dict[int, int]:
    """{node id: targets serving it, merged duplicates left out} — what the target list
    filtered by that node shows. Counted from the link index alone, less the (few)
    merged targets, so a pool of 200,000 is counted in milliseconds."""
    through = TargetCompany.nodes.through
    counts = dict(
        through.objects.filter(chainnode_id__in=node_ids).values("chainnode_id").annotate(n=Count("id"))
        .values_list("chainnode_id", "n")
    )
    merged = (
        through.objects.filter(targetcompany__in=TargetCompany.objects.filter(zone_id=chain.zone_id, status=ApproachStatus.MERGED),
                               chainnode_id__in=node_ids)
        .values("chainnode_id").annotate(n=Count("id")).values_list("chainnode_id", "n")
    )
    for node_id, n in merged:
        counts[node_id] -= n
    return counts


def gap_node_ids(chain: IndustryChain) -> tuple[list[int], list[int]]:
    """(key nodes without a local enterprise, other nodes without one), in one query."""
    rows = chain.nodes.annotate(
        covered=Exists(ChainPlacement.objects.filter(node=OuterRef("pk")))
    ).values_list("pk", "is_key", "covered")
    key = [pk for pk, is_key, covered in rows if is_key and not covered]
    other = [pk for pk, is_key, covered in rows if not is_key and not covered]
    return key, other


def chains_overview(zone) -> list[dict]:
    """One row per chain of the zone: nodes, key nodes, gaps, enterprises placed, chain
    leaders and targets (merged duplicates left out), all counted in the database."""
    covered = Exists(ChainPlacement.objects.filter(node=OuterRef("pk")))
    node_rows = ChainNode.objects.filter(chain__zone=zone).annotate(covered=covered).values(
        "chain_id", "is_key", "covered"
    )
    per_chain = defaultdict(lambda: {"nodes": 0, "key_nodes": 0, "gaps": 0, "covered": 0})
    for row in node_rows:
        counts = per_chain[row["chain_id"]]
        counts["nodes"] += 1
        counts["key_nodes"] += row["is_key"]
        counts["covered"] += row["covered"]
        counts["gaps"] += row["is_key"] and not row["covered"]
    enterprises = dict(
        ChainPlacement.objects.filter(node__chain__zone=zone).values("node__chain").annotate(
            n=Count("enterprise", distinct=True)
        ).values_list("node__chain", "n")
    )
    leaders = dict(
        ChainPlacement.objects.filter(node__chain__zone=zone, is_chain_leader=True).values("node__chain").annotate(
            n=Count("enterprise", distinct=True)
        ).values_list("node__chain", "n")
    )
    through = TargetCompany.nodes.through
    node_chain = dict(ChainNode.objects.filter(chain__zone=zone).values_list("pk", "chain_id"))
    targets = dict(
        through.objects.filter(chainnode_id__in=list(node_chain)).values("chainnode__chain")
        .annotate(n=Count("targetcompany_id", distinct=True)).values_list("chainnode__chain", "n")
    )
    merged = (
        through.objects.filter(targetcompany__in=TargetCompany.objects.filter(zone=zone, status=ApproachStatus.MERGED))
        .values("chainnode__chain").annotate(n=Count("targetcompany_id", distinct=True)).values_list("chainnode__chain", "n")
    )
    for chain_id, n in merged:
        targets[chain_id] -= n
    rows = []
    for chain in IndustryChain.objects.filter(zone=zone).select_related("cluster"):
        counts = per_chain[chain.pk]
        rows.append({
            "chain": chain, **counts, "enterprises": enterprises.get(chain.pk, 0), "leaders": leaders.get(chain.pk, 0),
            "targets": targets.get(chain.pk, 0),
        })
    return rows


def chain_relations(chain: IndustryChain, visible: set | None = None):
    """Relations between enterprises of which at least one is placed on the chain (both
    among `visible` when given)."""
    on_chain = ChainPlacement.objects.filter(node__chain=chain).values("enterprise_id")
    relations = EnterpriseRelation.objects.filter(
        Q(from_enterprise__in=on_chain) | Q(to_enterprise__in=on_chain)
    ).select_related("from_enterprise", "to_enterprise")
    if visible is not None:
        relations = relations.filter(from_enterprise__in=visible, to_enterprise__in=visible)
    return relations


def readable_enterprise_ids(user, zone) -> set | None:
    """The ids of the zone's enterprises `user` may read by name (Enterprise.objects.visible_to);
    None when that is every enterprise of the zone, so a large registry is not listed."""
    from zhaoshang.enterprises.models import Enterprise

    readable = Enterprise.objects.visible_to(user).filter(zone=zone)
    if not Enterprise.objects.filter(zone=zone).exclude(pk__in=readable.values("pk")).exists():
        return None
    return set(readable.values_list("pk", flat=True))


STATE_COLOURS = {"covered": "#2e7d32", "gap": "#c62828", "empty": "#9e9e9e"}


def chain_tree(coverage: ChainCoverage) -> dict:
    """The chain as an ECharts tree: chain → 上游/中游/下游 → nodes → enterprises; nodes
    coloured by coverage (green covered, red key gap, grey uncovered)."""
    def node_item(n: NodeCoverage) -> dict:
        label = n.node.name + ("★" if n.node.is_key else "")
        return {
            "name": label,
            "value": len(n.placements),
            "state": n.state,
            "itemStyle": {"color": STATE_COLOURS[n.state], "borderColor": STATE_COLOURS[n.state]},
            "label": {"color": STATE_COLOURS[n.state], "fontWeight": "bold" if n.node.is_key else "normal"},
            "children": [
                {"name": p.enterprise.name + (_("（链主）") if p.is_chain_leader else ""), "itemStyle": {"color": "#1565c0"}}
                for p in n.shown
            ] + ([{"name": _("其他本地企业%(count)d家") % {"count": n.hidden}, "itemStyle": {"color": "#90a4ae"}}]
                 if n.hidden else []),
        }

    return {
        "name": coverage.chain.name,
        "children": [
            {"name": label, "children": [node_item(n) for n in nodes]}
            for value, label, nodes in coverage.by_position() if nodes
        ],
    }
