"""The national "四上" entry thresholds, seeded as editable data (the Threshold model).

Source: 国家统计局's definitions of the 四上 enterprises — 规模以上工业 (主营业务收入
2000万元及以上), 有资质的建筑业 (总承包或专业承包资质), 限额以上批发业 (2000万元),
零售业 (500万元), 住宿业和餐饮业 (200万元), 房地产开发经营业 (全部), and 规模以上服务业
(年营业收入2000万元: 交通运输、仓储和邮政业, 信息传输、软件和信息技术服务业, 水利、环境和
公共设施管理业, 卫生; 1000万元: 租赁和商务服务业, 科学研究和技术服务业, 教育, 物业管理,
房地产中介服务, 房地产租赁经营, 其他房地产业; 500万元: 居民服务、修理和其他服务业, 文化、
体育和娱乐业, 社会工作). They are seeded as in force from 2011, when the current 2000万元
industrial threshold took effect; a bureau whose province dates or sets them differently
edits them, or adds a row for a later year, on the thresholds page.
"""

from decimal import Decimal

SOURCE = "国家统计局“四上”企业统计口径"
SEED_YEAR = 2011

# industry code → (basis, 万元)
SEED = {
    "B": ("revenue", 2000), "C": ("revenue", 2000), "D": ("revenue", 2000),
    "E": ("qualification", None),
    "F51": ("revenue", 2000), "F52": ("revenue", 500),
    "H61": ("revenue", 200), "H62": ("revenue", 200),
    "K701": ("all", None),
    "G": ("revenue", 2000), "I": ("revenue", 2000), "N": ("revenue", 2000), "Q84": ("revenue", 2000),
    "L": ("revenue", 1000), "M": ("revenue", 1000), "P": ("revenue", 1000),
    "K702": ("revenue", 1000), "K703": ("revenue", 1000), "K704": ("revenue", 1000), "K709": ("revenue", 1000),
    "O": ("revenue", 500), "R": ("revenue", 500), "Q85": ("revenue", 500),
}


def seed_rows():
    for code, (basis, amount) in SEED.items():
        yield {
            "industry_code": code,
            "from_year": SEED_YEAR,
            "basis": basis,
            "min_revenue": Decimal(amount) if amount is not None else None,
            "source": SOURCE,
        }
