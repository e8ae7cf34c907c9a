"""Pages of 产业链精准招商: the chains, one chain's map (editable), its recommendations, and
the target pool with follow-ups, conversion, duplicates, import and settings."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.utils import timezone

from zhaoshang.core.access import current_zone
from zhaoshang.core.models import Zone
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry import actions, permissions, selectors
from zhaoshang.industry.duplicates import duplicate_groups, matching_enterprise, possible_duplicates
from zhaoshang.core.formstyle import apply_action_error
from zhaoshang.industry.filters import TargetFilter
from zhaoshang.industry.forms import (
    ConvertForm,
    ImportForm,
    NodeForm,
    PlacementForm,
    RelationForm,
    SettingsForm,
    StatusForm,
    TargetFollowUpForm,
    TargetForm,
    TargetRelationForm,
)
from zhaoshang.industry.models import (
    ApproachStatus,
    ChainNode,
    ChainPlacement,
    EnterpriseRelation,
    IndustryChain,
    TargetCompany,
    TargetFollowUp,
    TargetRelation,
)
from zhaoshang.industry.recommend import recommend
from zhaoshang.projects.regions import SourceRegion

PAGE_SIZE = 50


def _today() -> dt.date:
    return timezone.localdate()


def _chain_or_404(request, pk) -> IndustryChain:
    return get_object_or_404(
        IndustryChain.objects.visible_to(request.user).select_related("zone", "cluster"),
        pk=pk,
    )


def _editable_chain(request, pk) -> IndustryChain:
    chain = _chain_or_404(request, pk)
    if not permissions.can_edit_chains(request.user, chain.zone):
        raise PermissionDenied(_("您没有修改产业链图谱的权限"))
    return chain


def _target_or_404(request, pk) -> TargetCompany:
    return get_object_or_404(TargetCompany.objects.visible_to(request.user).select_related("zone"), pk=pk)


def _editable_target(request, pk) -> TargetCompany:
    target = _target_or_404(request, pk)
    if not permissions.can_edit_targets(request.user, target.zone):
        raise PermissionDenied(_("您没有修改目标企业的权限"))
    return target


def _zone_for_targets(request):
    zone = current_zone(request)
    if not permissions.can_read_targets(request.user, zone):
        raise PermissionDenied(_("您没有查看目标企业库的权限"))
    return zone


def _project_url(project) -> str:
    try:
        return reverse("projects:detail", args=[project.pk])
    except NoReverseMatch:
        return ""


# --- chains ---------------------------------------------------------------------------


@login_required
def index(request):
    zone = current_zone(request)
    rows = selectors.chains_overview(zone) if zone else []
    clusters = {}
    for row in rows:
        clusters.setdefault(row["chain"].cluster, []).append(row)
    return render(request, "industry/index.html", {
        "zone": zone, "clusters": clusters, "rows": rows,
        "can_read_targets": permissions.can_read_targets(request.user, zone),
        "can_manage_targets": permissions.can_manage_targets(request.user, zone),
    })


def _enterprise_names(user, zone, visible):
    names = Enterprise.objects.filter(zone=zone)
    if visible is not None:
        names = names.filter(pk__in=visible)
    return names.values_list("name", flat=True)


def _chain_page(request, chain, status=200, **forms):
    # Coverage counts every placement; names are shown only for the enterprises the
    # viewer may read (Enterprise.objects.visible_to), the others are counted.
    visible = selectors.readable_enterprise_ids(request.user, chain.zone)
    coverage = selectors.chain_coverage(chain, visible=visible)
    can_edit = permissions.can_edit_chains(request.user, chain.zone)
    can_targets = permissions.can_read_targets(request.user, chain.zone)
    context = {
        "chain": chain,
        "coverage": coverage,
        "tree": selectors.chain_tree(coverage),
        "tree_height": max(420, 26 * sum(max(1, len(n.shown) + bool(n.hidden)) for n in coverage.nodes)),
        "relations": list(selectors.chain_relations(chain, visible=visible)),
        "can_edit": can_edit,
        "can_read_targets": can_targets,
        "recommendations": recommend(chain, limit=5, today=_today(), visible=visible) if can_targets else [],
        "node_form": forms.get("node_form") or NodeForm(),
        "placement_form": forms.get("placement_form") or PlacementForm(zone=chain.zone, visible=visible),
        "relation_form": forms.get("relation_form") or RelationForm(zone=chain.zone, visible=visible),
        "enterprise_names": _enterprise_names(request.user, chain.zone, visible) if can_edit else [],
    }
    return render(request, "industry/chain_detail.html", context, status=status)


@login_required
def chain_detail(request, pk):
    return _chain_page(request, _chain_or_404(request, pk))


@login_required
@require_POST
def node_add(request, pk):
    chain = _editable_chain(request, pk)
    form = NodeForm(request.POST)
    if form.is_valid():
        try:
            node = actions.add_node(chain, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已添加节点“%(name)s”") % {"name": node.name})
            return HttpResponseRedirect(reverse("industry:chain", args=[chain.pk]))
    return _chain_page(request, chain, status=422, node_form=form)


@login_required
def node_edit(request, pk):
    node = get_object_or_404(ChainNode.objects.select_related("chain__zone"), pk=pk,
                             chain__in=IndustryChain.objects.visible_to(request.user))
    chain = _editable_chain(request, node.chain_id)
    if request.method == "POST":
        form = NodeForm(request.POST)
        if form.is_valid():
            try:
                actions.update_node(node, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_error(form, error)
            else:
                messages.success(request, _("已保存节点“%(name)s”") % {"name": node.name})
                return HttpResponseRedirect(reverse("industry:chain", args=[chain.pk]))
    else:
        form = NodeForm(initial={"name": node.name, "position": node.position, "is_key": node.is_key})
    return render(request, "industry/node_form.html", {"form": form, "node": node, "chain": chain},
                  status=422 if form.is_bound else 200)


@login_required
@require_POST
def node_delete(request, pk):
    node = get_object_or_404(ChainNode, pk=pk, chain__in=IndustryChain.objects.visible_to(request.user))
    chain = _editable_chain(request, node.chain_id)
    try:
        actions.delete_node(node, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除节点“%(name)s”") % {"name": node.name})
    return HttpResponseRedirect(reverse("industry:chain", args=[chain.pk]))


@login_required
@require_POST
def placement_add(request, pk):
    chain = _editable_chain(request, pk)
    form = PlacementForm(request.POST, zone=chain.zone, visible=selectors.readable_enterprise_ids(request.user, chain.zone))
    node = chain.nodes.filter(pk=request.POST.get("node") or 0).first()
    if node is None:
        form.add_error(None, _("请选择节点"))
    if form.is_valid() and node is not None:
        try:
            actions.place_enterprise(node, form.cleaned_data["enterprise"], actor=request.user,
                                     is_chain_leader=form.cleaned_data["is_chain_leader"], notes=form.cleaned_data["notes"])
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已将“%(name)s”放入节点“%(node)s”") % {"name": form.cleaned_data["enterprise"], "node": node.name})
            return HttpResponseRedirect(reverse("industry:chain", args=[chain.pk]) + f"#node-{node.pk}")
    return _chain_page(request, chain, status=422, placement_form=form)


def _placement(request, pk) -> ChainPlacement:
    placement = get_object_or_404(ChainPlacement.objects.select_related("node__chain__zone", "enterprise"), pk=pk,
                                  node__chain__in=IndustryChain.objects.visible_to(request.user))
    visible = selectors.readable_enterprise_ids(request.user, placement.node.chain.zone)
    if visible is not None and placement.enterprise_id not in visible:
        raise Http404
    _editable_chain(request, placement.node.chain_id)
    return placement


@login_required
@require_POST
def placement_leader(request, pk):
    placement = _placement(request, pk)
    actions.update_placement(placement, is_chain_leader=not placement.is_chain_leader, actor=request.user)
    return HttpResponseRedirect(reverse("industry:chain", args=[placement.node.chain_id]) + f"#node-{placement.node_id}")


@login_required
@require_POST
def placement_delete(request, pk):
    placement = _placement(request, pk)
    actions.remove_placement(placement, actor=request.user)
    messages.success(request, _("已将“%(name)s”移出节点“%(node)s”") % {"name": placement.enterprise, "node": placement.node.name})
    return HttpResponseRedirect(reverse("industry:chain", args=[placement.node.chain_id]) + f"#node-{placement.node_id}")


@login_required
@require_POST
def relation_add(request, pk):
    chain = _editable_chain(request, pk)
    form = RelationForm(request.POST, zone=chain.zone, visible=selectors.readable_enterprise_ids(request.user, chain.zone))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_relation(data["from_enterprise"], data["kind"], data["to_enterprise"], notes=data["notes"], actor=request.user)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已登记企业关系"))
            return HttpResponseRedirect(reverse("industry:chain", args=[chain.pk]) + "#relations")
    return _chain_page(request, chain, status=422, relation_form=form)


@login_required
@require_POST
def relation_delete(request, pk):
    relation = get_object_or_404(EnterpriseRelation, pk=pk, zone__in=Zone.objects.visible_to(request.user))
    visible = selectors.readable_enterprise_ids(request.user, relation.zone)
    if visible is not None and not {relation.from_enterprise_id, relation.to_enterprise_id} <= visible:
        raise Http404
    if not permissions.can_edit_chains(request.user, relation.zone):
        raise PermissionDenied(_("您没有修改产业链图谱的权限"))
    actions.remove_relation(relation, actor=request.user)
    messages.success(request, _("已删除企业关系"))
    back = request.POST.get("chain")
    chain = IndustryChain.objects.filter(pk=back or 0, zone=relation.zone).first()
    return HttpResponseRedirect(reverse("industry:chain", args=[chain.pk]) + "#relations" if chain else reverse("industry:index"))


@login_required
def recommendations(request, pk):
    chain = _chain_or_404(request, pk)
    if not permissions.can_read_targets(request.user, chain.zone):
        raise PermissionDenied(_("您没有查看目标企业库的权限"))
    try:
        limit = max(1, min(int(request.GET.get("limit", 50)), 500))
    except ValueError:
        limit = 50
    settings_ = actions.targeting_settings(chain.zone)
    return render(request, "industry/recommendations.html", {
        "chain": chain,
        "coverage": selectors.chain_coverage(chain),
        "recommendations": recommend(chain, limit=limit, today=_today(), priority_regions=settings_.priority_regions,
                                     visible=selectors.readable_enterprise_ids(request.user, chain.zone)),
        "priority_regions": [SourceRegion(region).label for region in settings_.priority_regions if region in SourceRegion.values],
        "limit": limit,
    })


# --- targets --------------------------------------------------------------------------


@login_required
def target_list(request):
    zone = _zone_for_targets(request)
    queryset = TargetCompany.objects.visible_to(request.user).filter(zone=zone).prefetch_related("tags", "nodes__chain")
    filterset = TargetFilter(request.GET or None, queryset=queryset, zone=zone)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "industry/target_list.html", {
        "zone": zone, "filter": filterset, "page": page, "query": params.urlencode(),
        "can_edit": permissions.can_edit_targets(request.user, zone),
        "can_manage": permissions.can_manage_targets(request.user, zone),
    })


def _target_kwargs(data) -> dict:
    fields = {key: data[key] for key in ("name", "uscc", "province", "city", "revenue_band", "main_products",
                                           "contact_person", "contact_phone", "notes")}
    return {**fields, "tags": data["tags"], "nodes": list(data["nodes"])}


@login_required
def target_create(request):
    zone = _zone_for_targets(request)
    if not permissions.can_edit_targets(request.user, zone):
        raise PermissionDenied(_("您没有录入目标企业的权限"))
    form = TargetForm(request.POST or None, zone=zone, initial={"nodes": request.GET.getlist("node")})
    if request.method == "POST" and form.is_valid():
        try:
            target = actions.create_target(zone=zone, actor=request.user, **_target_kwargs(form.cleaned_data))
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已录入目标企业“%(name)s”") % {"name": target.name})
            return HttpResponseRedirect(reverse("industry:target", args=[target.pk]))
    return render(request, "industry/target_form.html", {"form": form, "zone": zone},
                  status=422 if form.is_bound else 200)


@login_required
def target_edit(request, pk):
    target = _editable_target(request, pk)
    initial = {
        **{key: getattr(target, key) for key in ("name", "uscc", "province", "city", "revenue_band", "main_products",
                                                  "contact_person", "contact_phone", "notes")},
        "tags": list(target.tags.values_list("name", flat=True)), "nodes": list(target.nodes.all()),
    }
    form = TargetForm(request.POST or None, zone=target.zone, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_target(target, actor=request.user, **_target_kwargs(form.cleaned_data))
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return HttpResponseRedirect(reverse("industry:target", args=[target.pk]))
    return render(request, "industry/target_form.html", {"form": form, "zone": target.zone, "target": target},
                  status=422 if form.is_bound else 200)


def _target_page(request, target, status=200, **forms):
    zone = target.zone
    visible = selectors.readable_enterprise_ids(request.user, zone)
    can_edit = permissions.can_edit_targets(request.user, zone) and target.status not in (
        ApproachStatus.CONVERTED, ApproachStatus.MERGED)
    local_match = matching_enterprise(zone, target.name, target.uscc) if target.status != ApproachStatus.CONVERTED else None
    relations = list(target.relations.select_related("enterprise"))
    for relation in relations:
        relation.shown = visible is None or relation.enterprise_id in visible
    merged_from = list(target.merged_from.all())
    events = target.events.select_related("recorded_by")
    history = sorted([*events, *[e for t in merged_from for e in t.events.all()]], key=lambda e: (e.date, e.pk))
    context = {
        "target": target,
        "follow_ups": target.follow_ups.select_related("recorded_by"),
        "relations": relations,
        "enterprise_visible": visible is None or target.enterprise_id in visible,
        "nodes": target.nodes.select_related("chain"),
        "history": history,
        "merged_from": merged_from,
        "can_edit": can_edit,
        "can_manage": permissions.can_manage_targets(request.user, zone),
        "duplicates": possible_duplicates(zone, target.name, target.uscc, exclude=target)
        if target.status != ApproachStatus.MERGED else [],
        "local_match": local_match if local_match and (visible is None or local_match.pk in visible) else None,
        "project_url": _project_url(target.project) if target.project_id else "",
        "status_form": forms.get("status_form") or StatusForm(initial={"on": _today(), "to_status": target.status}),
        "follow_up_form": forms.get("follow_up_form") or TargetFollowUpForm(initial={"date": _today()}),
        "relation_form": forms.get("relation_form") or TargetRelationForm(zone=zone, visible=visible),
        "enterprise_names": _enterprise_names(request.user, zone, visible) if can_edit else [],
    }
    return render(request, "industry/target_detail.html", context, status=status)


@login_required
def target_detail(request, pk):
    return _target_page(request, _target_or_404(request, pk))


@login_required
@require_POST
def target_status(request, pk):
    target = _editable_target(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.set_target_status(target, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("对接状态已更新"))
            return HttpResponseRedirect(reverse("industry:target", args=[target.pk]))
    return _target_page(request, target, status=422, status_form=form)


@login_required
@require_POST
def target_follow_up_add(request, pk):
    target = _editable_target(request, pk)
    form = TargetFollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.add_target_follow_up(target, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已添加跟进记录"))
            return HttpResponseRedirect(reverse("industry:target", args=[target.pk]) + "#follow-ups")
    return _target_page(request, target, status=422, follow_up_form=form)


@login_required
@require_POST
def target_follow_up_delete(request, pk):
    follow_up = get_object_or_404(TargetFollowUp.objects.filter(target__in=TargetCompany.objects.visible_to(request.user)), pk=pk)
    target = _editable_target(request, follow_up.target_id)
    try:
        actions.delete_target_follow_up(follow_up, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除跟进记录"))
    return HttpResponseRedirect(reverse("industry:target", args=[target.pk]) + "#follow-ups")


@login_required
@require_POST
def target_relation_add(request, pk):
    target = _editable_target(request, pk)
    form = TargetRelationForm(request.POST, zone=target.zone, visible=selectors.readable_enterprise_ids(request.user, target.zone))
    if form.is_valid():
        try:
            actions.add_target_relation(target, form.cleaned_data["kind"], form.cleaned_data["enterprise"],
                                        notes=form.cleaned_data["notes"], actor=request.user)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已登记与本地企业的关系"))
            return HttpResponseRedirect(reverse("industry:target", args=[target.pk]) + "#relations")
    return _target_page(request, target, status=422, relation_form=form)


@login_required
@require_POST
def target_relation_delete(request, pk):
    relation = get_object_or_404(TargetRelation.objects.filter(target__in=TargetCompany.objects.visible_to(request.user)), pk=pk)
    target = _editable_target(request, relation.target_id)
    actions.remove_target_relation(relation, actor=request.user)
    messages.success(request, _("已删除关系"))
    return HttpResponseRedirect(reverse("industry:target", args=[target.pk]) + "#relations")


@login_required
def target_convert(request, pk):
    target = _editable_target(request, pk)
    if target.status in (ApproachStatus.CONVERTED, ApproachStatus.MERGED):
        messages.error(request, _("该目标企业已转化或已合并"))
        return HttpResponseRedirect(reverse("industry:target", args=[target.pk]))
    units = permissions.convert_units(request.user, target.zone)
    chains = {node.chain for node in target.nodes.select_related("chain")}
    initial = {"chain": chains.pop() if len(chains) == 1 else None, "responsible_unit": units.first() if units.count() == 1 else None}
    form = ConvertForm(request.POST or None, zone=target.zone, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = actions.convert_to_lead(
                target, actor=request.user, project_name=data["project_name"], chain=data["chain"],
                responsible_unit=data["responsible_unit"], total_investment=data["total_investment"] or 0, today=_today(),
            )
        except ValidationError as error:
            apply_action_error(form, error, aliases={"name": "project_name", "total_investment": "total_investment"})
        else:
            messages.success(request, _("已转为项目线索“%(name)s”（%(code)s）") % {"name": project.name, "code": project.code})
            return HttpResponseRedirect(_project_url(project) or reverse("industry:target", args=[target.pk]))
    return render(request, "industry/target_convert.html", {"form": form, "target": target},
                  status=422 if form.is_bound else 200)


@login_required
def duplicates(request):
    zone = _zone_for_targets(request)
    return render(request, "industry/duplicates.html", {
        "zone": zone, "groups": duplicate_groups(zone), "can_manage": permissions.can_manage_targets(request.user, zone),
    })


@login_required
@require_POST
def target_merge(request, pk):
    keep = _target_or_404(request, pk)
    if not permissions.can_manage_targets(request.user, keep.zone):
        raise PermissionDenied(_("只有投资促进局可以合并目标企业"))
    other = TargetCompany.objects.visible_to(request.user).filter(pk=request.POST.get("other") or 0).first()
    if other is None:
        messages.error(request, _("请选择要合并的目标企业"))
    else:
        try:
            actions.merge_targets(keep, other, actor=request.user, today=_today())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已将“%(other)s”合并至“%(keep)s”") % {"other": other.name, "keep": keep.name})
    return HttpResponseRedirect(request.POST.get("next") if request.POST.get("next", "").startswith("/industry/")
                                else reverse("industry:target", args=[keep.pk]))


@login_required
def targeting_settings(request):
    zone = current_zone(request)
    if not permissions.can_manage_targets(request.user, zone):
        raise PermissionDenied(_("只有投资促进局可以修改精准招商设置"))
    current = actions.targeting_settings(zone)
    form = SettingsForm(request.POST or None, initial={"priority_regions": current.priority_regions})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_targeting_settings(zone, priority_regions=form.cleaned_data["priority_regions"], actor=request.user)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("已保存精准招商设置"))
            return HttpResponseRedirect(reverse("industry:settings"))
    return render(request, "industry/settings.html", {"form": form, "zone": zone}, status=422 if form.is_bound else 200)


@login_required
def target_import(request):
    zone = _zone_for_targets(request)
    if not permissions.can_edit_targets(request.user, zone):
        raise PermissionDenied(_("您没有导入目标企业的权限"))
    from zhaoshang.industry import importer

    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importer.import_targets(zone, upload.read(), filename=upload.name, actor=request.user)
        except importer.ImportFailed as failure:
            return render(request, "industry/target_import.html", {"form": form, "zone": zone, "errors": failure.errors,
                                                                    "columns": importer.COLUMN_HELP}, status=422)
        messages.success(request, _("导入完成：新增%(created)d家，更新%(updated)d家，未变%(unchanged)d家") % result.counts())
        return HttpResponseRedirect(reverse("industry:targets"))
    return render(request, "industry/target_import.html", {"form": form, "zone": zone, "result": result,
                                                            "columns": importer.COLUMN_HELP},
                  status=422 if form.is_bound else 200)
