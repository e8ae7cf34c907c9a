"""Events, and a signing ceremony's list as a press release prints it."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from zhaoshang.campaigns import actions
from zhaoshang.campaigns.models import Event, Source

from .conftest import D


@pytest.fixture
def ceremony(zone, signed_projects):
    event = actions.create_event(zone=zone, kind=Event.Kind.CEREMONY, title="2026年集中签约仪式", date=D("2026-03-01"), place="管委会报告厅")
    for project in signed_projects:
        actions.add_event_project(event, project=project)
    return event


def test_the_ceremony_export_totals_its_rows(client, ceremony, bureau_user):
    client.force_login(bureau_user)
    response = client.get(f"/campaigns/events/{ceremony.pk}/signings.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    amounts = [Decimal(str(row[4])) for row in rows if isinstance(row[0], int)]
    total_row = next(row for row in rows if row[0] == "合计")
    # 2.5 + 1.23 (12,345.67万元 rounded) + 0.8 = 4.53亿元
    assert amounts == [Decimal("2.5"), Decimal("1.23"), Decimal("0.8")]
    assert Decimal(str(total_row[4])) == sum(amounts) == Decimal("4.53")
    response = client.get(f"/campaigns/events/{ceremony.pk}/signings.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "现场集中签约项目3个，总投资4.53亿元" in text


def test_the_event_page_shows_the_same_total(client, ceremony, bureau_user):
    client.force_login(bureau_user)
    page = client.get(f"/campaigns/events/{ceremony.pk}/").content.decode()
    assert "4.53亿元" in page and "储能电池项目" in page


def test_projects_signed_at_an_event_are_credited_to_it(ceremony, signed_projects):
    for project in signed_projects:
        project.refresh_from_db()
        assert project.source.kind == Source.EVENT and project.source.event == ceremony


def test_an_unsigned_project_cannot_join_a_ceremony(zone, make_project):
    event = actions.create_event(zone=zone, kind=Event.Kind.CEREMONY, title="签约仪式", date=D("2026-03-01"), place="报告厅")
    lead = make_project(name="在谈项目", stage="negotiating")
    with pytest.raises(ValidationError) as error:
        actions.add_event_project(event, project=lead)
    assert "尚未签约" in str(error.value)


def test_only_the_bureau_records_events(client, zone, unit_user, bureau_user):
    data = {"kind": "reception", "title": "客商考察团", "date": "2026-04-01", "place": "产业园"}
    client.force_login(unit_user)
    assert client.post("/campaigns/events/new/", data).status_code == 403
    assert not Event.objects.exists()
    client.force_login(bureau_user)
    assert client.post("/campaigns/events/new/", data).status_code == 302
    assert Event.objects.get().get_kind_display() == "客商接待"
