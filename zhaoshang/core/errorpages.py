"""The project's own 404 page in debug mode too (`make run`): Django would show its yellow
debug page, which lists every URL of the site to whoever mistypes one. 403 pages are the
project's in both modes already (Django has no debug 403); a server error keeps Django's
debug page in debug mode, on purpose: it is what a developer needs, and `make run` is for
trying the platform on one's own machine."""

from django.conf import settings
from django.http import Http404
from django.views.defaults import page_not_found


class OwnErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An address no URL pattern matched: Django answered with its debug page.
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
