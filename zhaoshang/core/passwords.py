"""Passwords as 等保 2.0 (GB/T 22239 level 3) asks: at least 8 characters from at least
three of the four classes (upper case, lower case, digits, symbols), not containing the
user name; and an initial password set by an administrator is changed at first login."""

import string

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

CLASSES = (
    ("upper", lambda c: c.isascii() and c.isupper()),
    ("lower", lambda c: c.isascii() and c.islower()),
    ("digit", lambda c: c.isdigit()),
    ("symbol", lambda c: c in string.punctuation or c == " " or not c.isascii()),
)


class ComplexityValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(ValidationError(_("密码至少%(count)d位") % {"count": self.min_length}, code="password_too_short"))
        classes = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if classes < self.min_classes:
            errors.append(ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少%(count)d类") % {"count": self.min_classes},
                code="password_too_simple"))
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and len(username) >= 3 and username in password.lower():
            errors.append(ValidationError(_("密码不能包含用户名"), code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _("至少%(length)d位，包含大写字母、小写字母、数字、符号中的至少%(count)d类，且不含用户名。") % {
            "length": self.min_length, "count": self.min_classes}


# Paths a user with an initial password may still reach: the change itself, logging out,
# static files and the API (whose tokens are made on the web, after the change).
EXEMPT_PREFIXES = ("/accounts/profile/", "/accounts/logout/", "/accounts/login/", "/static/", "/api/", "/i18n/")


class ForcePasswordChangeMiddleware:
    """Until a user replaces the password an administrator gave them, every page sends
    them to the password change (place after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES)
                and must_change(user)):
            from django.contrib import messages

            messages.warning(request, _("请先修改管理员为您设置的初始密码"))
            return redirect("profile")
        return self.get_response(request)


def must_change(user) -> bool:
    from zhaoshang.core.models import PasswordState

    return PasswordState.objects.filter(user=user, must_change=True).exists()


def set_must_change(user, value: bool) -> None:
    from zhaoshang.core.models import PasswordState

    PasswordState.objects.update_or_create(user=user, defaults={"must_change": value})
