"""Every API error is JSON of one shape:

    {"code": "invalid", "message": "提交的数据有误",
     "errors": [{"field": "name", "code": "blank", "message": "该字段不能为空。"}]}

`code` is stable English for programs, `message` Chinese for people; `errors` names each
field at fault (nested fields as `leaders.0`; errors about the whole request under
`non_field_errors`). The actions' Django ValidationError becomes 400, a stale version 409,
and an unexpected exception a logged 500 in the same shape (never a stack trace)."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from zhaoshang.projects.actions import ConcurrentUpdate

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


class VersionConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "version_conflict"

    def __init__(self, current_version: int):
        super().__init__(_("项目已被他人修改（当前版本 %(version)s），请刷新后重试；本次修改未保存") % {"version": current_version})
        self.current_version = current_version


def _titles():
    return {
        "invalid": _("提交的数据有误"),
        "parse_error": _("请求内容不是有效的 JSON"),
        "not_authenticated": _("请提供 API 令牌或先登录"),
        "authentication_failed": _("认证失败"),
        "permission_denied": _("无权执行此操作"),
        "not_found": _("未找到，或无权查看"),
        "method_not_allowed": _("不支持该请求方法"),
        "not_acceptable": _("无法按请求的格式返回"),
        "unsupported_media_type": _("请求内容类型不受支持，请使用 application/json"),
        "throttled": _("请求过于频繁，请稍后再试"),
        "conflict": _("数据已被他人修改，请刷新后重试"),
    }


def _flatten(detail, prefix=""):
    """[(field, code, message)] from DRF's nested error details."""
    items = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            items += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(detail, (list, tuple)):
        simple = all(not isinstance(value, (dict, list, tuple)) for value in detail)
        for index, value in enumerate(detail):
            if simple:
                items += _flatten(value, prefix)
            elif value:
                items += _flatten(value, f"{prefix}.{index}" if prefix else str(index))
    else:
        items.append((prefix or NON_FIELD, getattr(detail, "code", None) or "invalid", str(detail)))
    return items


def from_django_validation_error(error: DjangoValidationError, field_map=None) -> exceptions.ValidationError:
    """An action's ValidationError({field: message}) as DRF's, with fields renamed to the API's."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        detail = {
            field_map.get(field, NON_FIELD if field == "__all__" else field): [
                exceptions.ErrorDetail(message, code=inner.code or "invalid")
                for inner in errors
                for message in inner.messages
            ]
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {NON_FIELD: [exceptions.ErrorDetail(m, code=error.code or "invalid") for m in error.messages]}
    return exceptions.ValidationError(detail)


def body(code: str, message: str, errors=None, **extra) -> dict:
    data = {"code": code, "message": message, "errors": errors or []}
    data.update(extra)
    return data


def exception_handler(exc, context):
    view = context.get("view")
    if isinstance(exc, DjangoValidationError):
        exc = from_django_validation_error(exc, getattr(view, "error_field_map", None))
    elif isinstance(exc, ConcurrentUpdate):
        exc = VersionConflict(exc.current.version)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, IntegrityError):
        logger.warning("integrity error answered with 409: %s", exc)
        exc = exceptions.APIException(_("数据已被他人修改，请刷新后重试"), code="conflict")
        exc.status_code = status.HTTP_409_CONFLICT

    if not isinstance(exc, exceptions.APIException):
        request = context.get("request")
        logger.exception("API error on %s %s", getattr(request, "method", "?"), getattr(request, "path", "?"))
        set_rollback()
        return Response(body("server_error", _("服务器内部错误，已记录，请稍后重试")), status=500)

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = "%d" % exc.wait

    titles = _titles()
    if isinstance(exc, exceptions.ValidationError):
        data = body("invalid", titles["invalid"], [
            {"field": field, "code": code, "message": message} for field, code, message in _flatten(exc.detail)
        ])
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        if isinstance(exc, exceptions.Throttled):
            message = _("请求过于频繁，请 %(wait)s 秒后再试") % {"wait": int(exc.wait or 1)}
        elif isinstance(exc.detail, str) and exc.detail and code not in {"not_found", "method_not_allowed", "parse_error"}:
            message = str(exc.detail)
        else:
            message = titles.get(code, str(exc.detail))
        extra = {}
        if isinstance(exc, VersionConflict):
            extra["current_version"] = exc.current_version
        data = body(code, message, **extra)
    set_rollback()
    return Response(data, status=exc.status_code, headers=headers)


@csrf_exempt  # an unknown address is 404 whatever the method, not a CSRF failure page
def not_found(request, *args, **kwargs):
    """Any unknown address under /api/: JSON 404 in the same shape."""
    return JsonResponse(body("not_found", _("接口不存在：%(path)s") % {"path": request.path}), status=404,
                        json_dumps_params={"ensure_ascii": False})
