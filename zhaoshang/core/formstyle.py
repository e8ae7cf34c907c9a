"""How the apps' forms look and report an action's errors, in one place: Bootstrap classes
on every widget, the fields with errors flagged (is-invalid, aria-invalid and
aria-describedby pointing at the error that includes/field.html renders), a date input
in ISO format, and a ValidationError raised by an action put back next to the field it
names. Forms only clean input; every write goes through the app's actions."""

from django import forms
from django.core.exceptions import ValidationError

# Widgets styled by their own markup (a group of boxes or buttons), not by a class.
UNSTYLED = (forms.HiddenInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _css(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


def style(form: forms.Form) -> forms.Form:
    """Add the Bootstrap class of each widget and flag the fields that have errors. Reads
    the errors found so far without cleaning the form, so it may run in __init__; run it
    again after validation (mark_invalid, StyledForm). Running it twice changes nothing."""
    found = form._errors if form.is_bound and form._errors is not None else {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, UNSTYLED):
            continue
        classes = widget.attrs.get("class", "").split()
        for css in (_css(widget), "is-invalid") if name in found else (_css(widget),):
            if css not in classes:
                classes.append(css)
        widget.attrs["class"] = " ".join(classes)
        if name in found:
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"
    return form


def mark_invalid(form: forms.Form) -> forms.Form:
    """Validate the form (if it is bound and was not yet) and flag its fields with errors."""
    if form.is_bound:
        form.errors  # noqa: B018 — runs the cleaning once
    return style(form)


def apply_action_error(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a ValidationError raised by an action next to the field it names (`aliases`
    maps the action's names to the form's); the rest goes to the form's own errors."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            name = aliases.get(key, key)
            for item in errors:
                message = item.message % item.params if item.params else item.message
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
    style(form)


class StyledForm(forms.Form):
    """A form styled when made and flagged again once validated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)
