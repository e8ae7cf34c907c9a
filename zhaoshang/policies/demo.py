"""Demo policies of 阳泉高新区, with claims and payments."""

import datetime as dt
from decimal import Decimal

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.policies import actions
from zhaoshang.policies.models import Claim, Policy

D = dt.date.fromisoformat
FROM, TO = D("2024-01-01"), D("2027-12-31")

POLICIES = [
    ("专精特新企业培育奖励", Policy.Level.DISTRICT, "阳高管发〔2024〕12号", Policy.BenefitKind.REWARD,
     "首次认定为省级专精特新企业的奖励30万元，国家级专精特新“小巨人”奖励50万元", Decimal("50"),
     [("tag", "in", "专精特新、小巨人")]),
    ("首次入规工业企业奖励", Policy.Level.DISTRICT, "阳高管发〔2024〕15号", Policy.BenefitKind.REWARD,
     "首次纳入规模以上工业统计的企业一次性奖励20万元", Decimal("20"),
     [("sector", "in", "C"), ("in_statistics", "is", "否"), ("revenue", "gte", "2000")]),
    ("新能源电池产业链设备投资补助", Policy.Level.CITY, "阳政办发〔2024〕21号", Policy.BenefitKind.SUBSIDY,
     "按设备投资额的10%给予补助，最高500万元", Decimal("500"),
     [("chain", "in", "新能源电池及材料"), ("fixed_asset_investment", "gte", "1亿"), ("stage", "in", "开工、投产")]),
    ("算力中心用电补贴", Policy.Level.PROVINCE, "晋政发〔2024〕8号", Policy.BenefitKind.SUBSIDY,
     "对符合条件的数据中心、智算中心按实际用电量给予每千瓦时0.1元补贴", Decimal("300"),
     [("chain", "in", "智算及人工智能"), ("stage", "in", "开工、投产"), ("total_investment", "gte", "1亿")]),
    ("中电数字经济产业园入驻企业租金减免", Policy.Level.DISTRICT, "阳高管发〔2024〕30号", Policy.BenefitKind.RENT_RELIEF,
     "入驻前三年租金“三免两减半”", None,
     [("park", "in", "中电数字经济产业园一期、中电数字经济产业园二期"), ("years_since_landing", "lte", "3")]),
    ("高新技术企业认定奖励", Policy.Level.DISTRICT, "阳高管发〔2024〕18号", Policy.BenefitKind.REWARD,
     "首次认定为高新技术企业的奖励10万元", Decimal("10"), [("tag", "in", "高新技术企业")]),
    ("规上工业企业稳岗扩岗奖励", Policy.Level.CITY, "阳人社发〔2025〕4号", Policy.BenefitKind.REWARD,
     "年末从业人员100人以上的规上工业企业，按新增岗位每人2000元奖励", Decimal("100"),
     [("in_statistics", "is", "是"), ("sector", "in", "C"), ("employees", "gte", "100")]),
    ("企业贷款贴息", Policy.Level.DISTRICT, "阳高管发〔2025〕6号", Policy.BenefitKind.INTEREST,
     "对新开工亿元以上项目的固定资产贷款按LPR的50%贴息，最高200万元", Decimal("200"),
     [("fixed_asset_investment", "gte", "1亿"), ("stage", "in", "开工"), ("revenue", "gte", "3000")]),
]

# enterprise, policy, applied, claimed, (decided, approved), [(paid_on, amount)]
CLAIMS = [
    ("常州锂源新能源科技有限公司", "专精特新企业培育奖励", "2025-03-10", 30, ("2025-04-15", 30), [("2025-05-20", 30)]),
    ("西安瑞钼材料科技有限公司", "专精特新企业培育奖励", "2025-03-12", 50, ("2025-04-15", 50), [("2025-06-10", 25)]),
    ("常州锂源新能源科技有限公司", "新能源电池产业链设备投资补助", "2025-06-01", 500, ("2025-07-20", 420), [("2025-09-30", 420)]),
    ("北京中科智算科技有限公司", "算力中心用电补贴", "2025-08-05", 180, None, []),
    ("北京工联数据技术有限公司", "中电数字经济产业园入驻企业租金减免", "2024-05-01", 36, ("2024-05-20", 36), [("2024-12-20", 18), ("2025-06-20", 18)]),
    ("深圳科瑞电控技术有限公司", "高新技术企业认定奖励", "2025-10-10", 10, ("2025-11-01", 0), []),
]


def seed_policies(zone) -> None:
    policies = {}
    for title, level, number, kind, benefit, maximum, conditions in POLICIES:
        policies[title] = actions.create_policy(
            zone=zone, title=title, level=level, document_number=number, benefit_kind=kind, benefit=benefit,
            max_amount=maximum, valid_from=FROM, valid_to=TO, summary=benefit, conditions=conditions,
        )
    companies = {e.name: e for e in Enterprise.objects.filter(zone=zone)}
    for name, title, applied, claimed, decision, payments in CLAIMS:
        if name not in companies:
            continue
        claim = actions.record_claim(policy=policies[title], enterprise=companies[name], applied_on=D(applied),
                                     amount_claimed=Decimal(claimed))
        if decision:
            decided, approved = decision
            status = Claim.Status.APPROVED if approved else Claim.Status.REJECTED
            actions.decide_claim(claim, status=status, decided_on=D(decided), amount_approved=Decimal(approved))
        for paid_on, amount in payments:
            actions.add_payment(claim, paid_on=D(paid_on), amount=Decimal(amount))
