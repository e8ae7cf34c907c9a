"""/api/v1/claims/ (认定: read, certify, return) and /api/v1/capital-increases/ (增资).
Querysets start from visible_to(request.user); writes go through zhaoshang.review.actions."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from zhaoshang.api import permissions as perms
from zhaoshang.api.filters import IdFilter
from zhaoshang.api.serializers import Scoped
from zhaoshang.api.views import _ListRead, errors
from zhaoshang.projects.models import CapitalIncrease, Project
from zhaoshang.review import actions as review_actions
from zhaoshang.review.models import Claim, Evidence


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "name", "size", "url", "created_at"]

    def get_url(self, evidence) -> str:
        return reverse("review:evidence", args=[evidence.pk])


class ClaimSerializer(serializers.ModelSerializer):
    certified_by = serializers.CharField(source="certified_by.username", read_only=True, default=None, allow_null=True)
    amount = serializers.DecimalField(source="capital_increase.amount", max_digits=16, decimal_places=2, read_only=True,
                                      default=None, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "project", "kind", "date", "amount", "status", "certified_on", "certified_by", "return_reason",
                  "evidence", "created_at"]
        read_only_fields = fields


class CertifySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text=_("认定日期，默认今天；事项自该日起计入统计"))


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("退回原因"))


class CapitalIncreaseSerializer(serializers.ModelSerializer):
    project = Scoped(Project)
    status = serializers.CharField(source="claim.status", read_only=True, default=None, allow_null=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text=_("增资金额（万元），大于零"))

    class Meta:
        model = CapitalIncrease
        fields = ["id", "project", "date", "amount", "note", "status", "certified_on", "created_at"]
        read_only_fields = ["certified_on", "created_at"]


class ClaimFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("项目"))
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, label=_("事项"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期起"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期止"))
    zone = django_filters.CharFilter(field_name="project__zone__code", label=_("园区代码"))

    class Meta:
        model = Claim
        fields = []


class CapitalIncreaseFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("项目"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期起"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期止"))
    zone = django_filters.CharFilter(field_name="project__zone__code", label=_("园区代码"))

    class Meta:
        model = CapitalIncrease
        fields = []


@extend_schema_view(
    list=extend_schema(summary=_("认定申报"), responses={200: ClaimSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("认定申报"), responses={200: ClaimSerializer, **errors(404)}),
)
class ClaimViewSet(_ListRead, viewsets.ReadOnlyModelViewSet):
    """Claims of 签约, 开工, 投产 and 增资 with their status and evidence; the bureau certifies
    or returns them."""

    model = Claim
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["date", "created_at"]

    def get_queryset(self):
        return self.base_queryset().select_related("certified_by", "capital_increase").prefetch_related("evidence")

    def _reply(self, claim):
        claim = self.get_queryset().get(pk=claim.pk)
        return Response(ClaimSerializer(claim, context=self.get_serializer_context()).data, status=status.HTTP_200_OK)

    @extend_schema(summary=_("认定"), request=CertifySerializer, responses={200: ClaimSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="certify")
    def certify(self, request, pk=None, format=None):  # noqa: A002 -- the router's .json suffix
        claim = self.get_object()
        serializer = CertifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not review_actions.can_certify(request.user, claim.project.zone_id):
            raise PermissionDenied(_("只有投资促进局可以认定"))
        review_actions.certify([claim], actor=request.user, on=serializer.validated_data.get("on"))
        return self._reply(claim)

    @extend_schema(summary=_("退回"), request=ReturnSerializer, responses={200: ClaimSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="return")
    def return_claim(self, request, pk=None, format=None):  # noqa: A002 -- the router's .json suffix
        claim = self.get_object()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not review_actions.can_certify(request.user, claim.project.zone_id):
            raise PermissionDenied(_("只有投资促进局可以退回"))
        review_actions.return_claim(claim, actor=request.user, reason=serializer.validated_data["reason"])
        return self._reply(claim)


@extend_schema_view(
    list=extend_schema(summary=_("增资"), responses={200: CapitalIncreaseSerializer(many=True), **errors(400, 404)}),
    retrieve=extend_schema(summary=_("增资"), responses={200: CapitalIncreaseSerializer, **errors(404)}),
    create=extend_schema(summary=_("登记增资"), responses={201: CapitalIncreaseSerializer, **errors(400, 403)}),
)
class CapitalIncreaseViewSet(_ListRead, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = CapitalIncrease
    serializer_class = CapitalIncreaseSerializer
    filterset_class = CapitalIncreaseFilter
    ordering_fields = ["date", "amount", "created_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return self.base_queryset().select_related("claim")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not perms.can_write_project(self.request.user, project):
            raise PermissionDenied(_("无权修改该项目的记录"))
        serializer.instance = review_actions.add_capital_increase(project, actor=self.request.user, **data)
