"""Rankings (通报排队) over the API: zhaoshang.assessment.scoring.ranking for the readers
the ranking page has (the bureau, leadership, administrators, observers). As on the page,
every reader sees each unit's place and points; the lines and adjustments behind a score
(which name projects and tickets) only for units whose score page the reader may open."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.api.serializers import PeriodQuerySerializer
from zhaoshang.api.strict import StrictQueryParams
from zhaoshang.api.ticket_views import _errors, _only_zone
from zhaoshang.assessment import permissions as assessment_permissions
from zhaoshang.assessment import scoring
from zhaoshang.core.models import Zone
from zhaoshang.projects.kpi import Period

DECIMAL_TEXT = {"help_text": gettext_lazy("十进制数（字符串）")}


RankingQuery = PeriodQuerySerializer


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    as_of = serializers.DateField()


class LineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.CharField(**DECIMAL_TEXT)
    actual = serializers.JSONField(allow_null=True, help_text=gettext_lazy("实际值"))
    target = serializers.CharField(allow_null=True, **DECIMAL_TEXT)
    completion = serializers.CharField(allow_null=True, **DECIMAL_TEXT)
    points = serializers.CharField(**DECIMAL_TEXT)
    note = serializers.CharField(allow_blank=True)


class AdjustmentSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("bonus 加分 / deduction 扣分"))
    rule = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    points = serializers.CharField(**DECIMAL_TEXT)


class ScoreSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    unit_kind = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    previous_rank = serializers.IntegerField(allow_null=True)
    movement = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("较上期上升的名次（负数为下降）"))
    total = serializers.CharField(**DECIMAL_TEXT)
    indicator_points = serializers.CharField(**DECIMAL_TEXT)
    bonus = serializers.CharField(**DECIMAL_TEXT)
    deduction = serializers.CharField(**DECIMAL_TEXT)
    lines = LineSerializer(many=True, allow_null=True, help_text=gettext_lazy("指标得分明细；无权查看该单位时为 null"))
    adjustments = AdjustmentSerializer(many=True, allow_null=True, help_text=gettext_lazy("加减分明细；无权查看该单位时为 null"))


class GroupSerializer(serializers.Serializer):
    scheme_id = serializers.IntegerField()
    scheme = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    board_size = serializers.IntegerField()
    red = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy("红榜单位 id"))
    black = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy("黑榜单位 id"))
    scores = ScoreSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    zone = serializers.CharField(help_text=gettext_lazy("园区代码"))
    period = PeriodSerializer()
    previous = PeriodSerializer(allow_null=True, help_text=gettext_lazy("比较名次升降的上一期"))
    tie_breaks = serializers.CharField()
    groups = GroupSerializer(many=True)


class RankingView(StrictQueryParams, APIView):
    def allowed_query_params(self):
        return dict.fromkeys(RankingQuery().fields)

    @extend_schema(summary=_("考核排名（通报排队）"), parameters=[RankingQuery],
                   responses={200: RankingSerializer, **_errors(400, 403)})
    def get(self, request):
        query = RankingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        user = request.user
        zone = self._zone(user, params.get("zone"))
        if not assessment_permissions.can_see_rankings(user, zone):
            raise PermissionDenied(_("您没有查看排名的权限"))
        period = Period(params["from"], params["to"], params.get("as_of"))
        data = scoring.ranking(zone, period).to_dict()
        whole = assessment_permissions.sees_whole_zone(user, zone)
        own = assessment_permissions.own_unit_ids(user, zone)
        for group in data["groups"]:
            for score in group["scores"]:
                if not (whole or score["unit_id"] in own):
                    score["lines"] = score["adjustments"] = None
        data["zone"] = zone.code
        return Response(RankingSerializer(data).data)

    def _zone(self, user, code):
        if not code:
            return _only_zone(user)
        zone = Zone.objects.visible_to(user).filter(code=code.strip()).first()
        if zone is None:
            raise ValidationError({"zone": [_("园区“%(code)s”不存在或无权查看") % {"code": code}]})
        return zone
