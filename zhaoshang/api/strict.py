"""Query parameters are checked, not ignored: a misspelt filter (`stgae=signed`) would
otherwise silently return every row. Unknown parameters and empty values of typed
parameters (dates, numbers, choices) are 400."""

import django_filters
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

ALWAYS = {"format"}
BOOLEANS = {"true", "false"}


class StrictQueryParams:
    def allowed_query_params(self) -> dict:
        """{name: filter or None} of what this action accepts."""
        if getattr(self, "action", None) != "list":
            return {}
        allowed = {}
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None:
            allowed.update(filterset.base_filters)
        if self.paginator is not None:
            allowed.update({self.paginator.page_query_param: None, self.paginator.page_size_query_param: None})
        for backend in self.filter_backends:
            name = getattr(backend, "ordering_param", None)
            if name:
                allowed[name] = None
        return allowed

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = self.allowed_query_params()
        problems = {}
        for name in request.query_params:
            if name in ALWAYS:
                continue
            if name not in allowed:
                problems[name] = [_("未知的查询参数“%(name)s”") % {"name": name}]
                continue
            values = request.query_params.getlist(name)
            free_text = isinstance(allowed[name], django_filters.CharFilter)
            if any("\x00" in value for value in values):  # PostgreSQL refuses it in any query
                problems[name] = [_("查询参数“%(name)s”含有空字符（\\x00）") % {"name": name}]
            elif not free_text and any(value == "" for value in values):
                problems[name] = [_("查询参数“%(name)s”不能为空") % {"name": name}]
            elif isinstance(allowed[name], django_filters.filters.BaseCSVFilter) and any(
                part.strip() == "" for value in values for part in value.split(",")
            ):
                problems[name] = [_("查询参数“%(name)s”含有空项") % {"name": name}]
            elif isinstance(allowed[name], django_filters.BooleanFilter) and any(v not in BOOLEANS for v in values):
                problems[name] = [_("查询参数“%(name)s”应为 true 或 false") % {"name": name}]
        if problems:
            raise ValidationError(problems)
