"""Company names made comparable, for finding the same company written two ways.

北京字节跳动科技有限公司 and 字节跳动（北京）科技有限公司 both become 字节跳动科技:
full-width forms are made half-width (NFKC), bracketed parts are dropped, the legal form
at the end (有限公司, 股份有限公司, 有限责任公司, 集团有限公司 …) is dropped, and so is a
province or city name at the start.
"""

import functools
import re
import unicodedata

from zhaoshang.projects.regions import PROVINCES

LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司", "集团公司",
    "(有限合伙)", "有限合伙", "分公司", "公司", "集团",
)
# Cities that open company names often enough to matter (prefecture level and above).
CITIES = (
    "深圳", "广州", "东莞", "佛山", "珠海", "惠州", "中山", "苏州", "无锡", "常州", "南京", "南通", "扬州", "镇江",
    "徐州", "盐城", "泰州", "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "台州", "义乌", "合肥", "芜湖",
    "蚌埠", "滁州", "马鞍山", "厦门", "福州", "泉州", "宁德", "济南", "青岛", "烟台", "潍坊", "淄博", "郑州", "洛阳",
    "新乡", "武汉", "襄阳", "宜昌", "长沙", "株洲", "湘潭", "南昌", "赣州", "宜春", "成都", "绵阳", "宜宾", "西安",
    "宝鸡", "太原", "大同", "阳泉", "长治", "晋城", "晋中", "运城", "临汾", "吕梁", "朔州", "忻州", "石家庄", "唐山",
    "保定", "廊坊", "邯郸", "沧州", "沈阳", "大连", "长春", "哈尔滨", "呼和浩特", "包头", "鄂尔多斯", "兰州", "银川",
    "西宁", "乌鲁木齐", "昆明", "贵阳", "南宁", "柳州", "海口", "三亚", "拉萨",
)
PLACES = tuple(sorted(set(PROVINCES) | set(CITIES), key=len, reverse=True))
PLACE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_SPACE = re.compile(r"\s+")


# Cached: a ledger's near-duplicate check normalises each of the zone's names once per new
# project it compares, and the place-name loop below is the costly part.
@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """The comparable form of a company name (see module doc); '' for an empty name."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACE.sub("", text).lower()
    text = _BRACKETS.sub("", text)
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
                changed = True
    for place in PLACES:
        if text.startswith(place) and len(text) > len(place) + 1:
            rest = text[len(place):]
            for suffix in PLACE_SUFFIXES:
                if rest.startswith(suffix) and len(rest) > len(suffix) + 1:
                    rest = rest[len(suffix):]
                    break
            text = rest
            break
    return text or _SPACE.sub("", unicodedata.normalize("NFKC", name or "")).lower()
