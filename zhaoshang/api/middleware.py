"""Every API write is one transaction: a request that fails commits nothing.

A view that raised after a first write (a 500 from a value the database then could not
read back, a 409 after a partial update) used to leave that first write committed. The
web pages keep their own per-action transactions; only the API's writes are wrapped, so a
GET never takes SQLite's write lock."""

from django.db import transaction

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class AtomicApiWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        with transaction.atomic():
            # Django turns a view's exception into a 500 response inside get_response, so
            # the status code is the one signal of failure for 4xx and 5xx alike.
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response
