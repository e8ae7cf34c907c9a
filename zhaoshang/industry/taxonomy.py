"""The default industry taxonomy every new zone starts with (docs/design.md §2)."""

from zhaoshang.industry.models import ChainNode, IndustryChain

CLUSTERS = ["数字经济", "高端装备制造", "新能源新材料", "现代服务业"]

UP, MID, DOWN = ChainNode.Position.UP, ChainNode.Position.MID, ChainNode.Position.DOWN
LEADING, EMERGING, FUTURE = IndustryChain.Tier.LEADING, IndustryChain.Tier.EMERGING, IndustryChain.Tier.FUTURE

# name, cluster, tier, aliases seen in ledgers, nodes as (name, position, is_key)
CHAINS = [
    ("新能源电池及材料", "新能源新材料", LEADING, ["新能源电池", "锂电池", "钠离子电池", "电池材料", "动力电池"], [
        ("正极材料", UP, True), ("负极材料", UP, True), ("电解液", UP, False), ("隔膜", UP, False),
        ("电芯制造", MID, True), ("电池模组与PACK", MID, False), ("储能系统", DOWN, True), ("电池回收", DOWN, False),
    ]),
    ("智能终端", "数字经济", LEADING, ["智能终端制造", "消费电子", "电子信息"], [
        ("芯片与元器件", UP, True), ("显示模组", UP, False), ("精密结构件", UP, False),
        ("整机组装", MID, True), ("软件与方案", DOWN, False),
    ]),
    ("智算及人工智能", "数字经济", FUTURE, ["智算", "人工智能", "算力", "大数据", "云计算"], [
        ("服务器与算力设备", UP, True), ("数据中心", MID, True), ("算力调度", MID, False),
        ("大模型与算法", MID, True), ("行业应用", DOWN, False),
    ]),
    ("钨钼材料", "新能源新材料", LEADING, ["钨钼", "钼", "钨", "钼材料"], [
        ("钼精矿与冶炼", UP, False), ("钼粉与钼条", MID, True), ("钼靶材", MID, True), ("高端应用", DOWN, False),
    ]),
    ("泵阀装备", "高端装备制造", LEADING, ["泵阀", "阀门", "水泵", "泵业"], [
        ("铸锻件", UP, True), ("密封与控制件", UP, False), ("泵阀整机", MID, True), ("工程与运维服务", DOWN, False),
    ]),
    ("新型装备制造", "高端装备制造", EMERGING, ["装备制造", "高端装备", "智能装备"], [
        ("核心零部件", UP, True), ("整机装备", MID, False), ("智能运维", DOWN, False),
    ]),
    ("节能环保和循环经济", "新能源新材料", EMERGING, ["循环经济", "节能环保", "环保", "资源综合利用", "再生资源"], [
        ("回收网络", UP, False), ("拆解与综合利用", MID, True), ("再生材料", DOWN, False),
    ]),
]
