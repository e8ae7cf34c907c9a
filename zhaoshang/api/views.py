"""The /api/v1/ endpoints. Every queryset starts from visible_to(request.user); every
write goes through the owning app's actions module."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.api import filters, permissions as perms, serializers as s
from zhaoshang.api import errors as api_errors
from zhaoshang.api.errors import VersionConflict
from zhaoshang.api.strict import StrictQueryParams
from zhaoshang.core import access
from zhaoshang.core.models import OrgUnit, Park, Role, Zone
from zhaoshang.enterprises import actions as enterprise_actions
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects import duplicates, kpi
from zhaoshang.projects.models import DateCorrection, FollowUp, FundArrival, Project, StageChange
from zhaoshang.projects.stages import DATE_FIELD

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description=_("输入有误")),
    401: OpenApiResponse(s.ErrorSerializer, description=_("未认证")),
    403: OpenApiResponse(s.ErrorSerializer, description=_("无权操作")),
    404: OpenApiResponse(s.ErrorSerializer, description=_("不存在或无权查看")),
    409: OpenApiResponse(s.ErrorSerializer, description=_("版本冲突，未作修改")),
    429: OpenApiResponse(s.ErrorSerializer, description=_("请求过于频繁")),
}


def errors(*codes):
    return {code: ERRORS[code] for code in (401, 429, *codes)}


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("读取时的项目版本号（响应头 ETag 的值）；不符时返回 409"),
)


def _version_from(request, body_version):
    """The version the client read: the If-Match header, else `version` in the body."""
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit():
            raise ValidationError({"If-Match": [_("If-Match 应为项目版本号，如 \"3\"")]})
        return int(value)
    return body_version


def _default_zone(user, zone):
    """The zone a new row goes to: the one given, else the user's only zone."""
    if zone is not None:
        return zone
    zones = Zone.objects.visible_to(user)
    zones = list(zones[:2])
    if len(zones) != 1:
        raise ValidationError({"zone": [_("请指定园区代码")]})
    return zones[0]


def _with_etag(response, project):
    response["ETag"] = f'"{project.version}"'
    return response


class _ListRead(StrictQueryParams):
    """Paging, filtering and ordering on a queryset that starts from visible_to."""

    model = None

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        return self.base_queryset()


@extend_schema_view(
    list=extend_schema(summary=_("用户所属的园区"), responses={200: s.ZoneSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("园区"), responses={200: s.ZoneSerializer, **errors(404)}),
)
class ZoneViewSet(_ListRead, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ZoneSerializer
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        user = self.request.user
        return Zone.objects.visible_to(user)


def _reference(model_, serializer, filterset, summary, ordering, related=("zone",)):
    @extend_schema_view(
        list=extend_schema(summary=summary, responses={200: serializer(many=True), **errors(400, 404)}),
        retrieve=extend_schema(summary=summary, responses={200: serializer, **errors(404)}),
    )
    class ReferenceViewSet(_ListRead, viewsets.ReadOnlyModelViewSet):
        model = model_
        serializer_class = serializer
        filterset_class = filterset
        ordering_fields = ordering

        def get_queryset(self):
            return self.base_queryset().select_related(*related)

    ReferenceViewSet.__name__ = f"{model_.__name__}ViewSet"
    ReferenceViewSet.__qualname__ = ReferenceViewSet.__name__
    return ReferenceViewSet


UnitViewSet = _reference(OrgUnit, s.UnitSerializer, filters.UnitFilter, _("单位（专班、国企、部门等）"), ["name", "kind", "sort_order"])
ParkViewSet = _reference(Park, s.ParkSerializer, filters.ParkFilter, _("载体园区"), ["name"])
ClusterViewSet = _reference(IndustryCluster, s.ClusterSerializer, filters.ClusterFilter, _("产业集群"), ["name", "sort_order"])
ChainViewSet = _reference(IndustryChain, s.ChainSerializer, filters.ChainFilter, _("产业链"), ["name", "sort_order", "tier"],
                          related=("zone", "cluster"))


@extend_schema_view(
    list=extend_schema(summary=_("企业列表"), responses={200: s.EnterpriseSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("企业"), responses={200: s.EnterpriseSerializer, **errors(404)}),
    create=extend_schema(summary=_("登记企业"), responses={201: s.EnterpriseSerializer, **errors(400, 403)}),
    update=extend_schema(summary=_("修改企业"), request=s.EnterpriseUpdateSerializer,
                         responses={200: s.EnterpriseSerializer, **errors(400, 403, 404)}),
    partial_update=extend_schema(summary=_("修改企业（部分字段）"), request=s.EnterpriseUpdateSerializer,
                                 responses={200: s.EnterpriseSerializer, **errors(400, 403, 404)}),
)
class EnterpriseViewSet(_ListRead, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Enterprise
    filterset_class = filters.EnterpriseFilter
    # Sorted by the page FilterSet's `sort` (name, uscc, projects), not by Ordering.
    filter_backends = [filters.AllZonesFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        # contacts_visible spares a query per row when masking contacts; project_count
        # counts the projects the user may see, as on the page.
        user = self.request.user
        enterprises = self.base_queryset().with_contact_access(user).select_related("zone").prefetch_related("tags")
        return enterprise_selectors.with_project_counts(enterprises, user)

    def _fresh(self, enterprise):
        return self.get_queryset().filter(pk=enterprise.pk).first() or enterprise

    def get_serializer_class(self):
        return s.EnterpriseUpdateSerializer if self.action in {"update", "partial_update"} else s.EnterpriseSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        zone = _default_zone(self.request.user, data.pop("zone", None))
        if not perms.can_write_zone_data(self.request.user, zone.pk):
            raise PermissionDenied(_("无权在该园区登记企业"))
        serializer.instance = self._fresh(enterprise_actions.create_enterprise(zone=zone, actor=self.request.user, **data))

    def perform_update(self, serializer):
        enterprise = serializer.instance
        if not perms.can_write_zone_data(self.request.user, enterprise.zone_id):
            raise PermissionDenied(_("无权修改该企业"))
        data = dict(serializer.validated_data)
        if "name" in data and not data["name"].strip():
            raise ValidationError({"name": [_("企业名称不能为空")]})
        serializer.instance = self._fresh(enterprise_actions.update_enterprise(enterprise, actor=self.request.user, **data))


PROJECT_RELATED = ("zone", "investor", "cluster", "chain", "responsible_unit", "park")


@extend_schema_view(
    list=extend_schema(summary=_("项目列表（与项目页面相同的筛选条件）"), responses={200: s.ProjectSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("项目"), responses={200: s.ProjectSerializer, **errors(404)}),
    create=extend_schema(summary=_("新建项目（可带历史日期；疑似重复时返回 409）"), request=s.ProjectCreateSerializer,
                         responses={201: s.ProjectSerializer, **errors(400, 403, 409)}),
    update=extend_schema(summary=_("修改项目"), request=s.ProjectUpdateSerializer, parameters=[IF_MATCH],
                         responses={200: s.ProjectSerializer, **errors(400, 403, 404, 409)}),
    partial_update=extend_schema(summary=_("修改项目（部分字段）"), request=s.ProjectUpdateSerializer, parameters=[IF_MATCH],
                                 responses={200: s.ProjectSerializer, **errors(400, 403, 404, 409)}),
)
class ProjectViewSet(_ListRead, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Project
    filterset_class = filters.ProjectFilter
    # Sorted by the FilterSet's `sort` (the page's values: amount, -signed …), not by Ordering.
    filter_backends = [filters.AllZonesFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    error_field_map = {"on": "date", "new_date": "new_date"}

    def get_queryset(self):
        return self.base_queryset().select_related(*PROJECT_RELATED).prefetch_related("leaders")

    def get_serializer_class(self):
        if self.action == "create":
            return s.ProjectCreateSerializer
        if self.action in {"update", "partial_update"}:
            return s.ProjectUpdateSerializer
        if self.action == "change_stage":
            return s.ChangeStageSerializer
        if self.action == "correct_date":
            return s.CorrectDateSerializer
        return s.ProjectSerializer

    def _reply(self, project, status_code=status.HTTP_200_OK):
        project = self.get_queryset().filter(pk=project.pk).first() or project
        data = s.ProjectSerializer(project, context=self.get_serializer_context()).data
        return _with_etag(Response(data, status=status_code), project)

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        return _with_etag(Response(self.get_serializer(project).data), project)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        zone = _default_zone(user, data.pop("zone", None))
        unit = data.get("responsible_unit")
        writer = access.is_superuser(user) or zone.pk in access.zone_ids(user, perms.WRITER_ROLES)
        if unit is None and not writer:
            # A unit member's project is its unit's (else the member could not see it).
            own = [m.unit for m in access.memberships(user) if m.zone_id == zone.pk and m.role == Role.UNIT and m.unit]
            if len(own) > 1:
                raise ValidationError({"responsible_unit": [_("请指定责任单位")]})
            if own:
                data["responsible_unit"] = unit = own[0]
            else:
                raise PermissionDenied(_("无权在该园区新建项目"))
        if not perms.can_create_project(user, zone, unit):
            raise PermissionDenied(_("无权在该园区为该单位新建项目"))
        confirmed = data.pop("confirm_duplicate", False)
        if not confirmed:
            investor = data.get("investor")
            matches = duplicates.find_near_duplicates(zone, [duplicates.Candidate(
                name=data.get("name") or "", investor_uscc=investor.uscc if investor else "",
                investor_name=investor.name if investor else "", total_investment=data.get("total_investment"),
                signed_on=data.get("signed_on"), parent_id=data["parent"].pk if data.get("parent") else None,
            )])[0]
            if matches:
                return Response(api_errors.body(
                    "near_duplicate", _("本园区已有疑似重复的项目，同一项目只能统计一次；确属不同项目请带 confirm_duplicate=true 重新提交"),
                    matches=s.NearDuplicateSerializer(matches, many=True).data,
                ), status=status.HTTP_409_CONFLICT)
        project = project_actions.create_project(
            zone=zone, actor=user, leaders=data.pop("leaders", ()), stage=data.pop("stage", None),
            enforce_requirements=True, **data,
        )
        return self._reply(project, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if not perms.can_write_project(request.user, project):
            raise PermissionDenied(_("无权修改该项目"))
        self._refuse_stage_dates(request, project)
        data = dict(serializer.validated_data)
        expected = _version_from(request, data.pop("version", None))
        leaders = data.pop("leaders", None)
        unit = data.get("responsible_unit", project.responsible_unit)
        if "responsible_unit" in data and not perms.can_create_project(request.user, project.zone, unit):
            raise PermissionDenied(_("不能把项目移交给本单位以外的单位"))
        project = project_actions.update_project(
            project, actor=request.user, expected_version=expected, leaders=leaders, enforce_requirements=True, **data
        )
        return self._reply(project)

    def _refuse_stage_dates(self, request, project):
        """A stage date sent with a different value is refused, pointing to the logged
        ways of changing it (the same value, as in a read-modify-write PUT, is ignored)."""
        if not hasattr(request.data, "get"):
            return
        wrong = {}
        for field in sorted(project_actions.STAGE_DATE_FIELDS):
            if field not in request.data:
                continue
            current = getattr(project, field)
            if (request.data.get(field) or None) != (current.isoformat() if current else None):
                wrong[field] = [_("阶段日期不能在此修改：请用 POST /api/v1/projects/%(id)s/correct-date/ 更正（留有更正记录），"
                                  "或用 change-stage 办理阶段变更") % {"id": project.pk}]
        if wrong:
            raise ValidationError(wrong)

    @extend_schema(
        summary=_("阶段变更（按统一的阶段规则）"), request=s.ChangeStageSerializer, parameters=[IF_MATCH],
        responses={201: s.StageChangeResultSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="change-stage")
    def change_stage(self, request, pk=None, format=None):  # noqa: A002 -- the router's .json suffix
        project = self.get_object()
        serializer = s.ChangeStageSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if not perms.can_write_project(request.user, project):
            raise PermissionDenied(_("无权变更该项目的阶段"))
        data = serializer.validated_data
        expected = _version_from(request, data.get("version"))
        with transaction.atomic():
            current = Project.objects.select_for_update().get(pk=project.pk)
            if expected is not None and current.version != expected:
                raise VersionConflict(current.version)
            change = project_actions.change_stage(
                current, to_stage=data["to_stage"], on=data["date"], actor=request.user, reason=data.get("reason", ""),
                enforce_requirements=True,
            )
        change = StageChange.objects.select_related("project", "recorded_by").get(pk=change.pk)
        response = Response(s.StageChangeResultSerializer(change).data, status=status.HTTP_201_CREATED)
        return _with_etag(response, change.project)


    @extend_schema(
        summary=_("更正阶段日期（记录更正人、时间、原日期、新日期和原因）"), request=s.CorrectDateSerializer,
        parameters=[IF_MATCH], responses={201: s.DateCorrectionSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="correct-date")
    def correct_date(self, request, pk=None, format=None):  # noqa: A002 -- the router's .json suffix
        project = self.get_object()
        serializer = s.CorrectDateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not perms.can_write_project(request.user, project):
            raise PermissionDenied(_("无权更正该项目的日期"))
        data = serializer.validated_data
        expected = _version_from(request, None)
        with transaction.atomic():
            current = Project.objects.select_for_update().get(pk=project.pk)
            if expected is not None and current.version != expected:
                raise VersionConflict(current.version)
            rows = current.stage_changes.all()
            if data.get("stage_change"):
                row = rows.filter(pk=data["stage_change"]).first()
            else:
                copy = getattr(current, DATE_FIELD.get(data["stage"], ""), None)
                rows = rows.filter(to_stage=data["stage"])
                row = (rows.filter(date=copy) if copy else rows).order_by("-date", "-id").first()
            if row is None:
                raise ValidationError({"stage_change": [_("该项目没有这条阶段记录")]})
            correction = project_actions.correct_stage_date(row, data["new_date"], data["reason"], request.user)
        correction = DateCorrection.objects.select_related("project", "corrected_by").get(pk=correction.pk)
        response = Response(s.DateCorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)
        return _with_etag(response, correction.project)


@extend_schema_view(
    list=extend_schema(summary=_("阶段变更记录"), responses={200: s.StageChangeSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("阶段变更记录"), responses={200: s.StageChangeSerializer, **errors(404)}),
)
class StageChangeViewSet(_ListRead, viewsets.ReadOnlyModelViewSet):
    """Stage changes are made with POST /api/v1/projects/{id}/change-stage/."""

    model = StageChange
    serializer_class = s.StageChangeSerializer
    filterset_class = filters.StageChangeFilter
    ordering_fields = ["date", "created_at"]

    def get_queryset(self):
        return self.base_queryset().select_related("recorded_by")


class _ProjectChild(_ListRead, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """A record of a project (follow-up, fund arrival): created and deleted by whoever may
    write the project."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ["date", "created_at"]

    def _check_write(self, project):
        if not perms.can_write_project(self.request.user, project):
            raise PermissionDenied(_("无权修改该项目的记录"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        self._check_write(project)
        serializer.instance = self.add(project, data)

    def perform_destroy(self, instance):
        self._check_write(instance.project)
        self.remove(instance)


@extend_schema_view(
    list=extend_schema(summary=_("跟进记录"), responses={200: s.FollowUpSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("跟进记录"), responses={200: s.FollowUpSerializer, **errors(404)}),
    create=extend_schema(summary=_("添加跟进记录"), responses={201: s.FollowUpSerializer, **errors(400, 403)}),
    destroy=extend_schema(summary=_("删除跟进记录"), responses={204: None, **errors(403, 404)}),
)
class FollowUpViewSet(_ProjectChild):
    model = FollowUp
    serializer_class = s.FollowUpSerializer
    filterset_class = filters.FollowUpFilter

    def get_queryset(self):
        return self.base_queryset().select_related("recorded_by").prefetch_related("participants")

    def add(self, project, data):
        participants = data.pop("participants", ())
        return project_actions.add_follow_up(project, actor=self.request.user, participants=participants, **data)

    def remove(self, instance):
        project_actions.delete_follow_up(instance, actor=self.request.user)


@extend_schema_view(
    list=extend_schema(summary=_("资金到位"), responses={200: s.FundArrivalSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("资金到位"), responses={200: s.FundArrivalSerializer, **errors(404)}),
    create=extend_schema(summary=_("登记资金到位"), responses={201: s.FundArrivalSerializer, **errors(400, 403)}),
    destroy=extend_schema(summary=_("删除资金到位"), responses={204: None, **errors(403, 404)}),
)
class FundArrivalViewSet(_ProjectChild):
    model = FundArrival
    serializer_class = s.FundArrivalSerializer
    filterset_class = filters.FundArrivalFilter
    ordering_fields = ["date", "amount", "created_at"]

    def get_queryset(self):
        return self.base_queryset().select_related("recorded_by")

    def add(self, project, data):
        return project_actions.add_fund_arrival(project, actor=self.request.user, **data)

    def remove(self, instance):
        project_actions.delete_fund_arrival(instance, actor=self.request.user)


class KpiView(StrictQueryParams, APIView):
    """The figures of docs/figures.md over the projects the user may count — the same keys
    and values as `zhaoshang kpi --json`."""

    def allowed_query_params(self):
        return dict.fromkeys(s.KpiQuerySerializer().fields)

    @extend_schema(
        summary=_("招商指标（docs/figures.md）"),
        parameters=[s.KpiQuerySerializer],
        responses={200: s.KpiSerializer, **errors(400)},
    )
    def get(self, request):
        query = s.KpiQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        zones = self._zones(request.user, params.get("zone"))
        try:
            period = kpi.Period(params["from"], params["to"], params.get("as_of"))
        except ValueError:
            raise ValidationError({"from": [_("起始日期不能晚于截止日期")]}) from None
        narrowing = self._narrowing(request.user, zones, params)
        figures = kpi.compute(kpi.scope(zones, projects=Project.objects.figures_visible_to(request.user), **narrowing), period)
        return Response(kpi.as_json(figures))

    def _zones(self, user, codes):
        allowed = Zone.objects.visible_to(user)
        if not codes:
            zones = list(allowed)
            if not zones:
                raise ValidationError({"zone": [_("您还不属于任何园区")]})
            return zones
        wanted = [code.strip() for code in codes.split(",") if code.strip()]
        zones = {zone.code: zone for zone in allowed.filter(code__in=wanted)}
        missing = [code for code in wanted if code not in zones]
        if missing or not wanted:
            raise ValidationError({"zone": [_("园区“%(code)s”不存在或无权查看") % {"code": "、".join(missing) or codes}]})
        return [zones[code] for code in dict.fromkeys(wanted)]

    def _narrowing(self, user, zones, params):
        lookups = {"unit": (OrgUnit, _("责任单位")), "chain": (IndustryChain, _("产业链")),
                   "cluster": (IndustryCluster, _("产业集群")), "park": (Park, _("落地园区"))}
        narrowing = {}
        for key, (model, label) in lookups.items():
            if key not in params:
                continue
            if len(zones) != 1:
                raise ValidationError({key: [_("%(label)s只能用于单个园区") % {"label": label}]})
            found = model.objects.visible_to(user).filter(zone=zones[0], pk=params[key]).first()
            if found is None:
                raise ValidationError({key: [_("%(zone)s没有 id 为 %(id)s 的%(label)s") % {"zone": zones[0].name, "id": params[key], "label": label}]})
            narrowing[key] = found
        return narrowing
