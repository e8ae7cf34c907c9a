from decimal import Decimal

import pytest

from zhaoshang.core.actions import create_park
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.spaces import actions


@pytest.fixture
def space(zone, park):
    """新材料产业园 (park): 1号厂房 with 1,000 leased, 500 vacant, 300 self-used, 200 intended;
    2号厂房 with 2,000 vacant. 智能终端产业园: 研发楼 with 1,000 leased. (㎡)"""
    tenant = create_enterprise(zone=zone, name="常州锂源新能源科技有限公司")
    other_park = create_park(zone=zone, name="智能终端产业园")
    b1 = actions.create_building(park=park, name="1号厂房")
    b2 = actions.create_building(park=park, name="2号厂房")
    b3 = actions.create_building(park=other_park, name="研发楼")
    units = {
        "leased": actions.create_unit(building=b1, name="A区", area_m2=Decimal("1000"), status="leased", tenant_enterprise=tenant, rent=Decimal("18")),
        "vacant": actions.create_unit(building=b1, name="B区", area_m2=Decimal("500"), rent=Decimal("16")),
        "self": actions.create_unit(building=b1, name="C区", area_m2=Decimal("300"), status="self_used", tenant_enterprise=tenant),
        "intended": actions.create_unit(building=b1, name="D区", area_m2=Decimal("200"), status="intended", tenant_enterprise=tenant),
        "big": actions.create_unit(building=b2, name="整栋", area_m2=Decimal("2000"), kind="factory"),
        "office": actions.create_unit(building=b3, name="3层", area_m2=Decimal("1000"), kind="research", status="leased", tenant_enterprise=tenant),
    }
    return {"park": park, "other_park": other_park, "b1": b1, "b2": b2, "b3": b3, "tenant": tenant, **units}
