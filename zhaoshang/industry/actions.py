import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils import timezone

from zhaoshang.core.changelog import record_bulk
from zhaoshang.core.models import Zone
from zhaoshang.enterprises import uscc as uscc_rules
from zhaoshang.enterprises.actions import find_or_create_enterprise, update_enterprise
from zhaoshang.enterprises.models import Enterprise, Tag
from zhaoshang.industry.models import (
    APPROACH_STEPS,
    DEFAULT_PRIORITY_REGIONS,
    ApproachStatus,
    ChainNode,
    ChainPlacement,
    EnterpriseRelation,
    FollowUpKind,
    IndustryChain,
    IndustryCluster,
    RelationKind,
    RevenueBand,
    TargetCompany,
    TargetEvent,
    TargetFollowUp,
    TargetingSettings,
    TargetRelation,
)
from zhaoshang.industry.names import normalize_name
from zhaoshang.projects.models import Project
from zhaoshang.projects.regions import SourceRegion, region_of, split_source
from zhaoshang.industry.taxonomy import CHAINS, CLUSTERS


@transaction.atomic
def install_default_taxonomy(zone: Zone) -> None:
    """Give a zone the 4 clusters and 7 chains of docs/design.md §2; existing ones are kept."""
    clusters = {}
    for order, name in enumerate(CLUSTERS):
        clusters[name], _created = IndustryCluster.objects.get_or_create(zone=zone, name=name, defaults={"sort_order": order})
    for order, (name, cluster, tier, aliases, nodes) in enumerate(CHAINS):
        chain, created = IndustryChain.objects.get_or_create(
            zone=zone, name=name, defaults={"cluster": clusters[cluster], "tier": tier, "aliases": aliases, "sort_order": order}
        )
        if created:
            record_bulk(ChainNode, ChainNode.objects.bulk_create(
                ChainNode(chain=chain, name=node, position=position, is_key=is_key, sort_order=index)
                for index, (node, position, is_key) in enumerate(nodes)
            ), "create", zone=zone)


def find_chain(zone: Zone, text: str) -> IndustryChain | None:
    """A chain by its name or one of its aliases; None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    chains = list(IndustryChain.objects.filter(zone=zone))
    for chain in chains:
        if text == chain.name or text in chain.aliases:
            return chain
    for chain in chains:
        if chain.name.startswith(text) or text.startswith(chain.name):
            return chain
    return None


# ---------------------------------------------------------------- chain maps


def _clean_name(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"name": message})
    return value


@transaction.atomic
def add_node(chain: IndustryChain, *, name: str, position: str, is_key: bool = False, sort_order: int | None = None,
             actor=None) -> ChainNode:
    name = _clean_name(name, _("节点名称不能为空"))
    if position not in ChainNode.Position.values:
        raise ValidationError({"position": _("请选择上游、中游或下游")})
    if ChainNode.objects.filter(chain=chain, name=name).exists():
        raise ValidationError({"name": _("产业链“%(chain)s”已有节点“%(name)s”") % {"chain": chain, "name": name}})
    if sort_order is None:
        sort_order = (chain.nodes.aggregate(top=Max("sort_order"))["top"] or 0) + 1
    node = ChainNode.objects.create(chain=chain, name=name, position=position, is_key=is_key, sort_order=sort_order)
    return node


@transaction.atomic
def update_node(node: ChainNode, *, actor=None, **changes) -> ChainNode:
    allowed = {"name", "position", "is_key", "sort_order"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"], _("节点名称不能为空"))
        if ChainNode.objects.filter(chain_id=node.chain_id, name=changes["name"]).exclude(pk=node.pk).exists():
            raise ValidationError({"name": _("产业链“%(chain)s”已有节点“%(name)s”") % {"chain": node.chain, "name": changes["name"]}})
    if "position" in changes and changes["position"] not in ChainNode.Position.values:
        raise ValidationError({"position": _("请选择上游、中游或下游")})
    for field, value in changes.items():
        setattr(node, field, value)
    node.save()
    return node


@transaction.atomic
def delete_node(node: ChainNode, *, actor=None) -> None:
    if node.placements.exists():
        raise ValidationError({"node": _("节点“%(name)s”上还有企业，请先移除") % {"name": node.name}})
    if node.targets.exists():
        raise ValidationError({"node": _("节点“%(name)s”仍被目标企业引用，请先调整目标企业") % {"name": node.name}})
    node.delete()


def _check_same_zone(enterprise: Enterprise, zone_id: int) -> None:
    if enterprise.zone_id != zone_id:
        raise ValidationError({"enterprise": _("企业“%(name)s”不属于本园区") % {"name": enterprise}})


@transaction.atomic
def place_enterprise(node: ChainNode, enterprise: Enterprise, *, is_chain_leader: bool = False, notes: str = "",
                     actor=None) -> ChainPlacement:
    """Put a local enterprise on a chain node (链主 when it leads the chain)."""
    _check_same_zone(enterprise, node.chain.zone_id)
    if ChainPlacement.objects.filter(node=node, enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("企业“%(name)s”已在节点“%(node)s”上") % {"name": enterprise, "node": node.name}})
    placement = ChainPlacement.objects.create(node=node, enterprise=enterprise, is_chain_leader=is_chain_leader, notes=notes)
    return placement


@transaction.atomic
def update_placement(placement: ChainPlacement, *, is_chain_leader: bool | None = None, notes: str | None = None,
                     actor=None) -> ChainPlacement:
    if is_chain_leader is not None:
        placement.is_chain_leader = is_chain_leader
    if notes is not None:
        placement.notes = notes
    placement.save()
    return placement


@transaction.atomic
def remove_placement(placement: ChainPlacement, *, actor=None) -> None:
    placement.delete()


@transaction.atomic
def add_relation(from_enterprise: Enterprise, kind: str, to_enterprise: Enterprise, *, notes: str = "",
                 actor=None) -> EnterpriseRelation:
    """Record that `from_enterprise` is the supplier / customer / partner of `to_enterprise`."""
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("请选择关系：供应商、客户或合作伙伴")})
    _check_same_zone(to_enterprise, from_enterprise.zone_id)
    if from_enterprise.pk == to_enterprise.pk:
        raise ValidationError({"to_enterprise": _("企业不能与自身建立关系")})
    if EnterpriseRelation.objects.filter(from_enterprise=from_enterprise, kind=kind, to_enterprise=to_enterprise).exists():
        raise ValidationError({"to_enterprise": _("该关系已登记")})
    relation = EnterpriseRelation.objects.create(
        zone_id=from_enterprise.zone_id, from_enterprise=from_enterprise, kind=kind, to_enterprise=to_enterprise, notes=notes
    )
    return relation


@transaction.atomic
def remove_relation(relation: EnterpriseRelation, *, actor=None) -> None:
    relation.delete()


# ---------------------------------------------------------------- the target pool

TARGET_FIELDS = {
    "name", "uscc", "province", "city", "revenue_band", "main_products", "contact_person", "contact_phone", "notes",
}


def _clean_target_uscc(value: str) -> str:
    if not (value or "").strip():
        return ""
    try:
        return uscc_rules.validate(value)
    except uscc_rules.InvalidUSCC as error:
        raise ValidationError({"uscc": str(error)}) from error


def _check_uscc_free(zone_id: int, code: str, exclude_pk=None) -> None:
    if not code:
        return
    clash = TargetCompany.objects.filter(zone_id=zone_id, uscc=code, merged_into__isnull=True).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ValidationError({"uscc": _("统一社会信用代码“%(code)s”已登记为目标企业“%(name)s”") % {"code": code, "name": clash.name}})


def _check_nodes(zone_id: int, nodes) -> list[ChainNode]:
    nodes = list(nodes)
    for node in nodes:
        if node.chain.zone_id != zone_id:
            raise ValidationError({"nodes": _("节点“%(node)s”不属于本园区") % {"node": node}})
    return nodes


def _tags(tags):
    return [Tag.objects.get_or_create(name=tag.strip())[0] if isinstance(tag, str) else tag for tag in tags if tag]


def _derive_target(target: TargetCompany) -> None:
    target.name_key = normalize_name(target.name)
    target.province, target.city = (target.province or "").strip(), (target.city or "").strip()
    if target.province and not target.city:  # 江苏省常州市 → 江苏省, 常州市
        target.province, target.city = split_source(target.province)
    target.region = region_of(target.province, target.zone.province)


def _event(target, kind, on, actor=None, **fields) -> TargetEvent:
    return TargetEvent.objects.create(target=target, kind=kind, date=on, recorded_by=actor if _is_user(actor) else None, **fields)


def _is_user(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


@transaction.atomic
def create_target(*, zone: Zone, name: str, uscc: str = "", tags=(), nodes=(), status: str = ApproachStatus.UNTOUCHED,
                  actor=None, today: dt.date | None = None, note: str = "", **fields) -> TargetCompany:
    """Put a company on the zone's target list."""
    unknown = set(fields) - TARGET_FIELDS
    if unknown:
        raise TypeError(f"unknown target fields: {sorted(unknown)}")
    today = today or timezone.localdate()
    name = _clean_name(name, _("企业名称不能为空"))
    code = _clean_target_uscc(uscc)
    _check_uscc_free(zone.pk, code)
    if status not in APPROACH_STEPS:
        raise ValidationError({"status": _("对接状态应为未接触、已接触或洽谈中")})
    if fields.get("revenue_band") and fields["revenue_band"] not in RevenueBand.values:
        raise ValidationError({"revenue_band": _("营收规模“%(value)s”无法识别") % {"value": fields["revenue_band"]}})
    nodes = _check_nodes(zone.pk, nodes)
    target = TargetCompany(zone=zone, name=name, uscc=code, status=status, **fields)
    _derive_target(target)
    target.save()
    if nodes:
        target.nodes.set(nodes)
    if tags:
        target.tags.set(_tags(tags))
    _event(target, TargetEvent.Kind.CREATED, today, actor, to_status=status, note=note)
    return target


@transaction.atomic
def update_target(target: TargetCompany, *, actor=None, expected_version: int | None = None, tags=None, nodes=None,
                  **changes) -> TargetCompany:
    unknown = set(changes) - TARGET_FIELDS
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    current = TargetCompany.objects.select_for_update().select_related("zone").get(pk=target.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentTargetUpdate(current)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"], _("企业名称不能为空"))
    if "uscc" in changes:
        changes["uscc"] = _clean_target_uscc(changes["uscc"])
        _check_uscc_free(current.zone_id, changes["uscc"], exclude_pk=current.pk)
    if changes.get("revenue_band") and changes["revenue_band"] not in RevenueBand.values:
        raise ValidationError({"revenue_band": _("营收规模“%(value)s”无法识别") % {"value": changes["revenue_band"]}})
    for field, value in changes.items():
        setattr(current, field, value)
    _derive_target(current)
    current.version += 1
    current.save()
    if nodes is not None:
        current.nodes.set(_check_nodes(current.zone_id, nodes))
    if tags is not None:
        current.tags.set(_tags(tags))
    return current


class ConcurrentTargetUpdate(Exception):
    """The target changed since the editor loaded it; nothing was saved."""

    def __init__(self, current: TargetCompany):
        super().__init__(_("目标企业已被他人修改，请刷新后重试"))
        self.current = current


def _check_open(target: TargetCompany) -> None:
    if target.status == ApproachStatus.CONVERTED:
        raise ValidationError({"status": _("目标企业“%(name)s”已转为项目线索") % {"name": target.name}})
    if target.status == ApproachStatus.MERGED:
        raise ValidationError({"status": _("目标企业“%(name)s”已合并至“%(other)s”") % {"name": target.name, "other": target.merged_into}})


@transaction.atomic
def set_target_status(target: TargetCompany, *, to_status: str, on: dt.date | None = None, note: str = "",
                      actor=None) -> TargetEvent:
    """Move a target along 未接触 → 已接触 → 洽谈中 (or back, with a reason)."""
    target = TargetCompany.objects.select_for_update().get(pk=target.pk)
    _check_open(target)
    if to_status not in APPROACH_STEPS:
        raise ValidationError({"to_status": _("对接状态应为未接触、已接触或洽谈中")})
    if to_status == target.status:
        raise ValidationError({"to_status": _("目标企业已处于“%(status)s”状态") % {"status": target.get_status_display()}})
    note = (note or "").strip()
    if APPROACH_STEPS.index(to_status) < APPROACH_STEPS.index(target.status) and not note:
        raise ValidationError({"note": _("对接状态回退需填写原因")})
    from_status = target.status
    target.status = to_status
    target.version += 1
    target.save()
    return _event(target, TargetEvent.Kind.STATUS, on or timezone.localdate(), actor, from_status=from_status, to_status=to_status, note=note)


def _refresh_last_contact(target: TargetCompany) -> None:
    target.last_contacted_on = target.follow_ups.aggregate(last=Max("date"))["last"]
    target.save()


@transaction.atomic
def add_target_follow_up(target: TargetCompany, *, date: dt.date, summary: str, kind: str = FollowUpKind.VISIT,
                         next_step: str = "", next_date: dt.date | None = None, actor=None) -> TargetFollowUp:
    """Record an approach; a first approach moves an untouched target to 已接触."""
    target = TargetCompany.objects.select_for_update().get(pk=target.pk)
    _check_open(target)
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写情况摘要")})
    if date is None:
        raise ValidationError({"date": _("请填写跟进日期")})
    if kind not in FollowUpKind.values:
        raise ValidationError({"kind": _("请选择跟进方式")})
    if next_date and next_date < date:
        raise ValidationError({"next_date": _("下步日期不能早于本次跟进日期")})
    follow_up = TargetFollowUp.objects.create(
        target=target, date=date, kind=kind, summary=summary.strip(), next_step=(next_step or "").strip(),
        next_date=next_date, recorded_by=actor if _is_user(actor) else None,
    )
    _refresh_last_contact(target)
    if target.status == ApproachStatus.UNTOUCHED:
        target.status = ApproachStatus.CONTACTED
        target.save()
        _event(target, TargetEvent.Kind.STATUS, date, actor, from_status=ApproachStatus.UNTOUCHED,
               to_status=ApproachStatus.CONTACTED, note=_("首次接触"))
    return follow_up


@transaction.atomic
def delete_target_follow_up(follow_up: TargetFollowUp, *, actor=None) -> None:
    target = follow_up.target
    _check_open(target)
    follow_up.delete()
    _refresh_last_contact(target)


@transaction.atomic
def add_target_relation(target: TargetCompany, kind: str, enterprise: Enterprise, *, notes: str = "",
                        actor=None) -> TargetRelation:
    """Record that the target is the supplier / customer / partner of a local enterprise."""
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("请选择关系：供应商、客户或合作伙伴")})
    _check_same_zone(enterprise, target.zone_id)
    if TargetRelation.objects.filter(target=target, kind=kind, enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("该关系已登记")})
    return TargetRelation.objects.create(target=target, kind=kind, enterprise=enterprise, notes=notes)


@transaction.atomic
def remove_target_relation(relation: TargetRelation, *, actor=None) -> None:
    relation.delete()


@transaction.atomic
def convert_to_lead(target: TargetCompany, *, actor=None, project_name: str = "", chain: IndustryChain | None = None,
                    responsible_unit=None, total_investment=0, today: dt.date | None = None) -> Project:
    """Turn a target into a project lead: the enterprise is registered (or found) in the
    zone, a project at stage 线索 is created with it as investor, the target's approach
    history is copied onto the project as follow-ups, its relations become the
    enterprise's, and the target keeps everything, marked 已转为项目线索 with links to both."""
    from zhaoshang.projects.actions import add_follow_up, create_project

    today = today or timezone.localdate()
    target = TargetCompany.objects.select_for_update().select_related("zone").get(pk=target.pk)
    _check_open(target)
    zone = target.zone
    if chain is None:
        chains = {node.chain for node in target.nodes.select_related("chain")}
        chain = chains.pop() if len(chains) == 1 else None
    elif chain.zone_id != zone.pk:
        raise ValidationError({"chain": _("产业链“%(chain)s”不属于本园区") % {"chain": chain}})
    enterprise, created = find_or_create_enterprise(zone=zone, name=target.name, uscc=target.uscc, actor=actor)
    if created:
        update_enterprise(
            enterprise, actor=actor, tags=list(target.tags.all()), province=target.province, city=target.city,
            contact_person=target.contact_person, contact_phone=target.contact_phone,
        )
    # The lead's history starts with the target's first follow-up, which moves over with it.
    first = target.follow_ups.order_by("date").values_list("date", flat=True).first()
    project = create_project(
        zone=zone, actor=actor, stage="lead", today=today, lead_on=min(first, today) if first else None,
        name=(project_name or "").strip() or _("%(name)s投资项目") % {"name": target.name},
        investor=enterprise, chain=chain, responsible_unit=responsible_unit, total_investment=total_investment or 0,
        source_province=target.province, source_city=target.city, contact_person=target.contact_person,
        contact_phone=target.contact_phone, notes=_("由目标企业库转入：%(name)s") % {"name": target.name},
    )
    for follow_up in target.follow_ups.order_by("date", "id"):
        add_follow_up(
            project, date=follow_up.date, kind=follow_up.kind, actor=follow_up.recorded_by,
            summary=_("【目标企业库】%(summary)s") % {"summary": follow_up.summary},
            next_step=follow_up.next_step, next_date=follow_up.next_date,
        )
    for relation in target.relations.select_related("enterprise"):
        if relation.enterprise_id != enterprise.pk and not EnterpriseRelation.objects.filter(
            from_enterprise=enterprise, kind=relation.kind, to_enterprise=relation.enterprise
        ).exists():
            add_relation(enterprise, relation.kind, relation.enterprise, notes=relation.notes, actor=actor)
    from_status = target.status
    target.status = ApproachStatus.CONVERTED
    target.enterprise, target.project, target.converted_on = enterprise, project, today
    target.version += 1
    target.save()
    _event(target, TargetEvent.Kind.CONVERTED, today, actor, from_status=from_status, to_status=ApproachStatus.CONVERTED,
           note=_("转为项目线索“%(project)s”（%(code)s）") % {"project": project.name, "code": project.code},
           data={"project_id": project.pk, "enterprise_id": enterprise.pk, "enterprise_created": created})
    from zhaoshang.campaigns.actions import set_project_source
    from zhaoshang.campaigns.models import Source

    set_project_source(project, kind=Source.RECOMMENDATION, target=target, actor=actor)
    return project


MERGE_FILL_FIELDS = ("uscc", "province", "city", "revenue_band", "main_products", "contact_person", "contact_phone")


@transaction.atomic
def merge_targets(keep: TargetCompany, other: TargetCompany, *, actor=None, today: dt.date | None = None) -> TargetCompany:
    """Merge a duplicate into the target kept. Nothing is lost: follow-ups and relations
    move to the kept target, nodes and tags are united, blank facts are filled from the
    duplicate, notes are joined, the further approach status wins; the duplicate stays as
    a record marked 已合并 pointing to the kept one, with its own history."""
    today = today or timezone.localdate()
    keep = TargetCompany.objects.select_for_update().get(pk=keep.pk)
    other = TargetCompany.objects.select_for_update().get(pk=other.pk)
    if keep.pk == other.pk:
        raise ValidationError({"other": _("不能与自身合并")})
    if keep.zone_id != other.zone_id:
        raise ValidationError({"other": _("只能合并同一园区的目标企业")})
    for target in (keep, other):
        if target.status == ApproachStatus.MERGED:
            raise ValidationError({"other": _("目标企业“%(name)s”已合并至“%(other)s”") % {"name": target.name, "other": target.merged_into}})
    if other.status == ApproachStatus.CONVERTED and keep.status == ApproachStatus.CONVERTED:
        raise ValidationError({"other": _("两家目标企业都已转为项目线索，请在企业库中合并")})
    snapshot = {
        "name": other.name, "uscc": other.uscc, "status": other.status, "province": other.province, "city": other.city,
        "tags": sorted(other.tags.values_list("name", flat=True)), "nodes": sorted(other.nodes.values_list("pk", flat=True)),
        "follow_ups": sorted(other.follow_ups.values_list("pk", flat=True)),
        "relations": [[r.kind, r.enterprise_id] for r in other.relations.all()],
    }
    other_uscc = other.uscc
    if other_uscc:  # free the code before the kept target takes it
        other.uscc = ""
        other.save()
    for field in MERGE_FILL_FIELDS:
        value = other_uscc if field == "uscc" else getattr(other, field)
        if value and not getattr(keep, field):
            setattr(keep, field, value)
    if other.notes:
        keep.notes = "\n".join(filter(None, [keep.notes, other.notes]))
    order = [*APPROACH_STEPS, ApproachStatus.CONVERTED]
    from_status = keep.status
    if order.index(other.status) > order.index(keep.status):
        keep.status = other.status
        if other.status == ApproachStatus.CONVERTED:
            keep.enterprise, keep.project, keep.converted_on = other.enterprise, other.project, other.converted_on
    keep.nodes.add(*other.nodes.all())
    keep.tags.add(*other.tags.all())
    for follow_up in other.follow_ups.all():
        follow_up.target = keep
        follow_up.save()
    for relation in other.relations.all():
        if keep.relations.filter(kind=relation.kind, enterprise_id=relation.enterprise_id).exists():
            continue
        relation.target = keep
        relation.save()
    if other_uscc:
        other.uscc = other_uscc
    other_status = other.status
    other.status, other.merged_into = ApproachStatus.MERGED, keep
    other.version += 1
    other.save()
    keep.version += 1
    _derive_target(keep)
    keep.save()
    _refresh_last_contact(keep)
    _event(keep, TargetEvent.Kind.MERGED, today, actor, from_status=from_status, to_status=keep.status,
           note=_("合并“%(name)s”") % {"name": other.name}, data={"merged": other.pk, "snapshot": snapshot})
    _event(other, TargetEvent.Kind.MERGED, today, actor, from_status=other_status, to_status=ApproachStatus.MERGED,
           note=_("合并至“%(name)s”") % {"name": keep.name}, data={"kept": keep.pk})
    return keep


def targeting_settings(zone: Zone) -> TargetingSettings:
    """The zone's targeting settings; the defaults (京津冀, 长三角, 粤港澳) until changed."""
    found = TargetingSettings.objects.filter(zone=zone).first()
    return found or TargetingSettings(zone=zone, priority_regions=list(DEFAULT_PRIORITY_REGIONS))


@transaction.atomic
def update_targeting_settings(zone: Zone, *, priority_regions, actor=None) -> TargetingSettings:
    regions = list(dict.fromkeys(priority_regions))
    bad = [region for region in regions if region not in SourceRegion.values]
    if bad:
        raise ValidationError({"priority_regions": _("地区“%(region)s”无法识别") % {"region": bad[0]}})
    settings_, _created = TargetingSettings.objects.get_or_create(zone=zone, defaults={"priority_regions": regions})
    if settings_.priority_regions != regions:
        settings_.priority_regions = regions
        settings_.save()
    return settings_
