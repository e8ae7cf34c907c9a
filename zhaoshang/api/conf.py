"""The REST framework and OpenAPI settings, imported by zhaoshang/settings.py.

Rates come from ZHAOSHANG_API_RATE (per token, or per user for a browser session) and
ZHAOSHANG_API_ANON_RATE (per address, before authentication), e.g. "120/minute"."""

import os

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with a WWW-Authenticate header.
        "zhaoshang.api.authentication.TokenAuthentication",
        "zhaoshang.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["zhaoshang.api.throttling.TokenRateThrottle", "zhaoshang.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("ZHAOSHANG_API_RATE", "240/minute"),
        "anon": os.environ.get("ZHAOSHANG_API_ANON_RATE", "60/minute"),
    },
    "DEFAULT_FILTER_BACKENDS": [
        "zhaoshang.api.filters.AllZonesFilterBackend",
        "zhaoshang.api.ordering.Ordering",
    ],
    "DEFAULT_PAGINATION_CLASS": "zhaoshang.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: people read the API through the documentation pages (/api/docs/, /api/redoc/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "zhaoshang.api.errors.exception_handler",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "招商 Zhaoshang API",
    "DESCRIPTION": (
        "招商平台的 REST 接口。认证：个人 API 令牌（`Authorization: Bearer zs_…`，在 /accounts/tokens/ 创建）"
        "或浏览器会话。金额单位为万元（字符串形式的十进制数），日期为 YYYY-MM-DD。"
        "错误以 JSON 返回：`code` 为稳定的英文代码，`message` 为中文说明，`errors` 按字段给出。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge (it would call validator.swagger.io).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "zhaoshang.projects.stages.Stage",
        "ProjectKindEnum": "zhaoshang.projects.models.Project.Kind",
        "FollowUpKindEnum": "zhaoshang.projects.models.FollowUp.Kind",
        "UnitKindEnum": "zhaoshang.core.models.OrgUnit.Kind",
        "TicketStatusEnum": "zhaoshang.tickets.models.Status",
        "SourceRegionEnum": "zhaoshang.projects.regions.SourceRegion",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "tokenAuth": {"type": "http", "scheme": "bearer", "description": "个人 API 令牌"},
        }
    },
}
