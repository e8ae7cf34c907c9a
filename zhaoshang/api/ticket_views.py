"""Tickets (入企服务诉求) over the API: read through Ticket.visible_to, raised and moved
through zhaoshang.tickets.actions (its guards decide who may do what), figures from
zhaoshang.tickets.figures for those who may read them on the pages."""


from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.api.filters import AllZonesFilterBackend
from zhaoshang.api.ordering import Ordering
from zhaoshang.api.serializers import PeriodQuerySerializer, Scoped, ZoneField
from zhaoshang.api.strict import StrictQueryParams
from zhaoshang.core import access
from zhaoshang.core.models import OrgUnit, Role, Zone
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project
from zhaoshang.tickets import actions, figures
from zhaoshang.tickets.filters import TicketFilter
from zhaoshang.tickets.models import Channel, Rating, Severity, Ticket, TicketCategory, TicketEvent

# ---------------------------------------------------------------- serializers


class TicketEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = TicketEvent
        fields = ["id", "kind", "at", "date", "actor", "department", "status_after", "note", "rating",
                  "ack_due", "solve_due", "on_time", "working_days"]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True, default=None, allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True, default=None,
                                                 allow_null=True)
    raised_by = serializers.CharField(source="raised_by.username", read_only=True, default=None, allow_null=True)
    rating = serializers.ChoiceField(choices=[("", "")] + list(Rating.choices), read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "zone", "code", "project", "project_name", "enterprise", "enterprise_name", "category",
                  "category_name", "title", "description", "channel", "severity", "raised_by", "raised_on", "status",
                  "lead_department", "lead_department_name", "co_departments", "assigned_on", "ack_due",
                  "acknowledged_on", "solve_due", "resolved_on", "resolution", "rating", "rated_on",
                  "created_at", "updated_at"]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    events = TicketEventSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField(help_text=gettext_lazy("当前用户现在可做的操作"))

    class Meta(TicketSerializer.Meta):
        fields = TicketSerializer.Meta.fields + ["available_actions", "events"]
        read_only_fields = fields

    def get_available_actions(self, ticket) -> list[str]:
        request = self.context["request"]
        return sorted(name for name in actions.available_actions(request.user, ticket) if name != "attach")


class RaiseTicketSerializer(serializers.Serializer):
    zone = ZoneField(required=False, help_text=gettext_lazy("园区代码；只属于一个园区的用户可省略"))
    category = serializers.CharField(max_length=30, help_text=gettext_lazy("诉求类别名称，如“用地”"))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    project = Scoped(Project, required=False, allow_null=True)
    enterprise = Scoped(Enterprise, required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.VISIT)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.ORDINARY)
    raised_on = serializers.DateField(required=False, allow_null=True)
    department = Scoped(OrgUnit, required=False, allow_null=True, help_text=gettext_lazy("牵头部门（投资促进局登记时可直接分派）"))
    co_departments = Scoped(OrgUnit, many=True, required=False)


class AssignSerializer(serializers.Serializer):
    department = Scoped(OrgUnit, help_text=gettext_lazy("牵头部门"))
    co_departments = Scoped(OrgUnit, many=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True, help_text=gettext_lazy("办理结果"))


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CategorySerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TicketCategory
        fields = ["id", "zone", "name", "sort_order", "is_active"]


# ---------------------------------------------------------------- views

def _errors(*codes):
    from zhaoshang.api.views import errors

    return errors(*codes)


# name → (serializer, call)
STEPS = {
    "assign": (AssignSerializer, lambda t, u, d: actions.assign_ticket(
        t, department=d["department"], co_departments=d.get("co_departments") or [], actor=u, note=d.get("note", ""))),
    "reassign": (AssignSerializer, lambda t, u, d: actions.assign_ticket(
        t, department=d["department"], co_departments=d.get("co_departments") or [], actor=u, note=d.get("note", ""))),
    "acknowledge": (NoteSerializer, lambda t, u, d: actions.acknowledge_ticket(t, actor=u, note=d.get("note", ""))),
    "return": (ReasonSerializer, lambda t, u, d: actions.return_ticket(t, actor=u, reason=d["reason"])),
    "resolve": (ResolveSerializer, lambda t, u, d: actions.resolve_ticket(t, actor=u, resolution=d["resolution"])),
    "rate": (RateSerializer, lambda t, u, d: actions.rate_ticket(t, actor=u, rating=d["rating"], note=d.get("note", ""))),
    "visit": (NoteSerializer, lambda t, u, d: actions.record_visit(t, actor=u, note=d.get("note", ""))),
    "reopen": (ReasonSerializer, lambda t, u, d: actions.reopen_ticket(t, actor=u, reason=d["reason"])),
    "note": (NoteSerializer, lambda t, u, d: actions.add_note(t, actor=u, note=d.get("note", ""))),
}
STEP_SUMMARIES = {
    "assign": gettext_lazy("分派（投资促进局）"), "reassign": gettext_lazy("重新分派（投资促进局）"),
    "acknowledge": gettext_lazy("受理（牵头部门）"), "return": gettext_lazy("退回投资促进局（牵头部门）"),
    "resolve": gettext_lazy("办结（牵头部门）"), "rate": gettext_lazy("录入企业评价（投资促进局）"),
    "visit": gettext_lazy("回访"), "reopen": gettext_lazy("重新打开（投资促进局）"),
    "note": gettext_lazy("填写办理意见"),
}


class TicketFilterBackend(AllZonesFilterBackend):
    """The page's TicketFilter, given the user's departments; its choices from all the
    user's zones (AllZonesFilterBackend)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["departments"] = [m.unit_id for m in access.memberships(request.user) if m.role == Role.DEPARTMENT]
        return kwargs


def _step_action(name):
    serializer_class, call = STEPS[name]

    def step(self, request, pk=None, format=None):  # noqa: A002 -- the router's .json suffix
        ticket = self.get_object()
        data = serializer_class(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        actions.CHECKS[name](request.user, ticket)  # PermissionDenied → 403, wrong status → 400
        call(ticket, request.user, data.validated_data)
        return Response(TicketDetailSerializer(self.get_queryset().get(pk=ticket.pk),
                                               context=self.get_serializer_context()).data)

    step.__name__ = f"step_{name}"
    step = action(detail=True, methods=["post"], url_path=name, url_name=name)(step)
    return extend_schema(summary=STEP_SUMMARIES[name], request=serializer_class,
                         responses={200: TicketDetailSerializer, **_errors(400, 403, 404)})(step)


@extend_schema_view(
    list=extend_schema(summary=_("服务诉求列表（与诉求页面相同的筛选条件）"),
                       responses={200: TicketSerializer(many=True), **_errors(400, 404)}),
    retrieve=extend_schema(summary=_("服务诉求（含办理记录）"), responses={200: TicketDetailSerializer, **_errors(404)}),
    create=extend_schema(summary=_("登记服务诉求"), request=RaiseTicketSerializer,
                         responses={201: TicketDetailSerializer, **_errors(400, 403)}),
)
class TicketViewSet(StrictQueryParams, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = TicketFilter
    filter_backends = [TicketFilterBackend, Ordering]
    ordering_fields = ["raised_on", "code", "status", "solve_due", "updated_at"]

    def get_queryset(self):
        tickets = Ticket.objects.visible_to(self.request.user).select_related(
            "zone", "project", "enterprise", "category", "lead_department", "raised_by"
        ).prefetch_related("co_departments")
        if self.action == "retrieve" or self.action in STEPS:
            tickets = tickets.prefetch_related("events__actor")
        return tickets.order_by("-raised_on", "-id")

    def get_serializer_class(self):
        if self.action == "create":
            return RaiseTicketSerializer
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    def create(self, request, *args, **kwargs):
        serializer = RaiseTicketSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        zone = data.pop("zone", None)
        project = data.get("project")
        if zone is None:
            zone = project.zone if project is not None else _only_zone(request.user)
        ticket = actions.raise_ticket(zone=zone, actor=request.user, co_departments=data.pop("co_departments", ()), **data)
        ticket = self.get_queryset().prefetch_related("events__actor").filter(pk=ticket.pk).first() or ticket
        return Response(TicketDetailSerializer(ticket, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


for _name in STEPS:
    setattr(TicketViewSet, f"step_{_name}", _step_action(_name))


def _only_zone(user):
    zones = list(Zone.objects.visible_to(user)[:2])
    if len(zones) != 1:
        raise ValidationError({"zone": [_("请指定园区代码")]})
    return zones[0]


@extend_schema_view(
    list=extend_schema(summary=_("诉求类别"), responses={200: CategorySerializer(many=True), **_errors(400, 404)}),
    retrieve=extend_schema(summary=_("诉求类别"), responses={200: CategorySerializer, **_errors(404)}),
)
class TicketCategoryViewSet(StrictQueryParams, viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    filter_backends = [Ordering]
    ordering_fields = ["name", "sort_order"]

    def get_queryset(self):
        return TicketCategory.objects.visible_to(self.request.user).select_related("zone")


# ---------------------------------------------------------------- figures


def _figure_fields():
    fields = {}
    for code, label in figures.FIGURES:
        if code in figures.RATES:
            fields[code] = serializers.FloatField(allow_null=True, help_text=f"{label}（小数；无分母时为 null）")
        elif code == "avg_working_days":
            fields[code] = serializers.FloatField(allow_null=True, help_text=label)
        else:
            fields[code] = serializers.IntegerField(help_text=label)
    return fields


TicketFiguresSerializer = type("TicketFigures", (serializers.Serializer,), _figure_fields())
TicketFigureRowSerializer = type("TicketFigureRow", (TicketFiguresSerializer,), {
    "id": serializers.IntegerField(), "name": serializers.CharField(),
})


TicketFigureQuery = PeriodQuerySerializer


def _number(value):
    return float(value) if value is not None and not isinstance(value, int) else value


class TicketFiguresView(StrictQueryParams, APIView):
    """受理数、办结率、按期办结率、满意率 … for the zone, each department and each category;
    the same numbers as the ticket figures page, for the same readers (the bureau,
    leadership, administrators and observers)."""

    def allowed_query_params(self):
        return dict.fromkeys(TicketFigureQuery().fields)

    @extend_schema(
        summary=_("服务诉求统计"),
        parameters=[TicketFigureQuery],
        responses={
            200: inline_serializer("TicketFigureReport", {
                "zone": serializers.CharField(),
                "total": TicketFiguresSerializer(),
                "departments": TicketFigureRowSerializer(many=True),
                "categories": TicketFigureRowSerializer(many=True),
            }),
            **_errors(400, 403),
        },
    )
    def get(self, request):
        query = TicketFigureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        user = request.user
        zone = self._zone(user, params.get("zone"))
        if not (actions.is_manager(user, zone) or zone.pk in access.observer_zone_ids(user)):
            raise PermissionDenied(_("只有投资促进局、管委会领导和上级观察员可以查看诉求统计"))
        start, end, as_of = params["from"], params["to"], params.get("as_of")
        names = dict(OrgUnit.objects.filter(zone=zone).values_list("pk", "name"))
        categories = dict(TicketCategory.objects.filter(zone=zone).values_list("pk", "name"))

        def row(figs):
            return {code: _number(figs[code]) for code, _label in figures.FIGURES}

        return Response({
            "zone": zone.code,
            "total": row(figures.zone_figures(zone, start, end, as_of)),
            "departments": [{"id": pk, "name": names.get(pk, ""), **row(figs)}
                            for pk, figs in figures.department_figures(zone, start, end, as_of).items()],
            "categories": [{"id": pk, "name": categories.get(pk, ""), **row(figs)}
                           for pk, figs in figures.category_figures(zone, start, end, as_of).items()],
        })

    def _zone(self, user, code):
        if not code:
            return _only_zone(user)
        zone = Zone.objects.visible_to(user).filter(code=code.strip()).first()
        if zone is None:
            raise ValidationError({"zone": [_("园区“%(code)s”不存在或无权查看") % {"code": code}]})
        return zone
