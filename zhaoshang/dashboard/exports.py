"""The cockpit as a workbook: the headline figures and every chart's data."""

from zhaoshang.core import xlsx


def cockpit_workbook(data: dict) -> bytes:
    writer = xlsx.Book()
    book = writer.workbook
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = book.add_format({"border": 1})
    period = data["period"]
    caption = f"{data['zone'].name} {period.start} 至 {period.end}（数据截至 {period.as_of}）"

    def sheet(name, headers, rows, widths=None):
        ws = book.add_worksheet(name)
        xlsx.write(ws, 0, 0, caption, title)
        for col, header in enumerate(headers):
            xlsx.write(ws, 2, col, header, head)
            ws.set_column(col, col, (widths or {}).get(col, 16))
        for r, row in enumerate(rows, start=3):
            for col, value in enumerate(row):
                xlsx.write(ws, r, col, value, cell)
        ws.freeze_panes(3, 0)

    sheet("主要指标", ["指标", "本期", "上年同期", "目标", "完成率"],
          [[row["label"], row["shown"], row["last_year"], row["target"] or "", row["completion"] or ""] for row in data["headline"]],
          {0: 28})
    charts = data["charts"]
    sheet("项目阶段", ["阶段", "项目数", "计划总投资（亿元）"], [[r["name"], r["value"], r["investment"]] for r in charts["funnel"]])
    sheet("产业集群", ["产业集群", "签约项目数", "签约总投资（亿元）"], [[r["name"], r["count"], r["value"]] for r in charts["clusters"]])
    sheet("产业链", ["产业链", "签约项目数", "签约总投资（亿元）"], [[r["name"], r["count"], r["value"]] for r in charts["chains"]])
    sheet("来源地", ["来源地区", "签约项目数", "签约总投资（亿元）"], [[r["name"], r["value"], r["investment"]] for r in charts["regions"]])
    sheet("责任单位", ["责任单位", "签约项目数", "签约总投资（亿元）", "开工项目数", "开工率（%）"],
          [[r["name"], r["signed"], r["investment"], r["started"], r["start_rate"] if r["start_rate"] is not None else ""] for r in charts["units"]])
    months = charts["months"]
    sheet("月度签约开工", ["月份", "签约项目数", "上年同期签约", "新开工项目数", "上年同期新开工"],
          [[label, months["signed"][i]["value"], months["signed_last_year"][i]["value"], months["started"][i]["value"],
            months["started_last_year"][i]["value"]] for i, label in enumerate(months["labels"])])
    arrivals = charts["arrivals"]
    sheet("月度资金到位", ["月份", "资金到位（亿元）", "上年同期（亿元）"],
          [[label, arrivals["this_year"][i]["value"], arrivals["last_year"][i]["value"]] for i, label in enumerate(arrivals["labels"])])
    if charts["tickets"]:
        sheet("服务诉求", ["状态", "件数"], [[r["name"], r["value"]] for r in charts["tickets"]])
    if data["zones"]:
        sheet("园区对比", ["排名", "园区", *[row["label"] for row in data["headline"]]],
              [[row["rank"], row["zone"].name, *row["figures"].values()] for row in data["zones"]])
    return writer.close()
