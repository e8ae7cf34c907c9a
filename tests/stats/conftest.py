from decimal import Decimal

import pytest

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.stats import actions


@pytest.fixture
def make_company(zone):
    """An enterprise with its industry class and revenue by year: make_company("名称", "C", {2024: "2000"})."""

    def make(name, code, revenues=None, qualification="", in_statistics=False, company_zone=None, employees=None):
        enterprise = create_enterprise(zone=company_zone or zone, name=name)
        actions.update_profile(
            enterprise, industry_code=code, construction_qualification=qualification, in_statistics=in_statistics
        )
        for year, revenue in (revenues or {}).items():
            actions.record_annual_figures(enterprise, year=year, revenue=Decimal(revenue), employees=employees)
        return enterprise

    return make
