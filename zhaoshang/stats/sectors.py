"""国民经济行业分类 (GB/T 4754-2017) at the grain the "四上" statistics need: a section
(门类, A–T), split into its divisions or groups where the thresholds differ (批发 F51 and
零售 F52; 住宿 H61 and 餐饮 H62; 房地产开发经营 K701 and the rest of K70; 卫生 Q84 and
社会工作 Q85)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """The six parts of the "四上" (above-scale) statistics."""

    INDUSTRY = "industry", _("规模以上工业")
    TRADE = "trade", _("限额以上批发和零售业")
    HOSPITALITY = "hospitality", _("限额以上住宿和餐饮业")
    CONSTRUCTION = "construction", _("有资质的建筑业")
    REAL_ESTATE = "real_estate", _("房地产开发经营业")
    SERVICES = "services", _("规模以上服务业")


# code, name, group ("" when the class is outside the 四上 statistics)
CLASSES = [
    ("A", _("农、林、牧、渔业"), ""),
    ("B", _("采矿业"), Group.INDUSTRY),
    ("C", _("制造业"), Group.INDUSTRY),
    ("D", _("电力、热力、燃气及水生产和供应业"), Group.INDUSTRY),
    ("E", _("建筑业"), Group.CONSTRUCTION),
    ("F51", _("批发业"), Group.TRADE),
    ("F52", _("零售业"), Group.TRADE),
    ("G", _("交通运输、仓储和邮政业"), Group.SERVICES),
    ("H61", _("住宿业"), Group.HOSPITALITY),
    ("H62", _("餐饮业"), Group.HOSPITALITY),
    ("I", _("信息传输、软件和信息技术服务业"), Group.SERVICES),
    ("J", _("金融业"), ""),
    ("K701", _("房地产开发经营"), Group.REAL_ESTATE),
    ("K702", _("物业管理"), Group.SERVICES),
    ("K703", _("房地产中介服务"), Group.SERVICES),
    ("K704", _("房地产租赁经营"), Group.SERVICES),
    ("K709", _("其他房地产业"), Group.SERVICES),
    ("L", _("租赁和商务服务业"), Group.SERVICES),
    ("M", _("科学研究和技术服务业"), Group.SERVICES),
    ("N", _("水利、环境和公共设施管理业"), Group.SERVICES),
    ("O", _("居民服务、修理和其他服务业"), Group.SERVICES),
    ("P", _("教育"), Group.SERVICES),
    ("Q84", _("卫生"), Group.SERVICES),
    ("Q85", _("社会工作"), Group.SERVICES),
    ("R", _("文化、体育和娱乐业"), Group.SERVICES),
    ("S", _("公共管理、社会保障和社会组织"), ""),
    ("T", _("国际组织"), ""),
]

CHOICES = [(code, f"{code} {name}") for code, name, _group in CLASSES]
NAMES = {code: name for code, name, _group in CLASSES}
GROUPS = {code: group for code, _name, group in CLASSES}


def label(code: str) -> str:
    return f"{code} {NAMES[code]}" if code in NAMES else code
