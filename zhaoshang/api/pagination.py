from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100` (at most 500). A page that is not a positive whole number is
    400; a page past the last one is 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = gettext_lazy("第 {page_number} 页不存在")

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param) or 1
        if value in self.last_page_strings:
            return value
        if not str(value).isdigit() or int(value) < 1:
            raise ValidationError({self.page_query_param: [_("页码应为正整数")]})
        return value

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and (not value.isdigit() or int(value) < 1):
            raise ValidationError({self.page_size_query_param: [_("每页条数应为正整数")]})
        return super().get_page_size(request)
