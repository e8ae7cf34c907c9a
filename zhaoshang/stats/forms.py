"""Forms of the statistics pages, and the small form helpers the support areas share
(Bootstrap classes, action errors put back next to their field). Forms only clean input;
every write goes through the app's actions."""


from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django.utils import timezone

from zhaoshang.stats import sectors
from zhaoshang.stats.models import Threshold


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap classes, and that can take an action's errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            classes = set(widget.attrs.get("class", "").split()) | {css}
            # _errors, not errors: reading errors here would validate the form too early
            if self._errors and name in self._errors:
                classes.add("is-invalid")
                widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] = " ".join(sorted(classes))

    def full_clean(self):
        super().full_clean()
        self.style()

    def apply_error(self, error: ValidationError) -> None:
        """Put a ValidationError raised by an action next to the field it names."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                for item in errors:
                    message = item.message % item.params if item.params else item.message
                    self.add_error(key if key in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
        self.style()


def current_year() -> int:
    return timezone.localdate().year


class ProfileForm(BootstrapForm):
    industry_code = forms.ChoiceField(
        label=gettext_lazy("国民经济行业分类"), choices=[("", "—")] + sectors.CHOICES, required=False
    )
    construction_qualification = forms.CharField(
        label=gettext_lazy("建筑业资质"), max_length=100, required=False,
        help_text=gettext_lazy("如：建筑工程施工总承包二级；无资质请留空"),
    )
    in_statistics = forms.BooleanField(label=gettext_lazy("已纳入统计（四上）"), required=False)
    in_statistics_since = forms.DateField(label=gettext_lazy("入统日期"), required=False, widget=DateInput())
    landed_on = forms.DateField(label=gettext_lazy("落户日期"), required=False, widget=DateInput())


class FiguresForm(BootstrapForm):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=1949, max_value=2100,
                              error_messages={"required": gettext_lazy("请填写年度")})
    revenue = forms.DecimalField(label=gettext_lazy("主营业务收入（万元）"), min_value=0, max_digits=16, decimal_places=2,
                                 error_messages={"required": gettext_lazy("请填写主营业务收入")})
    employees = forms.IntegerField(label=gettext_lazy("从业人员（人）"), min_value=0, required=False)


class ThresholdForm(BootstrapForm):
    industry_code = forms.ChoiceField(label=gettext_lazy("国民经济行业分类"), choices=sectors.CHOICES)
    from_year = forms.IntegerField(label=gettext_lazy("起始年度"), min_value=1949, max_value=2100,
                                   error_messages={"required": gettext_lazy("请填写起始年度")})
    basis = forms.ChoiceField(label=gettext_lazy("标准"), choices=Threshold.Basis.choices)
    min_revenue = forms.DecimalField(label=gettext_lazy("收入门槛（万元）"), min_value=0, max_digits=16,
                                     decimal_places=2, required=False)
    source = forms.CharField(label=gettext_lazy("依据"), max_length=200, required=False)
