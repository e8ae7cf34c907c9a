from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import OrgUnit, Park, Role, Zone


class BootstrapMixin:
    """Bootstrap classes on every widget (templates render fields with includes/field.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select" if isinstance(widget, (forms.Select, forms.SelectMultiple)) else "form-control")
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class RoleFields(BootstrapMixin, forms.Form):
    """Role, unit and park in one zone: the choices are the zone's own."""

    role = forms.ChoiceField(label=_("角色"))
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=OrgUnit.objects.none(), required=False,
                                  help_text=_("专班/国企成员和职能部门必填"))
    park = forms.ModelChoiceField(label=_("所属园区"), queryset=Park.objects.none(), required=False,
                                  help_text=_("园区角色必填"))

    def __init__(self, *args, zone: Zone, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["unit"].queryset = OrgUnit.objects.filter(zone=zone, is_active=True).order_by("kind", "sort_order", "name")
        self.fields["park"].queryset = Park.objects.filter(zone=zone).order_by("name")

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Role.UNIT, Role.DEPARTMENT) and not data.get("unit"):
            self.add_error("unit", _("该角色需指定所属单位"))
        if role == Role.PARK and not data.get("park"):
            self.add_error("park", _("园区角色需指定所属园区"))
        if role not in (Role.UNIT, Role.DEPARTMENT, Role.BUREAU):
            data["unit"] = None
        if role != Role.PARK:
            data["park"] = None
        return data


class UserCreateForm(RoleFields):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，字母、数字和 @/./+/-/_"))
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)

    field_order = ["username", "full_name", "email", "password1", "password2", "role", "unit", "park"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class UserEditForm(RoleFields):
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    new_password = forms.CharField(
        label=_("重设密码"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text=_("留空则不修改"),
    )

    field_order = ["full_name", "email", "role", "unit", "park", "new_password"]

    def __init__(self, *args, may_reset_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_reset_password:
            del self.fields["new_password"]


class ZoneSettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "province", "city", "major_project_threshold", "units_see_other_units", "certification_required"]


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("启用")), ("0", _("已停用"))]
    )


def user_label(user) -> str:
    return f"{user.first_name}（{user.username}）" if user.first_name else user.username


User = get_user_model()
