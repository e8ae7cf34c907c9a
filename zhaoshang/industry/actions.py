from django.db import transaction

from zhaoshang.core.models import Zone
from zhaoshang.industry.models import ChainNode, IndustryChain, IndustryCluster
from zhaoshang.industry.taxonomy import CHAINS, CLUSTERS


@transaction.atomic
def install_default_taxonomy(zone: Zone) -> None:
    """Give a zone the 4 clusters and 7 chains of DESIGN.md §2; existing ones are kept."""
    clusters = {}
    for order, name in enumerate(CLUSTERS):
        clusters[name], _created = IndustryCluster.objects.get_or_create(zone=zone, name=name, defaults={"sort_order": order})
    for order, (name, cluster, tier, aliases, nodes) in enumerate(CHAINS):
        chain, created = IndustryChain.objects.get_or_create(
            zone=zone, name=name, defaults={"cluster": clusters[cluster], "tier": tier, "aliases": aliases, "sort_order": order}
        )
        if created:
            ChainNode.objects.bulk_create(
                ChainNode(chain=chain, name=node, position=position, is_key=is_key, sort_order=index)
                for index, (node, position, is_key) in enumerate(nodes)
            )


def find_chain(zone: Zone, text: str) -> IndustryChain | None:
    """A chain by its name or one of its aliases; None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    chains = list(IndustryChain.objects.filter(zone=zone))
    for chain in chains:
        if text == chain.name or text in chain.aliases:
            return chain
    for chain in chains:
        if chain.name.startswith(text) or text.startswith(chain.name):
            return chain
    return None
