import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zhaoshang.core.models import ChangeRecord
from zhaoshang.ledger import jobs
from zhaoshang.ledger.models import ImportJob
from zhaoshang.projects.models import Project

PASSWORD = "pass-for-tests-1"


@pytest.fixture
def bureau(client, bureau_user):
    client.login(username=bureau_user.username, password=PASSWORD)
    return client


def upload(client, path, name=None):
    with open(path, "rb") as handle:
        file = SimpleUploadedFile(name or path.name, handle.read())
    return client.post(reverse("ledger:upload"), {"file": file})


def answer_all_new(client, job):
    """Answer 新建 to every name the check asked about."""
    job.refresh_from_db()
    data = {"digest": jobs.answers_digest(job)}
    for index, item in enumerate(job.preview["unknown_names"]):
        data.update({f"kind-{index}": item["kind"], f"written-{index}": item["name"], f"answer-{index}": "new"})
    client.post(reverse("ledger:names", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.preview["unknown_names"] == [] and job.status == ImportJob.Status.CHECKED


def test_bureau_uploads_previews_then_confirms(bureau, zone, sample):
    response = upload(bureau, sample("ledger_sample_yiyuan.xlsx"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ledger:job", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED and not Project.objects.exists()
    page = bureau.get(response["Location"]).content.decode()
    assert "年产2GWh钠离子电芯项目" in page and "将新建项目" in page
    # The zone has no units yet: each is asked (the mapping step) before anything is written.
    assert "新能源新材料专班" in page and "zs-ledger-confirm" not in page
    answer_all_new(bureau, job)
    page = bureau.get(response["Location"]).content.decode()
    assert "新建单位：新能源新材料专班" in page.replace("</strong>", "") and "zs-ledger-confirm" in page
    job.refresh_from_db()
    response = bureau.post(reverse("ledger:confirm", args=[job.pk]), {"digest": jobs.answers_digest(job)})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["projects_created"] == 6
    assert Project.objects.filter(zone=zone).count() == 6
    assert "导入完成" in bureau.get(response["Location"]).content.decode()
    assert ChangeRecord.objects.filter(action=ChangeRecord.Action.IMPORT, user__username="bureau").exists()


def test_a_ledger_with_errors_shows_them_and_cannot_be_confirmed(bureau, zone, simple_ledger):
    path = simple_ledger(["甲项目", "某公司", "91140300000007919X", "", 10, "", "", "", ""])
    upload(bureau, path)
    job = ImportJob.objects.get()
    page = bureau.get(reverse("ledger:job", args=[job.pk])).content.decode()
    assert "校验位错误" in page and "统一社会信用代码" in page and "确认导入" not in page
    bureau.post(reverse("ledger:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not Project.objects.exists()


def test_a_non_spreadsheet_upload_gets_a_clear_message(bureau, zone, tmp_path):
    fake = tmp_path / "台账.xlsx"
    fake.write_bytes(b"%PDF-1.7 not a ledger")
    upload(bureau, fake)
    page = bureau.get(reverse("ledger:job", args=[ImportJob.objects.get().pk])).content.decode()
    assert "PDF" in page
    response = bureau.post(reverse("ledger:upload"), {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert response.status_code == 400 and "请上传 Excel" in response.content.decode()


def test_other_roles_may_not_import(client, unit_user, bureau_user, zone, sample):
    job = ImportJob.objects.create(zone=zone, created_by=bureau_user, filename="x.xlsx", status=ImportJob.Status.CHECKED)
    client.login(username=unit_user.username, password=PASSWORD)
    assert client.get(reverse("ledger:index")).status_code == 200
    assert "上传并检查" not in client.get(reverse("ledger:index")).content.decode()
    assert upload(client, sample("ledger_sample_gbk.csv")).status_code == 403
    assert client.get(reverse("ledger:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("ledger:confirm", args=[job.pk])).status_code == 404
    assert not Project.objects.exists()


def test_pages_require_login(client, zone):
    assert client.get(reverse("ledger:index")).status_code == 302
    assert client.get(reverse("ledger:template")).status_code == 302


def test_large_files_show_a_progress_bar_of_rows(bureau, zone, bureau_user):
    job = ImportJob.objects.create(zone=zone, created_by=bureau_user, filename="big.xlsx", status=ImportJob.Status.IMPORTING,
                                   rows_done=25_000, rows_total=100_000)
    page = bureau.get(reverse("ledger:job", args=[job.pk])).content.decode()
    assert "25000 / 100000" in page and 'hx-get="%s"' % reverse("ledger:progress", args=[job.pk]) in page
    assert "25%" in bureau.get(reverse("ledger:progress", args=[job.pk])).content.decode()
    job.status = ImportJob.Status.DONE
    job.save()
    finished = bureau.get(reverse("ledger:progress", args=[job.pk]))
    assert finished.status_code == 204 and finished["HX-Refresh"] == "true"


def test_the_background_runner_reports_progress_and_finishes(zone, bureau_user, sample, settings):
    path = sample("ledger_sample_yiyuan.xlsx")
    job = ImportJob.objects.create(zone=zone, created_by=bureau_user, filename=path.name, stored_path=str(path), size=path.stat().st_size)
    seen = []
    original = jobs._reporter

    def spy(job_id):
        report = original(job_id)

        def progress(done, total, phase=""):
            seen.append((done, total, phase))
            report(done, total, phase)

        return progress

    jobs._reporter = spy
    try:
        jobs.run(job.pk, dry_run=True)
        job.refresh_from_db()
        # Every unit and leader of the sample is new to the zone: answered 新建, as on the page.
        job.answers = {}
        for item in job.preview["unknown_names"]:
            job.answers.setdefault(item["kind"], {})[item["name"]] = "新建"
        job.save(update_fields=["answers"])
        jobs.run(job.pk, dry_run=False)
    finally:
        jobs._reporter = original
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.rows_done == job.rows_total == 14
    assert (14, 14, "read") in seen or (14, 14, "plan") in seen
    assert Project.objects.filter(zone=zone).count() == 6
    assert not path.exists()  # the upload is removed once imported


def test_template_download(bureau):
    response = bureau.get(reverse("ledger:template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert "项目台账" in book.sheet_names


def test_zone_export_respects_visibility_and_is_recorded(client, zone, unit, other_unit, unit_user, make_project):
    make_project(name="本单位项目", responsible_unit=unit, signed_on="2024-03-01")
    make_project(name="别的单位项目", responsible_unit=other_unit, signed_on="2024-03-01")
    client.login(username=unit_user.username, password=PASSWORD)
    response = client.get(reverse("ledger:export"), {"start": "2024-01-01", "end": "2024-12-31"})
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("项目台账").to_python()
    assert [row[1] for row in rows[3:-1]] == ["本单位项目"]
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.EXPORT)
    assert record.row_count == 1 and record.user == unit_user and record.filters == {"start": "2024-01-01", "end": "2024-12-31"}


def test_the_export_form_shows_its_dates_as_a_date_input_reads_them(bureau):
    """A date input takes only yyyy-mm-dd; a localized 2026/01/01 would render blank and the
    export would quietly cover every project."""
    import datetime as dt
    import re

    from django.utils import timezone

    page = bureau.get(reverse("ledger:index")).content.decode()
    today = timezone.localdate()
    start = re.search(r'<input type="date" name="start" value="([^"]*)"', page)
    end = re.search(r'<input type="date" name="end" value="([^"]*)"', page)
    assert start and start.group(1) == dt.date(today.year, 1, 1).isoformat()
    assert end and end.group(1) == today.isoformat()
