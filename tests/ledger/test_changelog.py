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


def _verify():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_an_import_and_a_re_import_keep_the_hash_chain_intact(zone, workbook, make_project, unit):
    """The records an import writes in bulk join the chain that audit_verify walks, between
    records written one by one before and after it; editing one of them is caught."""
    make_project("已有项目", responsible_unit=unit)
    header = [*HEADER, "包联领导", "建设内容"]
    rows = [["甲项目", "甲公司", VALID_USCC[0], "锂电池", 100, "专班甲", "2024-03-01", "2024-05-01", "在建", "王局长、李主任", "厂房“一期”\n=1+1"],
            ["乙项目", "乙公司", VALID_USCC[1], "", "1.5亿元", "专班甲", "2024-04-01", "", "已签约", "王局长", ""]]
    path = workbook({"项目": [header, *rows], "到位": [["项目名称", "到位时间", "到位金额(万元)"], ["甲项目", "2024-06-01", "12.5"]]})
    assert import_ledger(path, zone=zone, today=day("2025-01-01")).ok
    rows[1][4], rows[1][7] = 200, "2024-09-01"  # a new amount, and a start date that moves it on
    changed = workbook({"项目": [header, *rows]})
    assert import_ledger(changed, zone=zone, today=day("2025-01-01")).projects_updated == 1
    make_project("之后的项目", responsible_unit=unit)
    code, text = _verify()
    assert code == 0, text
    assert f"共 {ChangeRecord.objects.count()} 条变更记录" in text
    bulk = _records(StageChange).order_by("id").first()
    ChangeRecord.objects.filter(pk=bulk.pk)._chain_update(object_repr="别的项目")
    code, text = _verify()
    assert code == 1 and f"编号 {bulk.pk}" in text and "记录被修改" in text


def test_masked_and_unusual_values_are_recorded_by_a_bulk_write(zone):
    """record_bulk writes what a save() would: dates and amounts as text, masked fields masked."""
    import datetime as dt

    from zhaoshang.core.changelog import REGISTRY, record_bulk
    from zhaoshang.core.models import Person

    project = Project.objects.create(zone=zone, name="丙项目", code="T-1")
    with acting_as(None, request_id="c" * 32):
        record_bulk(FundArrival, [{"id": 9_000_001, "project_id": project.pk, "date": dt.date(2024, 2, 29), "amount": Decimal("0.01"),
                                   "note": "=HYPERLINK(\"x\")", "recorded_by_id": None}], zone=zone)
    record = _records(FundArrival).get(request_id="c" * 32)
    # A create leaves its blank fields (recorded_by here) out, as the history does.
    assert record.after == {"project": project.pk, "date": "2024-02-29", "amount": "0.01", "note": "=HYPERLINK(\"x\")"}
    assert record.parent_id == str(project.pk) and record.zone_id == zone.pk
    spec = REGISTRY[Person]
    spec.masked.add("phone")
    try:
        with acting_as(None, request_id="d" * 32):
            record_bulk(Person, [{"id": 9_000_002, "name": "赵主任", "phone": "13900000000", "zone_id": zone.pk},
                                 {"id": 9_000_003, "name": "钱主任", "phone": "", "zone_id": zone.pk}], zone=zone)
    finally:
        spec.masked.discard("phone")
    shown = {record.object_repr: record.after.get("phone") for record in _records(Person).filter(request_id="d" * 32)}
    assert shown == {"赵主任": "******", "钱主任": None}
    assert _verify()[0] == 0
