"""The zone's warning rules page (项目预警规则): the bureau sets the thresholds the lights use.
A module of its own, beside views.py, so the lights stay one piece that can be read alone."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core import permissions
from zhaoshang.core.formstyle import StyledForm, apply_action_error
from zhaoshang.projects import actions, selectors, warnings
from zhaoshang.projects.models import WarningRules


def _field(name: str) -> forms.IntegerField:
    model_field = WarningRules._meta.get_field(name)
    return forms.IntegerField(label=model_field.verbose_name, help_text=model_field.help_text, min_value=0,
                              max_value=100_000)


# One whole-number field per threshold, labelled as in the model; the action checks the order
# of each yellow and red pair.
WarningRulesForm = type("WarningRulesForm", (StyledForm,), {name: _field(name) for name in warnings.RULE_FIELDS})


@login_required
def warning_rules(request):
    zone = selectors.zone_of(request)
    if zone is None:
        raise Http404
    permissions.require(request.user, "projects.warning_rules", zone)
    current = warnings.rules_for(zone)
    form = WarningRulesForm(request.POST or None, initial={name: getattr(current, name) for name in warnings.RULE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_warning_rules(zone, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_error(form, error)
        else:
            messages.success(request, _("预警规则已保存"))
            return HttpResponseRedirect(reverse("projects:warning_rules"))
    return render(request, "projects/warning_rules.html", {"form": form, "zone": zone},
                  status=422 if form.is_bound else 200)
