import pytest
from django.core.exceptions import ValidationError

from zhaoshang.industry import actions, selectors


def test_a_key_node_without_a_local_enterprise_is_a_gap(mapped_chain):
    coverage = selectors.chain_coverage(mapped_chain)
    assert [n.node.name for n in coverage.gaps] == ["正极材料"]
    assert [n.node.name for n in coverage.empty_nodes] == ["隔膜"]
    assert {n.node.name: n.state for n in coverage.nodes} == {
        "正极材料": "gap", "隔膜": "empty", "电芯制造": "covered", "储能系统": "covered",
    }
    assert [e.name for e in coverage.leaders] == ["多氟多新材料股份有限公司"]


def test_placing_an_enterprise_closes_the_gap(mapped_chain, node, local):
    actions.place_enterprise(node("正极材料"), local("阳泉正极材料有限公司"))
    assert selectors.chain_coverage(mapped_chain).gaps == []
    assert selectors.gap_node_ids(mapped_chain) == ([], [node("隔膜").pk])


def test_removing_the_last_enterprise_reopens_the_gap(mapped_chain, node):
    placement = node("储能系统").placements.get()
    actions.remove_placement(placement)
    assert [n.node.name for n in selectors.chain_coverage(mapped_chain).gaps] == ["正极材料", "储能系统"]


def test_overview_counts_each_chain(mapped_chain, zone):
    rows = {row["chain"].name: row for row in selectors.chains_overview(zone)}
    row = rows["测试电池链"]
    assert (row["nodes"], row["key_nodes"], row["gaps"], row["covered"], row["enterprises"], row["leaders"]) == (4, 3, 1, 2, 2, 1)
    # the default taxonomy's chains have no enterprises: every key node is a gap
    battery = rows["新能源电池及材料"]
    assert battery["gaps"] == battery["key_nodes"] == 4


def test_an_enterprise_of_another_zone_cannot_be_placed(mapped_chain, node, other_zone):
    from zhaoshang.enterprises.actions import create_enterprise

    stranger = create_enterprise(zone=other_zone, name="外区企业有限公司")
    with pytest.raises(ValidationError, match="不属于本园区"):
        actions.place_enterprise(node("隔膜"), stranger)


def test_the_same_enterprise_is_placed_once_per_node(mapped_chain, node, local):
    with pytest.raises(ValidationError, match="已在节点"):
        actions.place_enterprise(node("电芯制造"), local("多氟多新材料股份有限公司"))


def test_relations_need_two_different_enterprises_of_the_zone(mapped_chain, local):
    supplier = local("阳泉储能科技有限公司")
    leader = local("多氟多新材料股份有限公司")
    relation = actions.add_relation(supplier, "customer", leader)
    assert str(relation) == "阳泉储能科技有限公司 是 多氟多新材料股份有限公司 的客户"
    assert list(selectors.chain_relations(mapped_chain)) == [relation]
    with pytest.raises(ValidationError, match="自身"):
        actions.add_relation(leader, "partner", leader)
    with pytest.raises(ValidationError, match="已登记"):
        actions.add_relation(supplier, "customer", leader)


def test_a_node_with_enterprises_cannot_be_deleted(mapped_chain, node):
    with pytest.raises(ValidationError, match="还有企业"):
        actions.delete_node(node("电芯制造"))
    actions.delete_node(node("隔膜"))
    assert mapped_chain.nodes.count() == 3


def test_chain_tree_colours_nodes_by_coverage(mapped_chain):
    tree = selectors.chain_tree(selectors.chain_coverage(mapped_chain))
    assert [child["name"] for child in tree["children"]] == ["上游", "中游", "下游"]
    upstream = {item["name"]: item for item in tree["children"][0]["children"]}
    assert upstream["正极材料★"]["itemStyle"]["color"] == selectors.STATE_COLOURS["gap"]
    assert upstream["隔膜"]["itemStyle"]["color"] == selectors.STATE_COLOURS["empty"]
    midstream = tree["children"][1]["children"][0]
    assert midstream["children"] == [{"name": "多氟多新材料股份有限公司（链主）", "itemStyle": {"color": "#1565c0"}}]
