import datetime as dt

import pytest

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.industry import actions
from zhaoshang.industry.models import ChainNode, IndustryChain, IndustryCluster

D = dt.date.fromisoformat
TODAY = D("2025-04-01")
UP, MID, DOWN = ChainNode.Position.UP, ChainNode.Position.MID, ChainNode.Position.DOWN


@pytest.fixture
def small_chain(zone):
    """A chain of four nodes: 正极材料 (key), 隔膜, 电芯制造 (key), 储能系统 (key)."""
    cluster = IndustryCluster.objects.create(zone=zone, name="测试集群")
    chain = IndustryChain.objects.create(zone=zone, cluster=cluster, name="测试电池链")
    for name, position, is_key in [("正极材料", UP, True), ("隔膜", UP, False), ("电芯制造", MID, True), ("储能系统", DOWN, True)]:
        actions.add_node(chain, name=name, position=position, is_key=is_key)
    return chain


@pytest.fixture
def node(small_chain):
    def get(name):
        return small_chain.nodes.get(name=name)

    return get


@pytest.fixture
def local(zone):
    """Local enterprises by name, created on first use."""
    made = {}

    def get(name, **fields):
        if name not in made:
            made[name] = create_enterprise(zone=zone, name=name, **fields)
        return made[name]

    return get


@pytest.fixture
def mapped_chain(small_chain, node, local):
    """多氟多 leads the chain on 电芯制造; 阳泉储能 sits on 储能系统. Gap: 正极材料; 隔膜 empty."""
    actions.place_enterprise(node("电芯制造"), local("多氟多新材料股份有限公司"), is_chain_leader=True)
    actions.place_enterprise(node("储能系统"), local("阳泉储能科技有限公司"))
    return small_chain
