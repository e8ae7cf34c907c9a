"""Pages under /assessment/: targets, schemes, adjustments, rankings and score pages,
bulletins and dispatch rounds."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.utils import timezone

from zhaoshang.assessment import actions, bulletins, dispatch, indicators, permissions, scoring, selectors
from zhaoshang.assessment.forms import (
    EntryForm,
    ManualAdjustmentForm,
    PeriodForm,
    PublishForm,
    RoundForm,
    SchemeForm,
    SchemeIndicatorFormSet,
    SchemeItemFormSet,
    TargetImportForm,
)
from zhaoshang.assessment.models import (
    Bulletin,
    DispatchEntry,
    DispatchPhoto,
    DispatchRound,
    DispatchUnitReport,
    ManualAdjustment,
    Scheme,
    Target,
)
from zhaoshang.assessment.periods import describe, month_end
from zhaoshang.core import access
from zhaoshang.core import permissions as capabilities
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects import kpi
from zhaoshang.projects.kpi import Period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORED_KINDS = [OrgUnit.Kind.TASK_FORCE, OrgUnit.Kind.SOE, OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.PARK_OPERATOR,
                OrgUnit.Kind.SERVICE_COMPANY]


def _today() -> dt.date:
    return timezone.localdate()


def _zone(request):
    zone = access.current_zone(request)
    if zone is None:
        raise Http404(_("您尚未加入任何园区"))
    return zone


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_format(fmt: str) -> None:
    if fmt not in ("docx", "xlsx"):
        raise Http404


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


# ---------------------------------------------------------------- periods

PRESETS = [("month", _("本月")), ("quarter", _("本季度")), ("ytd", _("本年累计")), ("last_month", _("上月")),
           ("last_quarter", _("上季度")), ("last_year", _("上年"))]


def preset_period(name: str, today: dt.date) -> Period:
    quarter = (today.month - 1) // 3 + 1
    if name == "month":
        return Period(today.replace(day=1), month_end(today.year, today.month), today)
    if name == "quarter":
        p = Period.quarter(today.year, quarter)
        return Period(p.start, p.end, today)
    if name == "last_month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return Period(end.replace(day=1), end)
    if name == "last_quarter":
        return Period.quarter(today.year - (quarter == 1), 4 if quarter == 1 else quarter - 1)
    if name == "last_year":
        return Period.year(today.year - 1)
    return Period(dt.date(today.year, 1, 1), today)


def _period(request) -> tuple[Period, PeriodForm]:
    """The period asked for (from / to / as_of, or a preset); year to date by default.
    A bad entry falls back to the default with the form's errors shown."""
    today = _today()
    if request.GET.get("from") or request.GET.get("to"):
        form = PeriodForm({"start": request.GET.get("from"), "end": request.GET.get("to"), "as_of": request.GET.get("as_of") or None})
        if form.is_valid():
            data = form.cleaned_data
            return Period(data["start"], data["end"], data["as_of"]), form
        return preset_period("ytd", today), form
    period = preset_period(request.GET.get("preset") or "ytd", today)
    return period, PeriodForm(initial={"start": period.start, "end": period.end, "as_of": period.as_of})


def _period_query(period: Period) -> str:
    return urlencode({"from": period.start.isoformat(), "to": period.end.isoformat(), "as_of": period.as_of.isoformat()})


def _drill(code: str, period: Period, unit_id: int | None) -> str | None:
    """The project list showing the rows behind a figure."""
    if code not in kpi.CODES:
        return None
    params = {"figure": code, "from": period.start.isoformat(), "to": period.end.isoformat(), "as_of": period.as_of.isoformat()}
    if unit_id:
        params["unit"] = unit_id
    return f"/projects/?{urlencode(params)}"


# ---------------------------------------------------------------- hub


@login_required
def index(request):
    zone = _zone(request)
    user = request.user
    own_units = OrgUnit.objects.filter(pk__in=permissions.own_unit_ids(user, zone))
    open_rounds = DispatchRound.objects.visible_to(user).filter(zone=zone, status=DispatchRound.Status.OPEN)
    context = {
        "zone": zone,
        "can_manage": permissions.can_manage(user, zone),
        "sees_zone": permissions.sees_whole_zone(user, zone),
        "can_rank": permissions.can_see_rankings(user, zone),
        "can_bulletins": permissions.can_see_bulletins(user, zone),
        "own_units": own_units,
        "open_rounds": open_rounds,
        "bulletins": Bulletin.objects.filter(zone=zone).only("pk", "title", "published_at")[:5]
        if permissions.can_see_bulletins(user, zone) else [],
        "presets": PRESETS,
    }
    return render(request, "assessment/index.html", context)


# ---------------------------------------------------------------- rankings and scores


@login_required
def ranking_page(request):
    zone = _zone(request)
    _require(permissions.can_see_rankings(request.user, zone), _("您没有查看排名的权限"))
    period, form = _period(request)
    result = scoring.ranking(zone, period)
    visible_units = None if permissions.sees_whole_zone(request.user, zone) else permissions.own_unit_ids(request.user, zone)
    context = {
        "zone": zone, "period": period, "period_label": describe(period), "form": form, "ranking": result,
        "presets": PRESETS, "query": _period_query(period), "tie_breaks": scoring.TIE_BREAKS,
        "visible_units": visible_units, "can_manage": permissions.can_manage(request.user, zone),
        "no_schemes": not Scheme.objects.filter(zone=zone).exists(),
        "scored_groups": {g.scheme_id for g in result.groups if scoring.was_scored(g)},
    }
    return render(request, "assessment/ranking.html", context)


@login_required
def score_page(request, unit_id: int):
    zone = _zone(request)
    unit = get_object_or_404(OrgUnit, zone=zone, pk=unit_id)
    if not permissions.can_see_unit(request.user, zone, unit.pk):
        raise Http404
    period, form = _period(request)
    result = scoring.ranking(zone, period)
    score = result.score_of(unit.pk)
    group = next((g for g in result.groups if any(s.unit_id == unit.pk for s in g.scores)), None)
    lines = []
    if score:
        for line in score.lines:
            lines.append({"line": line, "actual": indicators.format_value(line.code, line.actual),
                          "target": indicators.format_value(line.code, line.target),
                          "completion": kpi.format_rate(line.completion), "drill": _drill(line.code, period, unit.pk)})
    context = {
        "zone": zone, "unit": unit, "period": period, "period_label": describe(period), "form": form,
        "score": score, "group": group, "lines": lines, "query": _period_query(period), "presets": PRESETS,
        "previous": result.previous,
    }
    return render(request, "assessment/score.html", context)


# ---------------------------------------------------------------- targets


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or _today().year)
    except ValueError:
        year = _today().year
    return year if 2000 <= year <= 2100 else _today().year


@login_required
def targets_page(request):
    zone = _zone(request)
    year = _year(request)
    user = request.user
    if permissions.sees_whole_zone(user, zone):
        units = list(OrgUnit.objects.filter(zone=zone, is_active=True, kind__in=SCORED_KINDS))
    else:
        capabilities.require(user, "assessment.targets", zone)
        units = list(OrgUnit.objects.filter(zone=zone, pk__in=permissions.own_unit_ids(user, zone)))
    rows = []
    zone_row = None
    if permissions.sees_whole_zone(user, zone):
        zone_row = {"unit": None, "items": _completion_items(selectors.completion(zone, year), selectors.year_period(year), None)}
    by_unit = selectors.completion_by_unit(zone, year, units)
    for unit in units:
        items = _completion_items(by_unit[unit.pk], selectors.year_period(year), unit.pk)
        rows.append({"unit": unit, "items": items})
    context = {
        "zone": zone, "year": year, "rows": rows, "zone_row": zone_row, "years": range(_today().year + 1, _today().year - 5, -1),
        "can_manage": permissions.can_manage(user, zone), "import_form": TargetImportForm(initial={"year": year}),
    }
    return render(request, "assessment/targets.html", context)


def _completion_items(result: dict, period: Period, unit_id) -> list[dict]:
    return [
        {"code": code, "label": indicators.LABELS[code], "target": indicators.format_value(code, v["target"]),
         "actual": indicators.format_value(code, v["actual"]), "completion": kpi.format_rate(v["completion"]),
         "done": v["completion"] is not None and v["completion"] >= 1, "drill": _drill(code, period, unit_id)}
        for code, v in result.items()
    ]


def _target_codes(unit: OrgUnit | None) -> list[str]:
    if unit is not None and unit.kind == OrgUnit.Kind.DEPARTMENT:
        return indicators.TICKET_CODES
    return list(kpi.CODES)


@login_required
def target_edit(request, unit_id: int | None = None):
    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以设定目标任务"))
    unit = get_object_or_404(OrgUnit, zone=zone, pk=unit_id) if unit_id else None
    year = _year(request)
    codes = _target_codes(unit)
    existing = {t.indicator: t for t in Target.objects.filter(zone=zone, year=year, unit=unit)}
    errors = {}
    values = {}
    if request.method == "POST":
        posted_year = _posted_year(request.POST.get("year"), year)
        year = posted_year or year
        existing = {t.indicator: t for t in Target.objects.filter(zone=zone, year=year, unit=unit)}
        for code in codes:
            raw = [request.POST.get(f"{code}-{part}", "").strip() for part in ("annual", "q1", "q2", "q3", "q4")]
            values[code] = raw
        try:
            if posted_year is None:
                raise ValidationError(_("年度“%(value)s”应为2000至2100之间的整数") % {"value": request.POST.get("year")})
            with transaction.atomic():
                for code, raw in values.items():
                    converted = [_form_value(code, v) for v in raw]
                    if converted[0] is None:
                        if code in existing:
                            actions.delete_target(existing[code], actor=request.user)
                        if any(v is not None for v in converted[1:]):
                            raise ValidationError({code: _("“%(label)s”填写了季度目标，请同时填写年度目标") % {"label": indicators.LABELS[code]}})
                        continue
                    try:
                        actions.set_target(zone=zone, unit=unit, year=year, indicator=code, annual=converted[0],
                                           quarters=converted[1:], actor=request.user)
                    except ValidationError as error:
                        raise ValidationError({code: f"{indicators.LABELS[code]}：{_error_text(error)}"}) from None
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        else:
            messages.success(request, _("%(who)s%(year)s年目标任务已保存") % {"who": unit or _("全区"), "year": year})
            return redirect(f"{reverse('assessment:targets')}?year={year}")
    rows = []
    for code in codes:
        target = existing.get(code)
        if code in values:
            shown = values[code]
        elif target:
            shown = [_display_value(code, v) for v in (target.annual, *target.quarters)]
        else:
            shown = [""] * 5
        rows.append({"code": code, "label": indicators.LABELS[code], "kind": indicators.KINDS[code], "values": shown,
                     "error": errors.get(code, [""])[0] if code in errors else ""})
    return render(request, "assessment/target_form.html", {
        "zone": zone, "unit": unit, "year": year, "rows": rows, "errors": errors.get("__all__", []),
    })


def _posted_year(value, default: int) -> int | None:
    """The year posted with the target form (the page's year when left out); None when it
    is not a year from 2000 to 2100."""
    try:
        year = int(value) if value else default
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _form_value(code: str, raw: str):
    """A value typed on the target form: rates in percent (80 or 80%), amounts in 万元."""
    from zhaoshang.assessment.target_sheet import CellError, parse_value

    if raw == "":
        return None
    try:
        return parse_value(code, raw if indicators.KINDS[code] != indicators.RATE or raw.endswith("%") else f"{raw}%")
    except CellError as error:
        raise ValidationError({code: f"{indicators.LABELS[code]}：{error}"}) from None


def _display_value(code: str, value):
    if value is None:
        return ""
    if indicators.KINDS[code] == indicators.RATE:
        return f"{(value * 100).normalize():f}"
    return f"{value.normalize():f}"


@login_required
def target_import(request):
    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以导入目标任务"))
    if request.method != "POST":
        return redirect("assessment:targets")
    form = TargetImportForm(request.POST, request.FILES)
    import_errors = []
    if form.is_valid():
        try:
            count = actions.import_targets(zone=zone, content=form.cleaned_data["file"].read(),
                                           year=form.cleaned_data["year"], actor=request.user)
        except actions.ImportFailed as failure:
            import_errors = failure.errors
        else:
            messages.success(request, _("已导入%(count)s项目标任务") % {"count": count})
            return redirect(f"{reverse('assessment:targets')}?year={form.cleaned_data['year']}")
    return render(request, "assessment/target_import.html", {"zone": zone, "form": form, "import_errors": import_errors})


@login_required
def target_template(request):
    from zhaoshang.assessment import target_sheet

    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以下载目标任务表"))
    year = _year(request)
    units = [None] + list(OrgUnit.objects.filter(zone=zone, is_active=True, kind__in=[OrgUnit.Kind.TASK_FORCE, OrgUnit.Kind.SOE]))
    content = target_sheet.template(zone, year, units, ["signed_count", "signed_investment", "started_count", "start_rate", "funds_in_place"])
    return _download(content, f"{zone.name}{year}年目标任务.xlsx", XLSX)


# ---------------------------------------------------------------- schemes


@login_required
def schemes_page(request):
    zone = _zone(request)
    _require(permissions.sees_whole_zone(request.user, zone), _("您没有查看考核方案的权限"))
    schemes = Scheme.objects.filter(zone=zone).prefetch_related("indicators", "items")
    missing = [(k, label) for k, label in OrgUnit.Kind.choices if k in SCORED_KINDS and not any(s.kind == k for s in schemes)]
    return render(request, "assessment/schemes.html", {
        "zone": zone, "schemes": schemes, "missing": missing, "can_manage": permissions.can_manage(request.user, zone),
    })


@login_required
@require_POST
def schemes_defaults(request):
    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以修改考核方案"))
    created = actions.install_default_schemes(zone, actor=request.user)
    messages.success(request, _("已添加%(count)s个默认考核方案") % {"count": len(created)})
    return redirect("assessment:schemes")


@login_required
def scheme_edit(request, scheme_id: int | None = None):
    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以修改考核方案"))
    scheme = get_object_or_404(Scheme, zone=zone, pk=scheme_id) if scheme_id else None
    kind = scheme.kind if scheme else request.GET.get("kind") or request.POST.get("kind")
    if kind not in OrgUnit.Kind.values:
        raise Http404
    errors = []
    if request.method == "POST":
        form = SchemeForm(request.POST)
        indicator_forms = SchemeIndicatorFormSet(request.POST, prefix="ind")
        item_forms = SchemeItemFormSet(request.POST, prefix="item")
        if form.is_valid() and indicator_forms.is_valid() and item_forms.is_valid():
            indicator_rows = [
                {"indicator": f.cleaned_data["indicator"], "weight": f.cleaned_data["weight"],
                 "ceiling": f.cleaned_data.get("ceiling") or "1.2", "floor": f.cleaned_data.get("floor") or 0}
                for f in indicator_forms if f.cleaned_data.get("indicator")
            ]
            item_rows = [
                {k: f.cleaned_data.get(k) for k in ("rule", "points", "cap", "threshold")}
                for f in item_forms if f.cleaned_data.get("rule")
            ]
            try:
                with transaction.atomic():
                    saved = actions.save_scheme(zone=zone, kind=kind, scheme=scheme, actor=request.user, **form.cleaned_data)
                    actions.set_scheme_indicators(saved, indicator_rows, actor=request.user)
                    actions.set_scheme_items(saved, item_rows, actor=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("考核方案“%(name)s”已保存") % {"name": saved.name})
                return redirect("assessment:schemes")
    else:
        form = SchemeForm(initial={"name": scheme.name, "board_size": scheme.board_size, "notes": scheme.notes} if scheme
                          else {"name": f"{OrgUnit.Kind(kind).label}考核方案", "board_size": 1})
        indicator_forms = SchemeIndicatorFormSet(prefix="ind", initial=[
            {"indicator": i.indicator, "weight": i.weight, "ceiling": i.ceiling, "floor": i.floor} for i in scheme.indicators.all()
        ] if scheme else None)
        item_forms = SchemeItemFormSet(prefix="item", initial=[
            {"rule": i.rule, "points": i.points, "cap": i.cap, "threshold": i.threshold} for i in scheme.items.all()
        ] if scheme else None)
    return render(request, "assessment/scheme_form.html", {
        "zone": zone, "scheme": scheme, "kind": kind, "kind_label": OrgUnit.Kind(kind).label, "form": form,
        "indicator_forms": indicator_forms, "item_forms": item_forms, "errors": errors,
    })


# ---------------------------------------------------------------- manual adjustments


@login_required
def adjustments_page(request):
    zone = _zone(request)
    _require(permissions.sees_whole_zone(request.user, zone), _("您没有查看加减分记录的权限"))
    can_manage = permissions.can_manage(request.user, zone)
    form = ManualAdjustmentForm(zone=zone)
    if request.method == "POST":
        _require(can_manage, _("只有投资促进局可以录入加减分"))
        form = ManualAdjustmentForm(request.POST, zone=zone)
        if form.is_valid():
            data = form.cleaned_data
            project = None
            if data["project_code"]:
                from zhaoshang.projects.models import Project

                project = Project.objects.filter(zone=zone, code=data["project_code"].strip()).first()
                if project is None:
                    form.add_error("project_code", _("本园区没有编号为“%(code)s”的项目") % {"code": data["project_code"]})
            if not form.errors:
                try:
                    actions.add_manual_adjustment(zone=zone, unit=data["unit"], kind=data["kind"], date=data["date"],
                                                  points=data["points"], note=data["note"], project=project, actor=request.user)
                except ValidationError as error:
                    form.add_error(None, _error_text(error))
                else:
                    messages.success(request, _("已记录"))
                    return redirect("assessment:adjustments")
    rows = ManualAdjustment.objects.filter(zone=zone).select_related("unit", "project", "created_by")[:200]
    return render(request, "assessment/adjustments.html", {"zone": zone, "form": form, "rows": rows, "can_manage": can_manage})


@login_required
@require_POST
def adjustment_delete(request, pk: int):
    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以删除加减分"))
    adjustment = get_object_or_404(ManualAdjustment, zone=zone, pk=pk)
    actions.delete_manual_adjustment(adjustment, actor=request.user)
    messages.success(request, _("已删除"))
    return redirect("assessment:adjustments")


# ---------------------------------------------------------------- bulletins


@login_required
def bulletins_page(request):
    zone = _zone(request)
    _require(permissions.can_see_bulletins(request.user, zone), _("您没有查看通报的权限"))
    can_manage = permissions.can_manage(request.user, zone)
    period, _period_form = _period(request)
    form = PublishForm(initial={"start": period.start, "end": period.end, "as_of": period.as_of})
    if request.method == "POST":
        _require(can_manage, _("只有投资促进局可以发布通报"))
        form = PublishForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            bulletin = actions.publish_bulletin(
                zone=zone, period=Period(data["start"], data["end"], data["as_of"]), title=data["title"], number=data["number"],
                actor=request.user,
            )
            messages.success(request, _("通报已发布"))
            return redirect("assessment:bulletin", pk=bulletin.pk)
    rows = Bulletin.objects.filter(zone=zone).defer("docx", "xlsx", "data").select_related("published_by")
    return render(request, "assessment/bulletins.html", {
        "zone": zone, "rows": rows, "form": form, "can_manage": can_manage, "query": _period_query(period),
    })


@login_required
def bulletin_preview(request, fmt: str):
    _check_format(fmt)
    zone = _zone(request)
    _require(permissions.can_manage(request.user, zone), _("只有投资促进局可以预览通报"))
    if "start" in request.GET or "end" in request.GET:
        # The publish form's own fields, sent by its preview buttons: the period typed.
        form = PublishForm(request.GET)
        period = None
        if form.is_valid():
            data = form.cleaned_data
            period = Period(data["start"], data["end"], data["as_of"])
    else:
        period, form = _period(request)
    if form.is_bound and not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        return HttpResponseBadRequest("；".join(errors), content_type="text/plain; charset=utf-8")
    data = bulletins.build(zone, period, title=request.GET.get("title", ""), number=request.GET.get("number", ""))
    name = f"{data['title']}（预览）"
    if fmt == "docx":
        return _download(bulletins.render_docx(data), f"{name}.docx", DOCX)
    return _download(bulletins.render_xlsx(data), f"{name}.xlsx", XLSX)


@login_required
def bulletin_detail(request, pk: int):
    zone = _zone(request)
    _require(permissions.can_see_bulletins(request.user, zone), _("您没有查看通报的权限"))
    bulletin = get_object_or_404(Bulletin.objects.defer("docx", "xlsx"), zone=zone, pk=pk)
    return render(request, "assessment/bulletin.html", {"zone": zone, "bulletin": bulletin, "data": bulletin.data})


@login_required
def bulletin_file(request, pk: int, fmt: str):
    _check_format(fmt)
    zone = _zone(request)
    _require(permissions.can_see_bulletins(request.user, zone), _("您没有查看通报的权限"))
    bulletin = get_object_or_404(Bulletin, zone=zone, pk=pk)
    if fmt == "docx":
        return _download(bulletin.docx, f"{bulletin.title}.docx", DOCX)
    return _download(bulletin.xlsx, f"{bulletin.title}.xlsx", XLSX)


# ---------------------------------------------------------------- dispatch rounds


def _round_or_404(request, pk: int) -> DispatchRound:
    zone = _zone(request)
    return get_object_or_404(DispatchRound.objects.visible_to(request.user).defer("report_docx", "report_xlsx"), zone=zone, pk=pk)


@login_required
def rounds_page(request):
    zone = _zone(request)
    user = request.user
    capabilities.require(user, "assessment.dispatch", zone)
    can_manage = permissions.can_manage(user, zone)
    form = RoundForm(initial=_next_round_initial(zone))
    if request.method == "POST":
        _require(can_manage, _("只有投资促进局可以发起调度"))
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = actions.open_round(zone=zone, actor=user, **form.cleaned_data)
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, _("“%(title)s”已发起") % {"title": round_.title})
                return redirect("assessment:round", pk=round_.pk)
    rounds = DispatchRound.objects.visible_to(user).filter(zone=zone).defer("report_docx", "report_xlsx", "snapshot")
    return render(request, "assessment/rounds.html", {"zone": zone, "rounds": rounds, "form": form, "can_manage": can_manage})


def _next_round_initial(zone) -> dict:
    today = _today()
    start = today.replace(day=1)
    end = month_end(today.year, today.month)
    count = DispatchRound.objects.filter(zone=zone, start__year=today.year, start__month=today.month).count()
    return {"title": f"{today.year}年{today.month}月第{count + 1}期", "cadence": DispatchRound.Cadence.MONTHLY,
            "start": start, "end": end, "deadline": end}


@login_required
def round_detail(request, pk: int):
    round_ = _round_or_404(request, pk)
    zone = round_.zone
    sees_zone = permissions.sees_whole_zone(request.user, zone)
    reports = round_.unit_reports.visible_to(request.user).select_related("unit", "submitted_by")
    reports = sorted(reports, key=lambda r: (r.unit.kind, r.unit.sort_order, r.unit.name))
    counts = dict(
        DispatchEntry.objects.filter(report__round=round_).values("report_id").annotate(n=Count("pk"))
        .values_list("report_id", "n")
    )
    return render(request, "assessment/round.html", {
        "zone": zone, "round": round_, "reports": reports, "counts": counts, "sees_zone": sees_zone,
        "can_manage": permissions.can_manage(request.user, zone),
        "not_reported": [r for r in reports if r.submitted_at is None],
        "snapshot": round_.snapshot,
    })


def _report_for(request, round_: DispatchRound, unit_id: int) -> DispatchUnitReport:
    return get_object_or_404(DispatchUnitReport.objects.visible_to(request.user).select_related("unit"), round=round_, unit_id=unit_id)


def _can_fill(user, round_: DispatchRound, unit_id: int) -> bool:
    return round_.is_open and (unit_id in permissions.own_unit_ids(user, round_.zone) or permissions.can_manage(user, round_.zone))


@login_required
def round_unit(request, pk: int, unit_id: int):
    """A unit's entries in a round: the form while open (pre-filled from the platform's
    data for entries not yet saved), read-only once closed."""
    round_ = _round_or_404(request, pk)
    report = _report_for(request, round_, unit_id)
    can_fill = _can_fill(request.user, round_, unit_id)
    # One page of entries at a time: a unit with 2,500 projects would post 12,500 fields in
    # one form, far past DATA_UPLOAD_MAX_NUMBER_FIELDS (5 fields × ENTRIES_PER_PAGE is not).
    page = Paginator(report.entries.select_related("project").prefetch_related("photos").order_by("project_code", "id"),
                     ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    prefill = dispatch.prefill(round_, [e for e in entries if e.saved_at is None]) if round_.is_open else {}
    errors = {}
    if request.method == "POST":
        _require(can_fill, _("本期调度已关闭或您无权填报"))
        errors = _save_entries(request, entries)
        if not errors:
            if request.POST.get("submit"):
                try:
                    actions.submit_unit_report(report, actor=request.user)
                except ValidationError as error:
                    messages.error(request, _error_text(error))
                else:
                    messages.success(request, _("已提交%(unit)s本期调度") % {"unit": report.unit.name})
            else:
                messages.success(request, _("已保存"))
            target = reverse("assessment:round_unit", kwargs={"pk": round_.pk, "unit_id": unit_id})
            return redirect(f"{target}?page={page.number}" if page.number > 1 else target)
    rows = []
    for entry in entries:
        prefix = f"e{entry.pk}"
        if request.method == "POST" and entry.pk in errors:
            form = EntryForm(request.POST, prefix=prefix)
            form.is_valid()
            for message in errors[entry.pk]:
                form.add_error(None, message)
        elif entry.saved_at is None and round_.is_open:
            form = EntryForm(prefix=prefix, initial=prefill.get(entry.pk, {}))
        else:
            form = EntryForm(prefix=prefix, initial={f: getattr(entry, f) for f in dispatch.ENTRY_FIELDS})
        rows.append({"entry": entry, "form": form, "prefilled": entry.saved_at is None and round_.is_open})
    return render(request, "assessment/round_unit.html", {
        "zone": round_.zone, "round": round_, "report": report, "rows": rows, "can_fill": can_fill, "page": page,
        "tickets_enabled": True, "ticket_categories": _ticket_categories(round_.zone), "sees_zone": permissions.sees_whole_zone(request.user, round_.zone),
    })


ENTRIES_PER_PAGE = 100


def _ticket_categories(zone) -> list[str]:
    from zhaoshang.tickets.models import TicketCategory

    return list(TicketCategory.objects.filter(zone=zone, is_active=True).values_list("name", flat=True))


def _save_entries(request, entries) -> dict:
    """Validate every entry first, then save them all in one transaction."""
    errors, cleaned = {}, []
    for entry in entries:
        form = EntryForm(request.POST, prefix=f"e{entry.pk}")
        if not form.is_valid():
            errors[entry.pk] = [f"{form.fields[f].label}：{'；'.join(e)}" if f != "__all__" else "；".join(e)
                                for f, e in form.errors.items()]
            continue
        cleaned.append((entry, form.cleaned_data, request.FILES.getlist(f"e{entry.pk}-photos")))
    if errors:
        return errors
    try:
        with transaction.atomic():
            for entry, data, photos in cleaned:
                try:
                    actions.save_entry(entry, actor=request.user, **data)
                    for photo in photos:
                        actions.add_photo(entry, upload=photo, actor=request.user)
                except ValidationError as error:
                    errors[entry.pk] = error.messages
                    raise
    except ValidationError:
        return errors
    return {}


@login_required
@require_POST
def round_close(request, pk: int):
    round_ = _round_or_404(request, pk)
    _require(permissions.can_manage(request.user, round_.zone), _("只有投资促进局可以关闭调度"))
    try:
        actions.close_round(round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("“%(title)s”已关闭，调度报告已生成") % {"title": round_.title})
    return redirect("assessment:round", pk=round_.pk)


@login_required
def round_report(request, pk: int, fmt: str):
    _check_format(fmt)
    round_ = _round_or_404(request, pk)
    _require(permissions.sees_whole_zone(request.user, round_.zone), _("您没有下载调度报告的权限"))
    if round_.is_open:
        data = dispatch.report_data(round_)
        content = dispatch.render_docx(data) if fmt == "docx" else dispatch.render_xlsx(data)
        name = f"{round_.title}调度情况（填报中）"
    else:
        stored = DispatchRound.objects.only("report_docx", "report_xlsx").get(pk=round_.pk)
        content = stored.report_docx if fmt == "docx" else stored.report_xlsx
        name = f"{round_.title}调度情况"
    return _download(content, f"{name}.{fmt}", DOCX if fmt == "docx" else XLSX)


@login_required
def photo_file(request, pk: int):
    photo = get_object_or_404(
        DispatchPhoto.objects.filter(entry__report__in=DispatchUnitReport.objects.visible_to(request.user))
        .select_related("entry__report__round"), pk=pk,
    )
    _round_or_404(request, photo.entry.report.round_id)
    return FileResponse(photo.file.open("rb"), filename=photo.name)


@login_required
@require_POST
def entry_ticket(request, pk: int):
    entry = get_object_or_404(DispatchEntry.objects.select_related("report__round"), pk=pk)
    round_ = _round_or_404(request, entry.report.round_id)
    unit_id = entry.report.unit_id
    _require(permissions.can_manage(request.user, round_.zone) or unit_id in permissions.own_unit_ids(request.user, round_.zone),
             _("您无权将该问题转为诉求"))
    try:
        code = actions.raise_ticket_from_entry(entry, actor=request.user, category=request.POST.get("category") or "其他")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("已转为服务诉求 %(code)s") % {"code": code})
    return redirect("assessment:round_unit", pk=round_.pk, unit_id=unit_id)
