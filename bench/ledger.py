"""Ledger import/export benchmark (issues 4, 17 and 20).

Writes a 100,000-row, 20-column ledger in the messy forms real offices send (title and
unit rows, a two-row merged header, section rows with subtotals, blank rows, a 合计 row,
amounts as numbers / text with separators / with their own unit, dates as Excel dates,
serials, 2024.3.5, 2024年3月, full-width digits, stage words, several leaders) plus a
fund-arrival sheet, into a temporary directory; imports it into a fresh zone, and prints
each figure beside its goal:

- the import time and the time python-calamine alone takes to read the same file, and
  their ratio (goal ≤ 5× on SQLite, ≤ 3× on PostgreSQL; wall time, CPU time beside it);
  every figure on SQLite, then on PostgreSQL as well when ZHAOSHANG_BENCH_DATABASE_URL is set;
- the peak memory of the import (VmHWM of its process; goal ≤ 500 MB);
- the time to re-import the same file unchanged (goal ≤ 2× the read);
- the time to export the 100,000 projects (goal ≤ 10 s);
- the update path: a ledger changing 20,000 existing projects, checked (goal ≤ 30 s) and
  imported (goal ≤ 60 s).

    .venv/bin/python -m bench ledger          (or: .venv/bin/python -c "import bench.ledger as b; b.main()")
    LEDGER_BENCH_ROWS=20000 ...               a smaller run
    ZHAOSHANG_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME ...   on PostgreSQL too,
                                              after SQLite (the database is created if missing;
                                              each run imports into a zone of its own)
"""

import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import FIELD_KEY

ROOT = Path(__file__).resolve().parent.parent

UNITS = ["新能源新材料专班", "数字经济专班", "高端装备专班", "节能环保专班", "现代服务业专班", "开创集团", "开源公司", "数科公司"]
PARKS = ["中电数字经济产业园二期", "装备制造园", "循环经济园", "新材料产业园", "智算产业园", "科创中心"]
INDUSTRIES = ["新能源电池", "锂电池", "智能终端", "智算", "人工智能", "钨钼", "泵阀", "装备制造", "循环经济", "节能环保",
              "新能源电池及材料", "生物医药", "数字经济", "文旅康养"]
STAGE_WORDS = ["在谈", "洽谈中", "已签约", "签约待开工", "已开工", "在建", "开工建设", "已投产"]
PROVINCES = ["江苏省常州市", "广东省东莞市", "北京市", "山西省太原市", "浙江省宁波市", "河南省洛阳市", "上海市", "四川省成都市"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "强娜伟敏静磊军洋勇艳杰涛明超秀英华平刚桂"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _uscc(number: int) -> str:
    body = f"91140300{number:09d}"
    total = sum(USCC_ALPHABET.index(char) * pow(3, i, 31) for i, char in enumerate(body))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def _date_forms(rng, day: dt.date):
    """One date written the way some office would."""
    form = rng.randrange(7)
    if form == 0:
        return dt.datetime(day.year, day.month, day.day)  # a real Excel date
    if form == 1:
        return float((day - dt.date(1899, 12, 30)).days)  # a serial shown as a number
    if form == 2:
        return f"{day.year}.{day.month}.{day.day}"
    if form == 3:
        return f"{day.year}/{day.month}/{day.day} "
    if form == 4:
        return f"{day.year}年{day.month}月{day.day}日"
    if form == 5:
        return f"{day.year}年{day.month}月{day.day}日".translate(FULL)
    return day.isoformat()


def _amount_forms(rng, wan: int):
    """An amount in 万元 written as a number (in 亿元, the header's unit) or with its own unit."""
    form = rng.randrange(5)
    if form == 0:
        return wan / 10000  # the header says 亿元
    if form == 1:
        return f"{wan / 10000:g}亿"
    if form == 2:
        return f"{wan / 10000:g}亿元"
    if form == 3:
        return f"{wan:,}万"
    return f"{wan * 10000:,}元"


def write_messy_ledger(path: Path, rows: int = 100_000, arrivals: int = 30_000, seed: int = 11) -> dict:
    """The benchmark ledger; returns what it holds."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("项目台账")
    sheet.merge_range(0, 0, 0, 19, "2024年度重点招商项目推进情况表")
    sheet.write_row(1, 0, ["填报单位：投资促进局", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "单位：亿元"])
    top = ["序号", "项目编号", "项目名称", "投资方", "统一社会信用代码", "所属行业", "项目类型", "计划总投资（亿元）", "固投项目",
           "客商来源地", "责任单位", "入驻园区", "时间节点", "", "", "", "项目进展", "包联领导", "联系人", "存在问题"]
    sub = ["", "", "", "", "", "", "", "", "", "", "", "", "签约时间", "计划开工时间", "开工时间", "投产时间", "", "", "", ""]
    sheet.write_row(2, 0, top)
    sheet.write_row(3, 0, sub)
    for col in list(range(0, 12)) + list(range(16, 20)):
        sheet.merge_range(2, col, 3, col, top[col])
    sheet.merge_range(2, 12, 2, 15, "时间节点")
    line = 4
    names = []
    per_section = 5000
    written = 0
    section = 0
    while written < rows:
        section += 1
        count = min(per_section, rows - written)
        sheet.write_row(line, 0, [f"{'一二三四五六七八九十'[(section - 1) % 10]}、第{section}批项目（{count}个）", "", "", "", "", "", "",
                                  round(count * 2.5, 2)])
        line += 1
        for _ in range(count):
            written += 1
            name = f"第{written}号测试项目"
            names.append(name)
            wan = rng.randrange(500, 300_000)
            signed = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(1400))
            progress = rng.randrange(8)
            started = signed + dt.timedelta(days=rng.randrange(10, 200)) if progress >= 4 else None
            producing = started + dt.timedelta(days=rng.randrange(30, 400)) if progress == 7 and started else None
            planned = signed + dt.timedelta(days=90) if progress >= 2 else None
            if progress < 2:
                signed = None
            cells = [
                str(written).translate(FULL) if written % 50 == 0 else written,
                f"BX-{written:06d}" if written % 3 else "",
                name + ("  " if written % 7 == 0 else ""),
                f"测试企业{written % 60000}有限公司",
                _uscc(written % 60000),
                rng.choice(INDUSTRIES),
                rng.choice(["产业链", "内生型", "基础类", ""]),
                _amount_forms(rng, wan),
                rng.choice(["是", "否", "是"]),
                rng.choice(PROVINCES),
                rng.choice(UNITS),
                rng.choice(PARKS + [""]),
                signed, planned, started, producing,
                STAGE_WORDS[progress],
                "、".join(rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(rng.randrange(1, 3))),
                rng.choice(SURNAMES) + "经理",
                rng.choice(["", "需协调用地", "办公用房需求800㎡", "环评前置咨询"]),
            ]
            for col, value in enumerate(cells):
                if col in (12, 13, 14, 15):
                    if value is None:
                        continue
                    value = _date_forms(rng, value)
                    if isinstance(value, dt.datetime):
                        sheet.write_datetime(line, col, value, date_format)
                        continue
                if value == "" or value is None:
                    continue
                sheet.write(line, col, value)
            line += 1
            if written % 997 == 0:
                line += 1  # a blank row
    sheet.write_row(line, 0, ["合计", "", "", "", "", "", "", rows * 2.5])
    funds = book.add_worksheet("Sheet2")
    funds.write_row(0, 0, ["项目名称", "到位时间", "到位金额(万元)"])
    for index in range(arrivals):
        project = names[rng.randrange(len(names))]
        day = dt.date(2022, 1, 1) + dt.timedelta(days=index % 900)
        funds.write_row(index + 1, 0, [project, _date_forms(rng, day) if index % 4 else day.isoformat(),
                                       f"{rng.randrange(10, 5000):,}" if index % 2 else rng.randrange(10, 5000)])
    book.close()
    return {"rows": rows, "arrivals": arrivals, "columns": 20}


def calamine_read(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds python-calamine takes to read every sheet into Python values."""
    from python_calamine import CalamineWorkbook

    start, cpu = time.perf_counter(), time.process_time()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for _row in book.get_sheet_by_name(name).iter_rows():
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def write_update_ledger(path: Path, rows: int = 20_000, seed: int = 12) -> None:
    """A ledger changing `rows` projects of the benchmark ledger: new amounts and notes."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("项目台账")
    sheet.write_row(0, 0, ["项目名称", "计划总投资（万元）", "存在问题"])
    for number in range(1, rows + 1):
        sheet.write_row(number, 0, [f"第{number}号测试项目", rng.randrange(300_001, 400_000), f"第{number}次调度：需协调用电"])
    book.close()


def _ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist yet."""
    import psycopg
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _child(database: str, command: list[str]) -> dict:
    """Run `zhaoshang` in a child process on `database` (a URL); its time, peak memory, output."""
    env = dict(os.environ, ZHAOSHANG_DATABASE_URL=database, ZHAOSHANG_SECRET_KEY="bench-only", ZHAOSHANG_FIELD_KEY=FIELD_KEY,
               ZHAOSHANG_DEBUG="0", ZHAOSHANG_LEDGER_MAX_BYTES=str(200 * 1024 * 1024), DJANGO_SETTINGS_MODULE="zhaoshang.settings")
    code = (
        "import resource, sys, time, django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "start = time.perf_counter()\n"
        "cpu = time.process_time()\n"
        "try:\n"
        "    call_command(*sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    pass\n"
        "elapsed = time.perf_counter() - start\n"
        # VmHWM: ru_maxrss would carry the bench's own peak over across exec.
        "peak = [line for line in open('/proc/self/status') if line.startswith('VmHWM')][0].split()[1]\n"
        "print('@@', elapsed, peak, time.process_time() - cpu, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *command], env=env, cwd=ROOT, capture_output=True, text=True)
    marker = [line for line in done.stderr.splitlines() if line.startswith("@@")]
    if not marker:
        raise RuntimeError(done.stderr[-3000:])
    _at, elapsed, peak, cpu = marker[-1].split()
    return {"seconds": float(elapsed), "cpu": float(cpu), "peak_mb": int(peak) / 1024, "stdout": done.stdout, "stderr": done.stderr}


def _goal(value: float, limit: float) -> str:
    return "OK" if value <= limit else "MISSED"


def main() -> None:
    rows = int(os.environ.get("LEDGER_BENCH_ROWS", "100000"))
    url = os.environ.get("ZHAOSHANG_BENCH_DATABASE_URL", "")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (a busy machine inflates wall times)", flush=True)
    with tempfile.TemporaryDirectory(prefix="zhaoshang-ledger-bench-") as tmp:
        tmp = Path(tmp)
        ledger = tmp / "ledger.xlsx"
        start = time.perf_counter()
        shape = write_messy_ledger(ledger, rows=rows, arrivals=max(1, rows * 3 // 10))
        print(f"ledger: {shape['rows']:,} rows × {shape['columns']} columns + {shape['arrivals']:,} fund arrivals, "
              f"{ledger.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s", flush=True)
        changes = tmp / "changes.xlsx"
        write_update_ledger(changes, min(20_000, rows))
        reads = [calamine_read(ledger) for _ in range(3)]
        read, read_cpu = min(wall for wall, _cpu in reads), min(cpu for _wall, cpu in reads)
        print(f"calamine read: {read:.2f} s wall, {read_cpu:.2f} s CPU (best of 3)", flush=True)
        # SQLite always; PostgreSQL as well when a database is named.
        _run("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", 5, ledger, changes, rows, read, read_cpu)
        if url.startswith(("postgres://", "postgresql://")):
            _ensure_database(url)
            _run("PostgreSQL", url, 3, ledger, changes, rows, read, read_cpu)


def _ratio_line(wall: float, cpu: float, read: float, read_cpu: float, goal: float) -> str:
    ratio, cpu_ratio = wall / read, cpu / read_cpu
    return (f"  ratio:       {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU the read (goal ≤ {goal}×) {_goal(ratio, goal)}"
            f"{'' if ratio <= goal else f' (on CPU time: {_goal(cpu_ratio, goal)})'}")


def _run(label: str, database: str, ratio_goal: float, ledger: Path, changes: Path, rows: int, read: float, read_cpu: float) -> None:
    """The import, re-import, export and update path on one database, each beside its goal."""
    print(f"database: {label}", flush=True)
    zone = f"bench{int(time.time())}"
    _child(database, ["migrate", "--verbosity", "0"])
    _child(database, ["add_zone", zone, f"基准测试园区{zone}", "--province", "山西省"])
    imported = _child(database, ["import_ledger", str(ledger), "--zone", zone, "--json", "--create-missing"])
    result = json.loads(imported["stdout"])
    print(f"import:        {imported['seconds']:.2f} s wall, {imported['cpu']:.2f} s CPU  ({result['projects_created']:,} projects, "
          f"{result['fund_arrivals_created']:,} fund arrivals, {result['enterprises_created']:,} enterprises, "
          f"{len(result['warnings']):,} warnings, {len(result['errors'])} errors)")
    print(_ratio_line(imported["seconds"], imported["cpu"], read, read_cpu, ratio_goal))
    print(f"  peak memory: {imported['peak_mb']:.0f} MB (VmHWM of the import process; goal ≤ 500 MB) {_goal(imported['peak_mb'], 500)}",
          flush=True)
    again = _child(database, ["import_ledger", str(ledger), "--zone", zone, "--json", "--create-missing"])
    second = json.loads(again["stdout"])
    print(f"re-import:     {again['seconds']:.2f} s wall, {again['cpu']:.2f} s CPU  (created {second['projects_created']}, updated "
          f"{second['projects_updated']}, unchanged {second['projects_unchanged']:,}, arrivals created "
          f"{second['fund_arrivals_created']})")
    print(_ratio_line(again["seconds"], again["cpu"], read, read_cpu, 2), flush=True)
    out = ledger.parent / f"export-{zone}.xlsx"
    exported = _child(database, ["export_ledger", "--zone", zone, str(out)])
    print(f"export:        {exported['seconds']:.2f} s wall, {exported['cpu']:.2f} s CPU  ({rows:,} projects; goal ≤ 10 s) "
          f"{_goal(exported['seconds'], 10)}", flush=True)
    checked = _child(database, ["import_ledger", str(changes), "--zone", zone, "--json", "--dry-run", "--create-missing"])
    check = json.loads(checked["stdout"])
    print(f"update check:  {checked['seconds']:.2f} s wall, {checked['cpu']:.2f} s CPU  ({check['projects_updated']:,} projects "
          f"would change; goal ≤ 30 s) {_goal(checked['seconds'], 30)}", flush=True)
    updated = _child(database, ["import_ledger", str(changes), "--zone", zone, "--json", "--create-missing"])
    update = json.loads(updated["stdout"])
    print(f"update import: {updated['seconds']:.2f} s wall, {updated['cpu']:.2f} s CPU  ({update['projects_updated']:,} projects "
          f"changed, {len(update['errors'])} errors; goal ≤ 60 s) {_goal(updated['seconds'], 60)}", flush=True)


if __name__ == "__main__":
    main()
