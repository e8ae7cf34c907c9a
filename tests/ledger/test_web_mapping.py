"""The mapping step on the web, and the preview's row-by-row reading: unknown units, parks
and leaders are asked (closest names first), never created silently; the answers are
checked against the zone, kept on the job, checked again with, and remembered per zone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from zhaoshang.core.actions import create_park, create_unit
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.ledger import jobs
from zhaoshang.ledger.actions import import_ledger
from zhaoshang.ledger.models import ImportJob, NameMapping
from zhaoshang.ledger.names import NameAnswers
from zhaoshang.projects.models import Project

PASSWORD = "pass-for-tests-1"
HEADER = ["项目名称", "投资主体", "总投资", "签约时间", "开工时间", "项目进展", "责任单位", "落地园区", "包联领导"]
ROWS = [
    ["甲项目", "甲公司", "计划投资2.3亿元", "2024年3月", "", "已签约", "高端装备专班", "装备制造园", "王强"],
    ["乙项目", "乙公司", "约3亿元", "2024-04-01", "2024年底", "已开工", "高端装备专班", "循环经济园", "李娜"],
]


@pytest.fixture
def places(zone):
    return {
        "equipment": create_park(zone=zone, name="高端装备制造产业园"),
        "circular": create_park(zone=zone, name="循环经济产业园"),
        "unit": create_unit(zone=zone, name="高端装备专班", kind=OrgUnit.Kind.TASK_FORCE),
    }


@pytest.fixture
def ledger(simple_ledger):
    return simple_ledger(*ROWS, header=HEADER)


@pytest.fixture
def bureau(client, bureau_user):
    client.login(username=bureau_user.username, password=PASSWORD)
    return client


def upload(client, path):
    with open(path, "rb") as handle:
        file = SimpleUploadedFile("签约项目清单.xlsx", handle.read())
    response = client.post(reverse("ledger:upload"), {"file": file})
    assert response.status_code == 302
    return ImportJob.objects.latest("id")


def answer(client, job, choices: dict, digest=None):
    """choices: {(kind, written): "new" or an id}, in the order of the job's questions."""
    data = {"digest": digest if digest is not None else jobs.answers_digest(job)}
    for index, ((kind, written), choice) in enumerate(choices.items()):
        data.update({f"kind-{index}": kind, f"written-{index}": written, f"answer-{index}": str(choice)})
    return client.post(reverse("ledger:names", args=[job.pk]), data, follow=True)


def page(client, job, **params):
    return client.get(reverse("ledger:job", args=[job.pk]), params)


def full_answers(places):
    return {("park", "装备制造园"): places["equipment"].pk, ("park", "循环经济园"): "new",
            ("leader", "王强"): "new", ("leader", "李娜"): "new"}


def test_the_preview_asks_each_unknown_name_with_the_closest_first(bureau, zone, places, ledger):
    job = upload(bureau, ledger)
    assert job.status == ImportJob.Status.CHECKED
    response = page(bureau, job)
    questions = {(item["kind"], item["name"]): item for item in response.context["questions"]}
    assert set(questions) == {("park", "装备制造园"), ("park", "循环经济园"), ("leader", "王强"), ("leader", "李娜")}
    assert questions["park", "装备制造园"]["closest"][0] == (places["equipment"].pk, "高端装备制造产业园")
    assert questions["park", "循环经济园"]["closest"][0] == (places["circular"].pk, "循环经济产业园")
    html = response.content.decode()
    assert "名称对应：4 个名称本园区没有" in html and "zs-ledger-confirm" not in html
    assert "有 4 个名称本园区没有：请在下方逐个选择对应到已有的，或新建，然后再确认导入" in html
    # Nothing was created by the check.
    assert Park.objects.filter(zone=zone).count() == 2 and not Person.objects.filter(zone=zone).exists()


def test_the_preview_shows_parsed_values_beside_the_raw_cells(bureau, zone, places, ledger):
    job = upload(bureau, ledger)
    rows = {row["row"]: row for row in page(bureau, job).context["rows_page"]}
    first, second = rows[2], rows[3]
    assert first["amount"] == {"header": "总投资", "value": "23000", "raw": "计划投资2.3亿元"}
    assert second["amount"] == {"header": "总投资", "value": "30000", "raw": "约3亿元"}
    assert {date["label"]: (date["value"], date["raw"]) for date in first["dates"]} == {
        "签约日期": ("2024-03-01", "2024年3月"), "开工日期": ("", "")}
    assert {date["label"]: (date["value"], date["raw"]) for date in second["dates"]}["开工日期"] == ("2024-12-31", "2024年底")
    assert second["stage"]["value"] == "开工" and second["stage"]["raw"] == "已开工"
    assert first["unit"]["value"] == "高端装备专班"
    assert first["park"]["value"] == "待对应：装备制造园" and first["park"]["raw"] == "装备制造园"
    messages = [issue["message"] for issue in second["issues"]]
    assert "约数：按30000.00万元计" in messages
    assert "“2024年底”按2024-12-31计" in messages
    html = page(bureau, job).content.decode()
    assert "原文：计划投资2.3亿元" in html and "原文：2024年底" in html
    # Every column and what it is read as.
    columns = page(bureau, job).context["result"].sheets[0]["columns"]
    assert [(column["header"], column["target"]) for column in columns][:3] == [
        ("项目名称", "项目名称"), ("投资主体", "投资主体"), ("总投资", "计划总投资")]


def test_kept_columns_are_listed_as_extra_fields(bureau, zone, places, simple_ledger):
    path = simple_ledger(["甲项目", "计划投资2.3亿元", "2024-03-01", "装配式厂房"], header=["项目名称", "总投资", "签约时间", "建设内容"])
    job = upload(bureau, path)
    columns = page(bureau, job).context["result"].sheets[0]["columns"]
    assert columns[-1] == {"header": "建设内容", "target": "作为附加字段保留"}
    assert "作为附加字段保留" in page(bureau, job).content.decode()


def test_unanswered_names_block_the_confirm(bureau, zone, places, ledger):
    job = upload(bureau, ledger)
    response = bureau.post(reverse("ledger:confirm", args=[job.pk]), {"digest": jobs.answers_digest(job)}, follow=True)
    assert "还有 4 个名称没有对应：请先逐个选择对应到已有的，或新建" in response.content.decode()
    # Half the answers: the other two are still asked, and still block.
    answer(bureau, job, {("park", "装备制造园"): places["equipment"].pk, ("park", "循环经济园"): "new"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and len(job.preview["unknown_names"]) == 2
    response = bureau.post(reverse("ledger:confirm", args=[job.pk]), {"digest": jobs.answers_digest(job)}, follow=True)
    assert "还有 2 个名称没有对应" in response.content.decode()
    assert not Project.objects.filter(zone=zone).exists() and Park.objects.filter(zone=zone).count() == 2
    assert not NameMapping.objects.exists()


def test_answers_are_checked_again_written_and_remembered(bureau, zone, places, ledger):
    job = upload(bureau, ledger)
    response = answer(bureau, job, full_answers(places))
    html = response.content.decode()
    assert "已按您的对应重新检查" in html
    assert "已对应：装备制造园 → 高端装备制造产业园（本次的回答）" in html
    assert "新建落地园区：循环经济园（本次的回答）" in html
    job.refresh_from_db()
    assert job.answers == {"park": {"装备制造园": "高端装备制造产业园", "循环经济园": "新建"}, "leader": {"王强": "新建", "李娜": "新建"}}
    assert job.preview["errors"] == [] and job.preview["parks_created"] == 1
    rows = {row["row"]: row for row in response.context["rows_page"]}
    assert rows[2]["park"]["value"] == "装备制造园 → 高端装备制造产业园"
    assert rows[3]["park"]["value"] == "新建：循环经济园"
    assert "zs-ledger-confirm" in html
    bureau.post(reverse("ledger:confirm", args=[job.pk]), {"digest": jobs.answers_digest(job)})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    parks = dict(Project.objects.filter(zone=zone).values_list("name", "park__name"))
    assert parks == {"甲项目": "高端装备制造产业园", "乙项目": "循环经济园"}
    assert sorted(Person.objects.filter(zone=zone).values_list("name", flat=True)) == ["李娜", "王强"]
    assert NameMapping.objects.filter(zone=zone, kind="park", written="装备制造园").get().target_id == places["equipment"].pk

    # The next import of the same ledger asks nothing and says what it remembered.
    again = upload(bureau, ledger)
    response = page(bureau, again)
    assert response.context["questions"] == [] and again.preview["errors"] == []
    html = response.content.decode()
    assert "已对应：装备制造园 → 高端装备制造产业园（记住的对应）" in html and "zs-ledger-confirm" in html


def test_a_zones_answers_never_apply_to_another_zone(zone, other_zone, places, ledger):
    NameMapping.objects.create(zone=zone, kind="park", written="装备制造园", target_id=places["equipment"].pk)
    create_park(zone=other_zone, name="高端装备制造产业园")
    result = import_ledger(ledger, zone=other_zone, dry_run=True, names=NameAnswers())
    assert ("park", "装备制造园") in {(item["kind"], item["name"]) for item in result.unknown_names}


def test_a_forged_answer_to_another_zones_park_is_refused(bureau, zone, other_zone, places, ledger):
    foreign = create_park(zone=other_zone, name="高端装备制造产业园")
    job = upload(bureau, ledger)
    before = (Park.objects.count(), Project.objects.count(), NameMapping.objects.count())
    response = answer(bureau, job, {("park", "装备制造园"): foreign.pk, ("park", "循环经济园"): "new"})
    assert "“装备制造园”对应到的落地园区不是本园区已有的，未保存任何对应" in response.content.decode()
    job.refresh_from_db()
    assert job.answers == {} and job.status == ImportJob.Status.CHECKED and len(job.preview["unknown_names"]) == 4
    assert (Park.objects.count(), Project.objects.count(), NameMapping.objects.count()) == before


@pytest.mark.parametrize("choice", ["99999999", "-1", "²", "=HYPERLINK(\"x\")", "1; drop table"])
def test_a_forged_answer_to_no_existing_name_is_refused(bureau, zone, places, ledger, choice):
    job = upload(bureau, ledger)
    response = answer(bureau, job, {("park", "装备制造园"): choice})
    assert "“装备制造园”对应到的落地园区不是本园区已有的，未保存任何对应" in response.content.decode()
    job.refresh_from_db()
    assert job.answers == {} and not NameMapping.objects.exists()


def test_an_answer_for_a_name_not_asked_is_refused(bureau, zone, places, ledger):
    job = upload(bureau, ledger)
    response = answer(bureau, job, {("park", "不在台账里的园区"): places["equipment"].pk, ("park", "循环经济园"): "new"})
    assert "“不在台账里的园区”不在本次台账待对应的名称中，请刷新页面后再回答" in response.content.decode()
    job.refresh_from_db()
    assert job.answers == {}


def test_a_unit_user_without_import_rights_cannot_answer(client, bureau, unit_user, zone, places, ledger):
    job = upload(bureau, ledger)
    client.login(username=unit_user.username, password=PASSWORD)
    response = client.post(reverse("ledger:names", args=[job.pk]), {
        "digest": jobs.answers_digest(job), "kind-0": "park", "written-0": "装备制造园", "answer-0": str(places["equipment"].pk)})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.answers == {} and job.status == ImportJob.Status.CHECKED and not NameMapping.objects.exists()


def test_an_answer_or_confirm_made_on_a_stale_preview_is_refused(bureau, client, make_user, zone, places, ledger):
    job = upload(bureau, ledger)
    shown = jobs.answers_digest(job)  # both users look at the same preview
    answer(bureau, job, full_answers(places), digest=shown)
    job.refresh_from_db()
    first = dict(job.answers)
    make_user("bureau2", zone, "bureau")
    client.login(username="bureau2", password=PASSWORD)
    response = answer(client, job, {("park", "装备制造园"): "new"}, digest=shown)
    assert "另一位同事刚刚修改了名称对应，预览已更新：请查看更新后的预览再操作" in response.content.decode()
    response = client.post(reverse("ledger:confirm", args=[job.pk]), {"digest": shown}, follow=True)
    assert "另一位同事刚刚修改了名称对应" in response.content.decode()
    job.refresh_from_db()
    assert job.answers == first and job.status == ImportJob.Status.CHECKED
    assert not Project.objects.filter(zone=zone).exists()


def test_answers_can_be_cleared(bureau, zone, places, ledger):
    job = upload(bureau, ledger)
    answer(bureau, job, full_answers(places))
    job.refresh_from_db()
    bureau.post(reverse("ledger:names", args=[job.pk]), {"digest": jobs.answers_digest(job), "reset": "1"})
    job.refresh_from_db()
    assert job.answers == {} and len(job.preview["unknown_names"]) == 4


def test_the_row_preview_is_bounded_and_puts_rows_with_warnings_first(zone, places, simple_ledger, monkeypatch):
    from zhaoshang.ledger import actions

    monkeypatch.setattr(actions, "ROW_PREVIEW", 3)
    words = ["液压件", "钠离子电池", "光伏组件", "精密铸件", "石英砂", "氢能重卡", "数据中心", "冷链物流", "生物医药", "碳纤维"]
    rows = [[f"{word}项目", f"{word}有限公司", str(1000 + 37 * number), f"2024-03-{number + 1:02d}", "", "已签约", "高端装备专班",
             "高端装备制造产业园", ""] for number, word in enumerate(words)]
    rows[8][2] = "约5000万元"  # the 9th project, row 10 of the sheet: a warning
    result = import_ledger(simple_ledger(*rows, header=HEADER), zone=zone, dry_run=True, names=NameAnswers())
    assert result.ok and result.rows_total == 11
    assert [row["row"] for row in result.rows] == [10, 2, 3, 4]
    assert result.rows[0]["amount"] == {"header": "总投资", "value": "5000", "raw": "约5000万元"}
    assert result.rows[0]["issues"] == [{"kind": "warning", "column": "总投资", "message": "约数：按5000.00万元计"}]
    assert result.rows[1]["action"] == "create" and result.rows[1]["park"]["value"] == "高端装备制造产业园"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="simultaneous writers need PostgreSQL: the tests' shared in-memory SQLite fails a "
                           "second writer's table lock at once instead of waiting (the stale-preview test covers SQLite)")
@pytest.mark.django_db(transaction=True)
def test_two_users_answering_at_once_one_wins_whole(zone, bureau_user, places, ledger):
    """Two answers posted on the same preview at the same moment: one is kept whole and
    checked again, the other is refused; the job never holds a mix of the two."""
    import shutil
    import threading

    stored = jobs.storage_dir() / "concurrent.xlsx"
    shutil.copy(ledger, stored)
    job = ImportJob.objects.create(zone=zone, created_by=bureau_user, filename="签约项目清单.xlsx", stored_path=str(stored),
                                   size=stored.stat().st_size)
    jobs.run(job.pk, dry_run=True)
    job.refresh_from_db()
    digest = jobs.answers_digest(job)
    first = {"park": {"装备制造园": "高端装备制造产业园", "循环经济园": "新建"}}
    second = {"park": {"装备制造园": "新建", "循环经济园": "循环经济产业园"}}
    barrier = threading.Barrier(2)
    outcomes = []

    def post(answers):
        try:
            barrier.wait()
            jobs.answer_names(ImportJob.objects.get(pk=job.pk), answers, digest)
            outcomes.append("kept")
        except jobs.Stale as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(answers,)) for answers in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("kept") == 1, outcomes
    refused = next(outcome for outcome in outcomes if outcome != "kept")
    assert refused in ("另一位同事刚刚修改了名称对应，预览已更新：请查看更新后的预览再操作",
                       "这个台账正在检查或已处理（可能另一位同事刚提交了对应或确认了导入），请刷新页面后再操作")
    job.refresh_from_db()
    assert job.answers in (first, second) and job.status == ImportJob.Status.CHECKED
    asked = {item["name"] for item in job.preview["unknown_names"]}
    assert asked == {"王强", "李娜"}  # checked again with the answers kept
    assert not NameMapping.objects.exists() and Park.objects.filter(zone=zone).count() == 2
