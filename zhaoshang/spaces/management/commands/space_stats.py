import json
import unicodedata

from zhaoshang.core import numbers
from zhaoshang.core.management.base import Command as BaseCommand
from zhaoshang.core.management.base import get_zone
from zhaoshang.core.models import Park
from zhaoshang.spaces import selectors
from zhaoshang.spaces.models import Building, SpaceUnit

HEADS = [("总面积", 14), ("已使用", 14), ("意向", 12), ("空置", 14), ("出租率", 10)]
AREAS = ["total_area", "occupied_area", "leased_area", "self_used_area", "intended_area", "vacant_area"]


def _row(row: dict) -> dict:
    out = {key: float(row[key]) for key in AREAS}
    out["unit_count"] = row["unit_count"]
    out["occupancy"] = float(row["occupancy"]) if row["occupancy"] is not None else None
    return out


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 1)


def _rpad(text: str, width: int) -> str:
    return " " * max(width - _width(text), 1) + text


class Command(BaseCommand):
    help = "载体出租情况：各园区、各楼栋的面积（㎡）、已使用、意向、空置面积和出租率。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="园区代码")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        zone = get_zone(options["zone"])
        parks = Park.objects.filter(zone=zone)
        park_rows = selectors.occupancy_by_park(parks)
        building_rows = selectors.occupancy_by_building(Building.objects.filter(park__zone=zone))
        total = selectors.occupancy_total(SpaceUnit.objects.filter(building__park__zone=zone))
        if options["json"]:
            payload = {
                "zone": zone.code,
                "total": _row(total),
                "parks": [{"park": r["park"].name, **_row(r)} for r in park_rows],
                "buildings": [{"park": r["building"].park.name, "building": r["building"].name, **_row(r)} for r in building_rows],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"{zone.name} 载体出租情况（面积单位：㎡）")
        self.stdout.write(_pad("园区/楼栋", 26) + "".join(_rpad(h, w) for h, w in HEADS))
        for r in park_rows:
            self._line(r["park"].name, r)
            for b in building_rows:
                if b["building"].park_id == r["park"].pk:
                    self._line("  " + b["building"].name, b)
        self._line("合计", total)

    def _line(self, name, row):
        rate = numbers.rate(row["occupancy"])

        def m2(value):  # whole square metres, the unit is in the heading
            return numbers.area(value).rstrip("㎡")

        self.stdout.write(
            f"{_pad(name, 26)}{m2(row['total_area']):>14}{m2(row['occupied_area']):>14}"
            f"{m2(row['intended_area']):>12}{m2(row['vacant_area']):>14}{rate:>10}"
        )
