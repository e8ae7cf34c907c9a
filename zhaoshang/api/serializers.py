import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhaoshang.api import permissions as perms
from zhaoshang.api.models import ApiToken
from zhaoshang.core import access
from zhaoshang.core.models import OrgUnit, Park, Person, Zone
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects import kpi
from zhaoshang.projects.models import DateCorrection, FollowUp, FundArrival, Project, StageChange
from zhaoshang.projects.regions import SourceRegion
from zhaoshang.projects.stages import Stage


class Scoped(serializers.PrimaryKeyRelatedField):
    """A reference by id to a row the requesting user may see (others are "not found")."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(request.user) if request else self.model.objects.none()


class InvestorField(Scoped):
    """The investor of a project being written: an enterprise the user may see, or any
    enterprise of a zone where the user may register enterprises (a unit member recording
    a lead picks its investor from the zone's registry)."""

    def __init__(self, **kwargs):
        super().__init__(Enterprise, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Enterprise.objects.none()
        user = request.user
        writable = [zone_id for zone_id in access.zone_ids(user) if perms.can_write_zone_data(user, zone_id)]
        return Enterprise.objects.filter(
            Q(pk__in=Enterprise.objects.visible_to(user).values("pk")) | Q(zone_id__in=writable)
        )


class ZoneField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Zone.objects.none())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:  # PostgreSQL refuses it in any query
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Zone.objects.none()
        return Zone.objects.visible_to(request.user)


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "code", "name", "province", "city", "major_project_threshold"]


class UnitSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "zone", "name", "kind", "sort_order", "is_active"]


class ParkSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Park
        fields = ["id", "zone", "name", "operator", "floor_area_m2", "address"]


class ClusterSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndustryCluster
        fields = ["id", "zone", "name", "sort_order"]


class ChainSerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = IndustryChain
        fields = ["id", "zone", "cluster", "cluster_name", "name", "tier", "aliases", "sort_order"]


class TagNamesField(serializers.ListField):
    def get_attribute(self, instance):
        return [tag.name for tag in instance.tags.all()]


class EnterpriseSerializer(serializers.ModelSerializer):
    zone = ZoneField(required=False, help_text=_("园区代码；只属于一个园区的用户可省略"))
    tags = TagNamesField(child=serializers.CharField(max_length=30), required=False, help_text=_("标签名称，如“专精特新”"))
    project_count = serializers.SerializerMethodField(help_text=_("本人可见的该企业项目数"))

    class Meta:
        model = Enterprise
        fields = ["id", "zone", "name", "uscc", "tags", "province", "city", "address", "contact_person",
                  "contact_phone", "notes", "project_count", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # uniqueness is the action's to check, with its own message
        extra_kwargs = {"uscc": {"validators": []}}

    def get_project_count(self, enterprise) -> int:
        return getattr(enterprise, "project_count", None) or 0

    def to_representation(self, instance):
        """The contact is masked for those who may not read it (core.masking)."""
        return _mask_contacts(self, instance, super().to_representation(instance))


def _mask_contacts(serializer, instance, data):
    request = serializer.context.get("request")
    if request is not None and not perms.sees_contacts(request.user, instance):
        data["contact_person"] = perms.mask_name(data["contact_person"])
        data["contact_phone"] = perms.mask_phone(data["contact_phone"])
    return data


class EnterpriseUpdateSerializer(EnterpriseSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)


_PROJECT_FIELDS = [
    "id", "zone", "code", "name", "investor", "investor_name", "contact_person", "contact_phone", "cluster",
    "cluster_name", "chain", "chain_name", "industry_label", "kind", "total_investment", "is_fixed_asset",
    "source_province", "source_city", "source_region", "responsible_unit", "responsible_unit_name", "leaders",
    "park", "park_name", "stage", "signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on",
    "drop_reason", "notes", "parent", "phase", "merged_into", "version", "created_at", "updated_at",
]


class ProjectWarningSerializer(serializers.Serializer):
    colour = serializers.CharField(help_text=_("red、yellow、green；已终止项目为空"))
    label = serializers.CharField(help_text=_("红灯、黄灯、绿灯"))
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("亮灯原因，红灯的在前"))


class ProjectSerializer(serializers.ModelSerializer):
    """A project as read; the investor's contact is masked for those who may not see it."""

    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    investor = InvestorField(required=False, allow_null=True)
    investor_name = serializers.CharField(allow_null=True, source="investor.name", read_only=True, default=None)
    cluster = Scoped(IndustryCluster, required=False, allow_null=True)
    cluster_name = serializers.CharField(allow_null=True, source="cluster.name", read_only=True, default=None)
    chain = Scoped(IndustryChain, required=False, allow_null=True)
    chain_name = serializers.CharField(allow_null=True, source="chain.name", read_only=True, default=None)
    responsible_unit = Scoped(OrgUnit, required=False, allow_null=True)
    responsible_unit_name = serializers.CharField(allow_null=True, source="responsible_unit.name", read_only=True, default=None)
    park = Scoped(Park, required=False, allow_null=True)
    park_name = serializers.CharField(allow_null=True, source="park.name", read_only=True, default=None)
    leaders = Scoped(Person, many=True, required=False, help_text=_("包联领导（人员 id）"))
    source_region = serializers.ChoiceField(choices=[("", "")] + list(SourceRegion.choices), read_only=True,
                                            help_text=_("来源地区，由来源省份推定；未知为空"))
    parent = Scoped(Project, required=False, allow_null=True, help_text=_("所属总项目（分期建设时）"))
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=_("已合并至的项目；合并后不再统计"))
    warning = serializers.SerializerMethodField(
        help_text=_("项目预警：colour 为 red、yellow、green（已终止项目为空），label 为红灯、黄灯、绿灯，reasons 为原因"))

    class Meta:
        model = Project
        fields = [*_PROJECT_FIELDS, "warning"]
        read_only_fields = ["stage", "dropped_on", "source_region", "merged_into", "version", "created_at", "updated_at"]
        validators = []
        extra_kwargs = {"code": {"required": False}}

    def to_representation(self, instance):
        return _mask_contacts(self, instance, super().to_representation(instance))

    @extend_schema_field(ProjectWarningSerializer)
    def get_warning(self, instance) -> dict:
        from zhaoshang.projects.warnings import for_project

        return for_project(instance).as_dict()


class ProjectCreateSerializer(ProjectSerializer):
    zone = ZoneField(required=False, help_text=_("园区代码；只属于一个园区的用户可省略"))
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, help_text=_("默认按日期推定；日期显示的阶段更靠后时以日期为准")
    )
    lead_on = serializers.DateField(required=False, allow_null=True, write_only=True,
                                    help_text=_("线索日期；省略时取最早的日期，否则为今天"))
    negotiating_on = serializers.DateField(required=False, allow_null=True, write_only=True, help_text=_("在谈日期"))
    confirm_duplicate = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text=_("有疑似重复项目时仍然创建；否则返回 409 并列出疑似重复的项目"),
    )

    class Meta(ProjectSerializer.Meta):
        fields = _PROJECT_FIELDS + ["lead_on", "negotiating_on", "confirm_duplicate"]
        read_only_fields = ["source_region", "merged_into", "version", "created_at", "updated_at"]


class ProjectUpdateSerializer(ProjectSerializer):
    version = serializers.IntegerField(
        required=False, min_value=1, write_only=True,
        help_text=_("读取时的版本号；与当前不符时返回 409，不作修改（也可用 If-Match 头）"),
    )

    class Meta(ProjectSerializer.Meta):
        fields = [f for f in _PROJECT_FIELDS if f != "version"] + ["version"]
        # Stage dates change by change-stage or correct-date (logged), never by an edit.
        read_only_fields = ["stage", "signed_on", "started_on", "producing_on", "dropped_on", "source_region",
                            "merged_into", "created_at", "updated_at"]


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = serializers.ChoiceField(choices=[("", "")] + list(Stage.choices), read_only=True,
                                         help_text=_("原阶段；新项目的第一条记录为空"))
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = StageChange
        fields = ["id", "project", "from_stage", "to_stage", "date", "reason", "is_backward", "recorded_by", "created_at"]
        read_only_fields = fields


class StageChangeResultSerializer(StageChangeSerializer):
    project_version = serializers.IntegerField(source="project.version", read_only=True)

    class Meta(StageChangeSerializer.Meta):
        fields = StageChangeSerializer.Meta.fields + ["project_version"]
        read_only_fields = fields


class ChangeStageSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices, help_text=_("新阶段"))
    date = serializers.DateField(allow_null=True, help_text=_("变更日期（签约、开工、投产日期等）"))
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                   help_text=_("回退、恢复或终止时必填"))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_("读取时的项目版本号（或用 If-Match 头）"))


class CorrectDateSerializer(serializers.Serializer):
    stage_change = serializers.IntegerField(required=False, min_value=1,
                                            help_text=_("要更正的阶段变更记录 id；或用 stage 指定"))
    stage = serializers.ChoiceField(choices=Stage.choices, required=False,
                                    help_text=_("要更正日期的阶段（取该阶段当前的记录）"))
    new_date = serializers.DateField(help_text=_("正确的日期，不能晚于今天"))
    reason = serializers.CharField(max_length=200, help_text=_("更正原因"))

    def validate(self, attrs):
        if not attrs.get("stage_change") and not attrs.get("stage"):
            raise serializers.ValidationError({"stage": [_("请用 stage 或 stage_change 指明要更正的日期")]})
        return attrs


class DateCorrectionSerializer(serializers.ModelSerializer):
    corrected_by = serializers.CharField(source="corrected_by.username", read_only=True, default=None, allow_null=True)
    project_version = serializers.IntegerField(source="project.version", read_only=True)

    class Meta:
        model = DateCorrection
        fields = ["id", "project", "stage_change", "stage", "old_date", "new_date", "reason", "corrected_by",
                  "created_at", "project_version"]
        read_only_fields = fields


class NearDuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project_id")
    code = serializers.CharField()
    name = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class FollowUpSerializer(serializers.ModelSerializer):
    project = Scoped(Project)
    participants = Scoped(Person, many=True, required=False)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = FollowUp
        fields = ["id", "project", "date", "kind", "summary", "next_step", "next_date", "participants",
                  "other_participants", "recorded_by", "created_at"]
        read_only_fields = ["created_at"]


class FundArrivalSerializer(serializers.ModelSerializer):
    project = Scoped(Project)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = FundArrival
        fields = ["id", "project", "date", "amount", "note", "recorded_by", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"amount": {"min_value": None}}


FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


class PeriodQuerySerializer(serializers.Serializer):
    """?zone=&from=&to=&as_of= of the figure endpoints."""

    zone = serializers.CharField(required=False, help_text=_("园区代码；默认为用户所属的园区"))
    from_ = serializers.DateField(help_text=_("起始日期 YYYY-MM-DD"))
    to = serializers.DateField(help_text=_("截止日期 YYYY-MM-DD"))
    as_of = serializers.DateField(required=False, help_text=_("数据截至日期，默认同 to"))

    def get_fields(self):
        # `from` is a Python keyword: declared as from_, served as from.
        fields = super().get_fields()
        return {("from" if name == "from_" else name): field for name, field in fields.items()}

    def validate(self, attrs):
        for name in ("from", "to", "as_of"):
            if name in attrs and not FIRST_DAY <= attrs[name] <= LAST_DAY:
                raise serializers.ValidationError({name: [_("日期应在 1900-01-01 至 2100-12-31 之间")]})
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": [_("起始日期不能晚于截止日期")]})
        return attrs


class KpiQuerySerializer(PeriodQuerySerializer):
    zone = serializers.CharField(required=False, help_text=_("园区代码，逗号分隔可汇总多个园区；默认为用户所属的全部园区"))
    unit = serializers.IntegerField(required=False, min_value=1, help_text=_("责任单位 id（单个园区时）"))
    chain = serializers.IntegerField(required=False, min_value=1, help_text=_("产业链 id（单个园区时）"))
    cluster = serializers.IntegerField(required=False, min_value=1, help_text=_("产业集群 id（单个园区时）"))
    park = serializers.IntegerField(required=False, min_value=1, help_text=_("落地园区 id（单个园区时）"))


def _kpi_field(code):
    kind = kpi.KINDS[code]
    label = str(kpi.LABELS[code])
    if kind == kpi.COUNT:
        return serializers.IntegerField(help_text=label)
    if kind == kpi.RATE:
        return serializers.FloatField(allow_null=True, help_text=_("%(label)s（小数，如 0.8065；无分母时为 null）") % {"label": label})
    return serializers.FloatField(help_text=_("%(label)s（万元）") % {"label": label})


KpiSerializer = type("KpiSerializer", (serializers.Serializer,), {code: _kpi_field(code) for code in kpi.CODES})


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("稳定的错误代码，如 invalid、not_found、version_conflict"))
    message = serializers.CharField(help_text=_("中文说明"))
    errors = ErrorItemSerializer(many=True)
    current_version = serializers.IntegerField(required=False, help_text=_("版本冲突时的当前版本"))


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields
