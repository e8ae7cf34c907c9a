"""Finding 4: a name that looks like a formula stays text in every workbook the platform
writes (the cockpit, bulletins, the dispatch report, the project export, the target
template), read back with openpyxl: the cell's type is 's', never 'f'."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zhaoshang.assessment import actions as assessment
from zhaoshang.core.actions import create_unit
from zhaoshang.core.models import OrgUnit

EVIL = '=HYPERLINK("http://x","y")'
D = dt.date.fromisoformat


def cells_of(content: bytes):
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def assert_evil_is_text(content: bytes, min_count: int = 1):
    found = 0
    for sheet, cell in cells_of(content):
        assert cell.data_type != "f", f"{sheet}!{cell.coordinate} is a formula: {cell.value}"
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
            assert cell.data_type == "s"
            found += 1
    assert found >= min_count


@pytest.fixture
def evil_world(zone, make_project, bureau_user):
    unit = create_unit(zone=zone, name=EVIL, kind=OrgUnit.Kind.TASK_FORCE)
    project = make_project(EVIL, responsible_unit=unit, signed_on="2024-03-05", planned_start_on="2024-04-01",
                           notes=EVIL)
    return {"unit": unit, "project": project}


def test_the_cockpit_workbook(client, bureau_user, evil_world):
    client.force_login(bureau_user)
    response = client.get("/cockpit/export.xlsx?year=2024")
    assert response.status_code == 200
    assert_evil_is_text(response.content)


@pytest.mark.parametrize("fmt_title", [EVIL, "2024年通报"])
def test_the_bulletin_workbook_and_its_title(client, bureau_user, evil_world, fmt_title):
    client.force_login(bureau_user)
    response = client.get("/assessment/bulletins/preview.xlsx", {"year": "2024", "title": fmt_title})
    assert response.status_code == 200
    assert_evil_is_text(response.content)


def test_the_dispatch_report(zone, evil_world, bureau_user):
    round_ = assessment.open_round(zone=zone, title=EVIL, cadence="monthly", start=D("2024-03-01"),
                                   end=D("2024-03-31"), deadline=D("2024-04-03"), actor=bureau_user)
    entry = round_.unit_reports.get().entries.get()
    assessment.save_entry(entry, progress=EVIL, problems=EVIL, next_steps="-1+1", actor=bureau_user)
    closed = assessment.close_round(round_, actor=bureau_user, today=D("2024-04-04"))
    assert_evil_is_text(bytes(closed.report_xlsx), min_count=4)
    for sheet, cell in cells_of(bytes(closed.report_xlsx)):
        if cell.value == "-1+1":
            assert cell.data_type == "s"


def test_the_project_export(client, bureau_user, evil_world):
    client.force_login(bureau_user)
    response = client.get("/projects/export/")
    assert response.status_code == 200
    assert_evil_is_text(response.content, min_count=2)


def test_the_target_template(client, bureau_user, evil_world):
    client.force_login(bureau_user)
    response = client.get("/assessment/targets/template.xlsx", {"year": "2024"})
    assert response.status_code == 200
    assert_evil_is_text(response.content)


def test_every_export_is_on_record(client, bureau_user, evil_world):
    from zhaoshang.core.models import ChangeRecord

    client.force_login(bureau_user)
    for url in ("/projects/export/", "/cockpit/export.xlsx?year=2024"):
        before = ChangeRecord.objects.filter(action="export").count()
        assert client.get(url).status_code == 200
        assert ChangeRecord.objects.filter(action="export").count() == before + 1, url
