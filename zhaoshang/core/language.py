"""The interface language: Chinese, whatever the browser asks for (Accept-Language is not
read), unless the user chose another one with the switch in the user menu. The choice
is kept in the session and in a cookie, so it survives logging out and back in on the
same browser."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SESSION_KEY = "zhaoshang_language"


def _supported(code) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


def chosen_language(request) -> str:
    session = getattr(request, "session", None)
    return (
        _supported(session.get(SESSION_KEY) if session is not None else None)
        or _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        or settings.LANGUAGE_CODE
    )


class InterfaceLanguageMiddleware:
    """Takes the place of Django's LocaleMiddleware, which would follow Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


@require_POST
def set_language(request):
    """POST language=<code>, next=<path>: switch the interface language for this browser."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    language = _supported(request.POST.get("language"))
    if language:
        request.session[SESSION_KEY] = language
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE or None,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY or None, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
