"""The workbench pages: 工作台, the project list, board, detail and forms."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core import permissions
from zhaoshang.enterprises.actions import find_or_create_enterprise
from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.projects import actions, kpi, selectors
from zhaoshang.projects.filters import SORT_LABELS
from zhaoshang.projects import duplicates, requirements
from zhaoshang.projects.forms import (
    DateCorrectionForm, FollowUpForm, FundArrivalForm, MergeForm, ProjectForm, SavedFilterForm, StageChangeForm,
    comparable, saved_filter_choices,
)
from zhaoshang.projects.models import Project, SavedFilter
from zhaoshang.projects.permissions import (
    can_create_project, can_merge_projects, can_write_project, creatable_units, sees_contacts,
)
from zhaoshang.projects.actions import delete_filter, record_visit, save_filter
from zhaoshang.projects.selectors import clean_query
from zhaoshang.projects.stages import Stage
from zhaoshang.review import actions as review_actions

PAGE_SIZE = 50
LIST_COLUMNS = [
    ("code", _("项目编号")), ("name", _("项目名称")), (None, _("投资主体")), ("stage", _("阶段")),
    ("amount", _("计划总投资")), ("unit", _("责任单位")), (None, _("产业链")), ("signed", _("签约日期")),
    ("started", _("开工日期")),
]


def _today(request) -> dt.date:
    # The zone's today (Asia/Shanghai), as every other page and figure uses.
    return timezone.localdate()


def _project_or_404(request, pk) -> Project:
    """A project the user may see; 404 for anything else (no hint that it exists)."""
    return get_object_or_404(
        selectors.zone_projects(request).select_related("zone", "investor", "responsible_unit", "chain", "cluster", "park"),
        pk=pk,
    )


def _writable_or_403(request, pk) -> Project:
    project = _project_or_404(request, pk)
    if not can_write_project(request.user, project):
        raise PermissionDenied(_("您没有修改该项目的权限"))
    return project


# --- 工作台 ---------------------------------------------------------------------------


@login_required
def workbench(request):
    today = _today(request)
    projects = selectors.zone_projects(request)
    if request.GET.get("part") == "figures":
        # The headline figures come in a second request (hx-trigger="load"), so the
        # lists a user acts on are not kept waiting by the aggregates. They are counted
        # over the cockpit's projects (an observer's are the whole zone's), so both agree.
        from zhaoshang.dashboard.selectors import figure_projects

        zone = selectors.zone_of(request)
        counted = figure_projects(request.user, zone) if zone is not None else projects
        return render(request, "projects/_workbench_figures.html", {"figures": _year_figures(counted, today)})
    new_session = not request.session.get("zhaoshang_workbench_seen")
    if new_session:
        since, marks = record_visit(request.user, new_session=True)
        request.session["zhaoshang_workbench_seen"] = True
        request.session["zhaoshang_workbench_since"] = [since.isoformat() if since else "", marks]
    else:
        stored, marks = request.session.get("zhaoshang_workbench_since") or ["", {}]
        since = dt.datetime.fromisoformat(stored) if stored else None
    context = {
        "today": today,
        "attention": selectors.attention_lists(projects, today),
        "since": since,
        "changes": selectors.changes_since(projects, marks if since else None, exclude_user=request.user),
    }
    return render(request, "projects/workbench.html", context)


def _year_figures(projects, today):
    """This year's headline figures; when nothing is signed yet this year, the latest
    year with signings (named on the page), so a new year does not open on zeros."""
    year = today.year
    latest = projects.filter(signed_on__lte=today).aggregate(latest=Max("signed_on"))["latest"]
    if latest is not None and latest.year < year:
        year = latest.year
    period = kpi.Period.year(year, as_of=today if year == today.year else None)
    today = period.as_of
    figures = kpi.compute(projects, period)
    pending = kpi.pending(projects, period)  # 待认定 beside the figures
    query = {"from": period.start.isoformat(), "to": period.end.isoformat(), "as_of": today.isoformat()}
    shown = ["signed_count", "signed_investment", "started_count", "start_rate", "funds_in_place"]
    rows = []
    for code in shown:
        value = figures[code]
        kind = kpi.KINDS[code]
        text = kpi.format_rate(value) if kind == kpi.RATE else (kpi.format_amount(value) if kind == kpi.AMOUNT else str(value))
        rows.append({"code": code, "label": kpi.LABELS[code], "text": text,
                     "url": reverse("projects:list") + "?" + urlencode({"figure": code, **query}),
                     "pending": pending.get(code, 0),
                     "pending_url": reverse("projects:list") + "?" + urlencode({"figure": code, **query, "pending": 1})})
    return {"year": year, "rows": rows}


# --- the list ------------------------------------------------------------------------


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
@require_GET
def project_list(request):
    rows = selectors.project_rows(request, today=_today(request))
    queryset = rows.queryset.select_related(*selectors.LIST_RELATED)
    with_arrivals = bool(rows.drill and rows.drill.is_arrivals)
    totals = selectors.totals(rows.queryset, with_arrivals=with_arrivals)
    paginator = Paginator(queryset, PAGE_SIZE)
    paginator.__dict__["count"] = totals["count"]  # counted once, with the totals
    page = paginator.get_page(request.GET.get("page"))
    zone = selectors.zone_of(request)
    sort = rows.filterset.sort_value
    columns = []
    base = _query_without(request, "sort", "page")
    for key, label in LIST_COLUMNS:
        if key is None:
            columns.append({"label": label})
            continue
        next_sort = key if sort != key else f"-{key}"
        columns.append({
            "label": label, "key": key, "active": sort.lstrip("-") == key, "descending": sort.startswith("-"),
            "url": "?" + "&".join(filter(None, [base, urlencode({"sort": next_sort})])),
        })
    context = {
        "rows": rows, "filter": rows.filterset, "page": page, "totals": totals, "drill": rows.drill,
        "with_arrivals": with_arrivals, "columns": columns, "query": _query_without(request, "page"),
        "export_query": _query_without(request, "page", "sort") if not request.GET.get("sort") else _query_without(request, "page"),
        "saved_filters": saved_filter_choices(request.user, zone) if zone else [],
        "save_form": SavedFilterForm(initial={"query": clean_query(request.GET.urlencode())}),
        "current_query": clean_query(request.GET.urlencode()),
        "can_create": can_create_project(request.user, zone),
        "sort_labels": SORT_LABELS,
    }
    template = "projects/_list_results.html" if request.htmx and request.htmx.target == "zs-results" else "projects/list.html"
    return render(request, template, context)


@login_required
@require_GET
def project_export(request):
    """The filtered rows as an Excel workbook, exactly as the list shows them."""
    rows = selectors.project_rows(request, today=_today(request))
    if rows.errors:
        messages.error(request, _("筛选条件有误，未导出：") + "；".join(rows.errors))
        return HttpResponseRedirect(reverse("projects:list") + "?" + request.GET.urlencode())
    queryset = rows.queryset.select_related("zone", "investor", "responsible_unit", "chain", "cluster", "park").prefetch_related("leaders")
    from zhaoshang.projects import exports

    zone = selectors.zone_of(request)
    content, row_count = exports.projects_workbook(
        queryset, drill=rows.drill, zone_name=zone.name if zone else "", filters_text=_filters_text(rows),
    )
    from zhaoshang.core.changelog import record_data_transfer

    record_data_transfer(request.user, "export", _("导出项目清单"), filters=request.GET, row_count=row_count,
                         zone=zone, model=Project)
    name = f"projects-{zone.code if zone else 'all'}-{_today(request).isoformat()}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _filters_text(rows) -> str:
    """The filters of an export in words, for the workbook's subtitle."""
    parts = []
    if rows.drill:
        parts.append(_("指标：%(label)s") % {"label": rows.drill.label})
    form = rows.filterset.form
    for name, value in getattr(form, "cleaned_data", {}).items():
        if name == "sort" or value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            labels = dict(field.choices)
            value = "、".join(str(labels.get(v, v)) for v in value) if isinstance(value, list) else labels.get(value, value)
        parts.append(f"{field.label}：{value}")
    return (_("筛选条件：") + "；".join(parts)) if parts else ""


@login_required
@require_POST
def saved_filter_save(request):
    zone = selectors.zone_of(request)
    if zone is None:
        raise PermissionDenied
    form = SavedFilterForm(request.POST)
    query = clean_query(request.POST.get("query", ""))
    if form.is_valid():
        try:
            saved = save_filter(user=request.user, zone=zone, name=form.cleaned_data["name"], query=query)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已保存筛选“%(name)s”") % {"name": saved.name})
    else:
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
    return HttpResponseRedirect(reverse("projects:list") + ("?" + query if query else ""))


@login_required
@require_POST
def saved_filter_delete(request, pk):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    delete_filter(saved, user=request.user)
    messages.success(request, _("已删除筛选“%(name)s”") % {"name": saved.name})
    return HttpResponseRedirect(reverse("projects:list"))


# --- the board -----------------------------------------------------------------------


@login_required
@require_GET
def board(request):
    rows = selectors.project_rows(request, today=_today(request))
    columns = selectors.board_columns(rows.queryset)
    zone = selectors.zone_of(request)
    context = {
        "rows": rows, "filter": rows.filterset, "columns": columns, "query": _query_without(request, "page"),
        "totals": {"count": sum(c["count"] for c in columns), "investment": sum((c["investment"] for c in columns), kpi.ZERO)},
        "can_create": can_create_project(request.user, zone),
    }
    return render(request, "projects/board.html", context)


# --- one project ---------------------------------------------------------------------


def _detail_context(request, project, **forms):
    writable = can_write_project(request.user, project)
    return {
        "next_needs": requirements.next_stage_needs(project),
        "near_duplicates": duplicates.find_for_project(project) if writable and not project.merged_into_id else [],
        "can_merge": can_merge_projects(request.user, project),
        "correction_form": forms.get("correction_form") or DateCorrectionForm(project=project),
        "project": project,
        "facts": selectors.project_facts(project),
        "timeline": selectors.timeline(project, request.user),
        "leaders": list(project.leaders.all()),
        "can_write": writable,
        "sees_contacts": sees_contacts(request.user, project),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(zone=project.zone),
        "fund_form": forms.get("fund_form") or FundArrivalForm(),
        "stage_form": forms.get("stage_form") or StageChangeForm(project=project),
        "stages": Stage,
    }


@login_required
@require_GET
def project_detail(request, pk):
    project = _project_or_404(request, pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


def _htmx_detail_response(request, project, form_name, form, status=200):
    """After an htmx form on the detail page: the form again (with its errors, or empty
    after success) and, out of band, the refreshed facts and timeline."""
    project.refresh_from_db()
    context = _detail_context(request, project, **{form_name: form})
    context["just_saved"] = status == 200 and not form.is_bound
    context["oob"] = True
    context["form_name"] = form_name
    return render(request, "projects/_detail_update.html", context, status=status)


def _posted(request, pk, form_class, form_name, save):
    project = _writable_or_403(request, pk)
    form = form_class(request.POST, zone=project.zone, **({"project": project} if form_class is StageChangeForm else {}))
    if form.is_valid():
        try:
            save(project, form.cleaned_data)
        except ValidationError as error:
            aliases = {"on": "on", "to_stage": "to_stage", "reason": "reason"} if form_class is StageChangeForm else {}
            if form_class is StageChangeForm:
                # A missing required field (投资主体 …) is not on this form: shown above it.
                aliases.update({name: "__all__" for name in ("investor", "total_investment", "responsible_unit", "park")})
            apply_action_error(form, error, aliases)
        else:
            if request.htmx:
                fresh = form_class(zone=project.zone, **({"project": Project.objects.get(pk=project.pk)} if form_class is StageChangeForm else {}))
                return _htmx_detail_response(request, project, form_name, fresh)
            messages.success(request, _("已保存"))
            return HttpResponseRedirect(reverse("projects:detail", args=[project.pk]))
    if request.htmx:
        return _htmx_detail_response(request, project, form_name, form, status=422)
    context = _detail_context(request, project, **{form_name: form})
    return render(request, "projects/detail.html", context, status=422)


@login_required
@require_POST
def follow_up_add(request, pk):
    def save(project, data):
        actions.add_follow_up(
            project, actor=request.user, date=data["date"], kind=data["kind"], summary=data["summary"],
            next_step=data["next_step"], next_date=data["next_date"], participants=list(data["participants"]),
            other_participants=data["other_participants"],
        )

    return _posted(request, pk, FollowUpForm, "follow_up_form", save)


@login_required
@require_POST
def fund_arrival_add(request, pk):
    def save(project, data):
        actions.add_fund_arrival(project, actor=request.user, date=data["date"], amount=data["amount"], note=data["note"])

    return _posted(request, pk, FundArrivalForm, "fund_form", save)


@login_required
def stage_change(request, pk):
    """The stage-change form: part of the detail page, and the dialog the board opens when
    a card is moved (`?to=<stage>`, `?from=board`)."""
    if request.method == "GET":
        project = _writable_or_403(request, pk)
        to = request.GET.get("to")
        form = StageChangeForm(project=project, initial={"to_stage": to, "on": None})
        return render(request, "projects/_stage_dialog.html", {"project": project, "form": form, "from_board": True})
    if request.method != "POST":
        return HttpResponse(status=405)
    if request.POST.get("from") == "board":
        project = _writable_or_403(request, pk)
        form = StageChangeForm(request.POST, project=project)
        if form.is_valid():
            try:
                actions.change_stage(project, to_stage=form.cleaned_data["to_stage"], on=form.cleaned_data["on"],
                                     reason=form.cleaned_data["reason"], actor=request.user, enforce_requirements=True)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
                messages.success(request, _("“%(name)s”已变更为%(stage)s") % {
                    "name": project.name, "stage": Stage(form.cleaned_data["to_stage"]).label})
                return response
        return render(request, "projects/_stage_dialog.html", {"project": project, "form": form, "from_board": True}, status=422)

    def save(project, data):
        with transaction.atomic():  # the move and its evidence (认定) together, or neither
            change = actions.change_stage(project, to_stage=data["to_stage"], on=data["on"], reason=data["reason"], actor=request.user,
                                          enforce_requirements=True)
            review_actions.attach_uploads(change, request.FILES.getlist("evidence"), actor=request.user)

    return _posted(request, pk, StageChangeForm, "stage_form", save)


# --- new and edit --------------------------------------------------------------------


def _investor(zone, data, user):
    name = (data.get("investor_name") or "").strip()
    uscc = (data.get("investor_uscc") or "").strip()
    if not name and not uscc:
        return None
    if not name:
        raise ValidationError({"investor_name": _("填写了统一社会信用代码时请同时填写投资主体名称")})
    enterprise, _created = find_or_create_enterprise(zone=zone, name=name, uscc=uscc, actor=user)
    return enterprise


def _candidate(form: ProjectForm) -> duplicates.Candidate:
    data = form.cleaned_data
    code = (data.get("parent_code") or "").strip()
    parent_id = Project.objects.filter(zone=form.zone, code=code).values_list("pk", flat=True).first() if code else None
    return duplicates.Candidate(
        name=data.get("name") or "", investor_uscc=data.get("investor_uscc") or "",
        investor_name=data.get("investor_name") or "", total_investment=data.get("total_investment"),
        signed_on=data.get("signed_on"), parent_id=parent_id,
    )


@login_required
def project_create(request):
    zone = selectors.zone_of(request)
    permissions.require(request.user, "projects.create", zone)
    units = creatable_units(request.user, zone)
    writer = can_merge_projects(request.user, None, zone=zone)
    context = {"creating": True, "stage_needs": _stage_needs()}
    if request.method == "POST":
        form = ProjectForm(request.POST, zone=zone)
        form.fields["responsible_unit"].queryset = units
        if not writer:
            form.fields["responsible_unit"].required = True
            form.fix_unit(units)
        if form.is_valid():
            data = form.cleaned_data
            matches = [] if request.POST.get("confirm_duplicate") else duplicates.find_near_duplicates(zone, [_candidate(form)])[0]
            if matches:
                context.update(form=form, near_duplicates=matches)
                return render(request, "projects/form.html", context)
            try:
                from django.db import transaction

                with transaction.atomic():
                    unit = data.get("responsible_unit")
                    if not writer and (unit is None or unit.pk not in {u.pk for u in units}):
                        raise ValidationError({"responsible_unit": _("只能为本单位新建项目")})
                    fields = form.action_fields()
                    fields.pop("drop_reason", None)
                    if not fields["code"]:
                        fields.pop("code")
                    project = actions.create_project(
                        zone=zone, actor=request.user, stage=data["stage"], leaders=list(data["leaders"]),
                        investor=_investor(zone, data, request.user), enforce_requirements=True,
                        parent=form.parent(), **fields, **form.history(),
                    )
            except ValidationError as error:
                apply_action_error(form, error, ProjectForm.ERROR_ALIASES)
            else:
                messages.success(request, _("已新建项目“%(name)s”（%(code)s）") % {"name": project.name, "code": project.code})
                return HttpResponseRedirect(reverse("projects:detail", args=[project.pk]))
        context["form"] = form
        return render(request, "projects/form.html", context, status=422)
    form = ProjectForm(zone=zone)
    form.fields["responsible_unit"].queryset = units
    if not writer:
        form.fix_unit(units)
    context["form"] = form
    return render(request, "projects/form.html", context)


def _stage_needs() -> list[tuple[str, str]]:
    """The requirements table in words, for the create form."""
    from zhaoshang.projects.stages import Stage as S

    return [(str(stage.label), "、".join(str(label) for _f, label in requirements.REQUIREMENTS[stage]))
            for stage in (S.SIGNED, S.STARTED, S.PRODUCING)]


def _conflicts(form: ProjectForm, current: Project) -> list[dict]:
    """What another person saved since this form was opened: field, the value when opened,
    theirs, and the one typed here (conflict when both changed it differently)."""
    original = form.original_values() or {}
    theirs_form = ProjectForm(zone=current.zone, project=current)
    theirs = theirs_form.initial_values()
    mine = {name: form.data.getlist(name) if name == "leaders" else form.data.get(name, "") for name in theirs}
    if "is_fixed_asset" in theirs:
        mine["is_fixed_asset"] = "is_fixed_asset" in form.data
    rows = []
    for name, their_value in theirs.items():
        before = original.get(name, their_value)
        if comparable(theirs, name) == comparable({name: before}, name):
            continue
        my_value = mine.get(name)
        field = theirs_form.fields[name]
        rows.append({
            "name": name, "label": field.label,
            "before": _show(field, before), "theirs": _show(field, their_value), "mine": _show(field, my_value),
            "conflict": comparable({name: my_value}, name) != comparable({name: before}, name)
                        and comparable({name: my_value}, name) != comparable(theirs, name),
        })
    return rows


def _show(field, value):
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(k): v for k, v in choices if k != ""}
        if isinstance(value, list):
            return "、".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    return str(value)


@login_required
def project_edit(request, pk):
    project = _writable_or_403(request, pk)
    zone = project.zone
    if request.method != "POST":
        return render(request, "projects/form.html", {"form": ProjectForm(zone=zone, project=project), "project": project,
                                                      "next_needs": requirements.next_stage_needs(project)})
    form = ProjectForm(request.POST, zone=zone, project=project)
    conflicts = None
    if form.is_valid():
        data = form.cleaned_data
        expected = data.get("version") or project.version
        try:
            from django.db import transaction

            with transaction.atomic():
                investor = _investor(zone, data, request.user)
                fields = form.action_fields()
                if not fields["code"]:
                    fields.pop("code")
                if project.stage != Stage.DROPPED:
                    fields.pop("drop_reason", None)
                project = actions.update_project(
                    project, actor=request.user, expected_version=expected, leaders=list(data["leaders"]),
                    investor=investor, enforce_requirements=True, parent=form.parent(), **fields,
                )
        except actions.ConcurrentUpdate as conflict:
            current = Project.objects.select_related("zone", "investor").get(pk=conflict.current.pk)
            conflicts = _conflicts(form, current)
            # Keep what this person typed; take the other person's value where this
            # person left a field as it was, and move the form to the current version.
            data = form.data.copy()
            theirs = ProjectForm(zone=zone, project=current).initial_values()
            for row in conflicts:
                if not row["conflict"]:
                    value = theirs[row["name"]]
                    if isinstance(value, list):
                        data.setlist(row["name"], value)
                    elif isinstance(value, bool):
                        if value:
                            data[row["name"]] = "on"
                        else:
                            data.pop(row["name"], None)
                    else:
                        data[row["name"]] = value
            form = ProjectForm(data, zone=zone, project=current)
            form.data = data
            data["version"] = str(current.version)
            from django.core import signing

            from zhaoshang.projects.forms import ORIGINAL_SALT

            data["original"] = signing.dumps(theirs, salt=ORIGINAL_SALT, compress=True)
            form.is_valid()
            form.add_error(None, _("保存前该项目已被他人修改（见下表），您的修改尚未保存。请核对后再次保存。"))
            project = current
        except ValidationError as error:
            apply_action_error(form, error, ProjectForm.ERROR_ALIASES)
        else:
            messages.success(request, _("已保存项目“%(name)s”") % {"name": project.name})
            return HttpResponseRedirect(reverse("projects:detail", args=[project.pk]))
    return render(request, "projects/form.html", {"form": form, "project": project, "conflicts": conflicts,
                                                  "next_needs": requirements.next_stage_needs(project)},
                  status=409 if conflicts else 422)


@login_required
@require_POST
def correct_date(request, pk):
    """更正日期: a logged correction of one stage fact's date."""
    project = _writable_or_403(request, pk)
    form = DateCorrectionForm(request.POST, project=project)
    if form.is_valid():
        row = project.stage_changes.filter(pk=form.cleaned_data["stage_change"]).first()
        try:
            if row is None:
                raise ValidationError({"stage_change": _("请选择要更正的阶段日期")})
            actions.correct_stage_date(row, form.cleaned_data["new_date"], form.cleaned_data["reason"], request.user)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("日期已更正"))
            return HttpResponseRedirect(reverse("projects:detail", args=[project.pk]))
    context = _detail_context(request, project, correction_form=form)
    context["open_tab"] = "correction"
    return render(request, "projects/detail.html", context, status=422)


@login_required
def merge(request, pk, other_pk):
    """合并: the bureau merges a near-duplicate (other_pk) into the project kept (pk)."""
    keep = _project_or_404(request, pk)
    other = _project_or_404(request, other_pk)
    if not can_merge_projects(request.user, keep) or keep.zone_id != other.zone_id:
        raise PermissionDenied(_("只有投资促进局可以合并项目"))
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.merge_projects(keep, other, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已将“%(other)s”（%(other_code)s）合并入本项目") % {"other": other.name, "other_code": other.code})
            return HttpResponseRedirect(reverse("projects:detail", args=[keep.pk]))
    matches = {m.project_id: m for m in duplicates.find_for_project(keep)}
    context = {"keep": keep, "other": other, "form": form, "reasons": matches.get(other.pk)}
    return render(request, "projects/merge.html", context, status=422 if form.errors else 200)
