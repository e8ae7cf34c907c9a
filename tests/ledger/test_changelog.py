"""Every row an import creates or changes is in the change log, under the import's request."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from zhaoshang.core.changelog import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.projects.models import FundArrival, Project, StageChange

from .conftest import HEADER, VALID_USCC, day


def _records(model, action="create"):
    return ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), action=action)


def test_each_created_row_has_its_change_record_under_the_import(zone, workbook):
    path = workbook({
        "项目": [HEADER,
                 ["甲项目", "甲公司", VALID_USCC[0], "", 100, "专班甲", "2024-03-01", "2024-05-01", "在建"],
                 ["乙项目", "乙公司", VALID_USCC[1], "", 200, "专班甲", "2024-04-01", "", "已签约"]],
        "到位": [["项目名称", "到位时间", "到位金额(万元)"], ["甲项目", "2024-06-01", "12.5"]],
    })
    with acting_as(None, request_id="a" * 32, origin="import_ledger"):
        result = import_ledger(path, zone=zone, today=day("2025-01-01"))
    assert result.ok, [str(issue) for issue in result.errors]
    projects = {project.pk: project for project in Project.objects.filter(zone=zone)}
    created = _records(Project).filter(request_id="a" * 32)
    assert sorted(created.values_list("object_id", flat=True)) == sorted(str(pk) for pk in projects)
    first = created.get(object_repr="甲项目")
    assert first.zone_id == zone.pk
    assert first.after["name"] == "甲项目" and first.after["total_investment"] == "100.00" and first.after["stage"] == "started"
    stage_changes = StageChange.objects.filter(project__zone=zone)
    assert stage_changes.count() == 5  # 在谈 → 签约 → 开工, 在谈 → 签约
    assert set(_records(StageChange).filter(request_id="a" * 32).values_list("object_id", flat=True)) == {
        str(pk) for pk in stage_changes.values_list("pk", flat=True)}
    assert set(_records(StageChange).values_list("parent_id", flat=True)) == {str(pk) for pk in projects}
    assert _records(Enterprise).filter(request_id="a" * 32).count() == Enterprise.objects.filter(zone=zone).count() == 2
    arrival = FundArrival.objects.get(project__zone=zone)
    record = _records(FundArrival).get(object_id=str(arrival.pk))
    assert record.after["amount"] == "12.50" and record.request_id == "a" * 32
    assert ChangeRecord.objects.filter(action="import", request_id="a" * 32).count() == 1


def test_a_changed_project_has_an_update_record(zone, simple_ledger):
    first = simple_ledger(["甲项目", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"])
    assert import_ledger(first, zone=zone, today=day("2025-01-01")).ok
    changed = simple_ledger(["甲项目", "", "", "", 150, "专班甲", "2024-03-01", "", "已签约"])
    with acting_as(None, request_id="b" * 32):
        assert import_ledger(changed, zone=zone, today=day("2025-01-01")).projects_updated == 1
    record = _records(Project, "update").get(request_id="b" * 32)
    assert (record.before["total_investment"], record.after["total_investment"]) == ("100.00", "150.00")
    assert Project.objects.get(zone=zone).total_investment == Decimal("150")


def test_a_check_records_nothing(zone, simple_ledger):
    before = ChangeRecord.objects.count()
    result = import_ledger(simple_ledger(["甲项目", "", "", "", 100, "专班甲", "2024-03-01", "", "已签约"]), zone=zone, dry_run=True)
    assert result.ok and ChangeRecord.objects.count() == before


def test_the_default_ticket_categories_of_a_new_zone_are_on_record(db):
    from zhaoshang.core.actions import create_zone
    from zhaoshang.tickets.models import TicketCategory

    zone = create_zone(code="catzone", name="类别园区", province="山西省")
    categories = TicketCategory.objects.filter(zone=zone)
    assert categories.exists()
    assert set(_records(TicketCategory).filter(zone=zone).values_list("object_id", flat=True)) == {
        str(pk) for pk in categories.values_list("pk", flat=True)}
