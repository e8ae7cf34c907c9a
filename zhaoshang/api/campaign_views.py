"""招商活动 over the API: trips with their visits, events with the projects signed at them,
introducers (read through each model's visible_to), and the figures per source from
zhaoshang.projects.kpi.by_source — the same numbers as the 招商活动 page."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.api.serializers import PeriodQuerySerializer
from zhaoshang.api.views import errors
from zhaoshang.api.strict import StrictQueryParams
from zhaoshang.campaigns.models import Event, EventProject, Introducer, Source, Trip, TripVisit
from zhaoshang.core.models import Zone
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project


class TripVisitSerializer(serializers.ModelSerializer):
    project_name = serializers.SerializerMethodField()

    class Meta:
        model = TripVisit
        fields = ["id", "date", "company_name", "met_with", "discussion", "outcome", "project", "project_name"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_project_name(self, visit) -> str | None:
        visible = self.context.get("visible_projects", set())
        return visit.project.name if visit.project_id in visible else None


class TripSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    team = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    visits = TripVisitSerializer(many=True, read_only=True)

    class Meta:
        model = Trip
        fields = ["id", "zone", "title", "unit", "unit_name", "start_on", "end_on", "region", "province", "city", "purpose",
                  "team", "status", "summary", "visits", "created_at", "updated_at"]
        read_only_fields = fields


class SigningSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    total_investment = serializers.DecimalField(source="project.total_investment", max_digits=16, decimal_places=2,
                                                read_only=True, coerce_to_string=False)

    class Meta:
        model = EventProject
        fields = ["order", "project", "project_name", "total_investment"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    signings = SigningSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "zone", "kind", "title", "date", "place", "organiser", "attendees", "guests", "signings",
                  "created_at", "updated_at"]
        read_only_fields = fields


class IntroducerSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Introducer
        fields = ["id", "zone", "name", "kind", "organisation", "is_active"]
        read_only_fields = fields


class _Read(StrictQueryParams, viewsets.ReadOnlyModelViewSet):
    model = None
    related = ()

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(*self.related)


@extend_schema_view(
    list=extend_schema(summary=_("外出招商"), responses={200: TripSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("外出招商"), responses={200: TripSerializer, **errors(404)}),
)
class TripViewSet(_Read):
    model = Trip
    related = ("zone", "unit")
    serializer_class = TripSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("team", "visits__project")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_projects"] = set(
            Project.objects.visible_to(self.request.user).filter(trip_visits__isnull=False).values_list("pk", flat=True)
        )
        return context


@extend_schema_view(
    list=extend_schema(summary=_("招商活动"), responses={200: EventSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("招商活动"), responses={200: EventSerializer, **errors(404)}),
)
class EventViewSet(_Read):
    model = Event
    related = ("zone",)
    serializer_class = EventSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("signings__project")


@extend_schema_view(
    list=extend_schema(summary=_("引荐人"), responses={200: IntroducerSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("引荐人"), responses={200: IntroducerSerializer, **errors(404)}),
)
class IntroducerViewSet(_Read):
    model = Introducer
    related = ("zone",)
    serializer_class = IntroducerSerializer


class SourceFiguresView(StrictQueryParams, APIView):
    """Leads, signings, 签约总投资, conversion and median days to signing per source, over
    the projects the user may count."""

    def allowed_query_params(self):
        return dict.fromkeys(PeriodQuerySerializer().fields)

    @extend_schema(
        summary=_("按项目来源的招商成效"),
        parameters=[PeriodQuerySerializer],
        responses={200: inline_serializer("SourceFigures", {
            "from": serializers.DateField(), "to": serializers.DateField(), "as_of": serializers.DateField(),
            "sources": inline_serializer("SourceFigureRow", {
                "source": serializers.CharField(help_text=_("来源代码；none 为未登记来源")),
                "label": serializers.CharField(),
                "leads": serializers.IntegerField(help_text=_("线索数")),
                "signed_count": serializers.IntegerField(help_text=_("签约项目数")),
                "signed_investment": serializers.FloatField(help_text=_("签约总投资（万元）")),
                "conversion_rate": serializers.FloatField(allow_null=True, help_text=_("线索转化率（小数）")),
                "median_days_to_sign": serializers.IntegerField(allow_null=True, help_text=_("线索到签约天数（中位数）")),
            }, many=True),
        }), **errors(400)},
    )
    def get(self, request):
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        zones = Zone.objects.visible_to(request.user)
        if params.get("zone"):
            zones = zones.filter(code=params["zone"])
            if not zones.exists():
                raise ValidationError({"zone": [_("园区“%(code)s”不存在或无权查看") % {"code": params["zone"]}]})
        try:
            period = kpi.Period(params["from"], params["to"], params.get("as_of"))
        except ValueError:
            raise ValidationError({"from": [_("起始日期不能晚于截止日期")]}) from None
        projects = Project.objects.figures_visible_to(request.user).filter(zone__in=zones)
        figures = kpi.by_source(projects, period)
        labels = dict(Source.choices)
        rows = []
        for key, row in figures.items():
            rows.append({
                "source": key or "none", "label": str(labels.get(key, _("未登记来源"))),
                "leads": row["leads"], "signed_count": row["signed_count"],
                "signed_investment": float(row["signed_investment"]),
                "conversion_rate": None if row["conversion_rate"] is None else float(row["conversion_rate"]),
                "median_days_to_sign": row["median_days_to_sign"],
            })
        rows.sort(key=lambda row: list(labels).index(row["source"]) if row["source"] in labels else len(labels))
        return Response({"from": period.start, "to": period.end, "as_of": period.as_of, "sources": rows})
