"""项目来源地: the region group a project's source province belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceRegion(models.TextChoices):
    JING_JIN_JI = "jjj", _("京津冀")
    YANGTZE_DELTA = "yrd", _("长三角")
    GREATER_BAY = "gba", _("粤港澳")
    HOME_PROVINCE = "home", _("省内")
    OTHER = "other", _("其他")


_GROUPS = {
    SourceRegion.JING_JIN_JI: ("北京", "天津", "河北"),
    SourceRegion.YANGTZE_DELTA: ("上海", "江苏", "浙江", "安徽"),
    SourceRegion.GREATER_BAY: ("广东", "香港", "澳门"),
}

PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
)


def province_key(name: str) -> str:
    """山西省 → 山西; 广西壮族自治区 → 广西; unknown text is returned stripped."""
    name = (name or "").strip()
    for province in PROVINCES:
        if name.startswith(province):
            return province
    return name


def split_source(text: str) -> tuple[str, str]:
    """'江苏省常州市' → ('江苏省', '常州市'); '北京市' → ('北京市', '')."""
    text = (text or "").strip()
    key = province_key(text)
    if key not in PROVINCES:
        return text, ""
    rest = text[len(key):]
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
        if rest.startswith(suffix):
            return key + suffix, rest[len(suffix):].strip()
    return key, rest.strip()


def region_of(source_province: str, home_province: str) -> str:
    key = province_key(source_province)
    if not key:
        return ""
    if home_province and key == province_key(home_province):
        return SourceRegion.HOME_PROVINCE
    for region, provinces in _GROUPS.items():
        if key in provinces:
            return region
    return SourceRegion.OTHER
