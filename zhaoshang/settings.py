"""Every setting comes from a ZHAOSHANG_* environment variable; the defaults suit a
developer's machine (SQLite under ./var/, a generated key)."""

import base64
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"ZHAOSHANG_{name}", default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(env(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Run from a source checkout (the package next to its pyproject.toml) without a key set,
# the command behaves as `make run` does: debug on, the checkout's ./var/ (its generated
# key and SQLite file) wherever it is started from. An installed package, or any run with
# ZHAOSHANG_SECRET_KEY set, is production mode unless ZHAOSHANG_DEBUG says otherwise.
CHECKOUT_DIR = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "pyproject.toml").is_file() else None
VAR_DIR = Path(env("VAR_DIR", str((CHECKOUT_DIR or Path.cwd()) / "var"))).resolve()
DEBUG = envbool("DEBUG", CHECKOUT_DIR is not None and not env("SECRET_KEY"))


# Commands that only read the code sign nothing and serve no one: they run without a key,
# so that `zhaoshang makemigrations --check` works in production mode too.
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "help", "version", "--help", "--version"}


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
            return "keyless-command-signs-nothing"
        raise ImproperlyConfigured(
            "ZHAOSHANG_SECRET_KEY must be set when ZHAOSHANG_DEBUG is off (production mode): "
            "export ZHAOSHANG_SECRET_KEY=<a long random string> (see docs/deployment.md), "
            "or ZHAOSHANG_DEBUG=1 to try it out."
        )
    # A development key is generated once and kept, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _field_keys() -> list[str]:
    """The keys of the fields stored encrypted (zhaoshang.core.fields: investors' phones),
    from ZHAOSHANG_FIELD_KEY: one Fernet key, or several separated by commas while keys are
    rotated (the first encrypts, every one decrypts). Unlike the secret key, losing it loses
    data: a backup is readable only with the key it was taken under (docs/deployment.md)."""
    keys = envlist("FIELD_KEY")
    if not keys:
        if not DEBUG:
            if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
                return []
            raise ImproperlyConfigured(
                "ZHAOSHANG_FIELD_KEY must be set when ZHAOSHANG_DEBUG is off (production mode): it encrypts the "
                "investors' phones; generate one with `python -c \"from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())\"` and keep it with the backups (see docs/deployment.md)."
            )
        # Generated once and kept, like the development secret key: the phones in the
        # development database stay readable across restarts.
        key_file = VAR_DIR / "field_key"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            key_file.chmod(0o600)
        keys = [key_file.read_text().strip()]
    for position, key in enumerate(keys, 1):
        try:
            if len(base64.urlsafe_b64decode(key.encode())) == 32:
                continue
        except ValueError:
            pass
        raise ImproperlyConfigured(
            f"ZHAOSHANG_FIELD_KEY: key {position} of {len(keys)} is not a Fernet key "
            "(32 bytes in URL-safe base64, 44 characters ending in '=')."
        )
    return keys


ZHAOSHANG_FIELD_KEY = _field_keys()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "zhaoshang.core",
    "zhaoshang.industry",
    "zhaoshang.enterprises",
    "zhaoshang.projects",
    "zhaoshang.ledger",
    "zhaoshang.tickets",
    "zhaoshang.assessment",
    "zhaoshang.stats",
    "zhaoshang.policies",
    "zhaoshang.funds",
    "zhaoshang.spaces",
    "zhaoshang.review",
    "zhaoshang.campaigns",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "zhaoshang.api",
    "zhaoshang.dashboard",
]

from zhaoshang.api.conf import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402,F401

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves the vendored static files in production mode too (no separate web server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese whatever the browser asks; English by the user menu's switch (core.language).
    "zhaoshang.core.language.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhaoshang.core.changelog.ChangeLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # The project's 404 page in debug mode (`make run`) too.
    "zhaoshang.core.errorpages.OwnErrorPagesMiddleware",
]
# A failed API write commits nothing (zhaoshang/api/middleware.py); an initial password is
# changed before anything else (zhaoshang/core/passwords.py).
MIDDLEWARE.append("zhaoshang.api.middleware.AtomicApiWritesMiddleware")
MIDDLEWARE.append("zhaoshang.core.passwords.ForcePasswordChangeMiddleware")
# Content-Security-Policy (django-csp): scripts only from this site, never inline; styles
# may be inline (ECharts and Bootstrap set style attributes). The API's documentation pages
# (drf-spectacular's Swagger UI and ReDoc start themselves with inline script) and the
# Django admin are left out.
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs", "/api/redoc", "/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhaoshang.core.context_processors.zhaoshang",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhaoshang.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Immediate transactions avoid "database is locked" when two writers meet;
    # WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for another's transaction (a ledger import holds one for
        # its whole length) before "database is locked".
        "timeout": envint("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: on the figures' aggregates it costs more than it saves (the
    # cockpit's stage funnel at province scale: 3.3 s compiling for a 0.9 s query;
    # bench/province.py). Operators may still set it per database.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# The task queue (Django's Tasks API, django-tasks backport): jobs are rows in the database,
# run by `zhaoshang worker` processes (docs/deployment.md). ZHAOSHANG_TASKS_BACKEND=immediate
# runs each job inside the request that enqueues it (no worker needed; the tests do so).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env("TASKS_BACKEND", "database")],
    }
}
# A worker beats every few seconds; a job whose worker has not beaten for STALE seconds is
# queued again (up to MAX_ATTEMPTS runs in all) or failed. The scheduler's round (periodic
# jobs, lost jobs) runs every SCHEDULER seconds in each worker.
ZHAOSHANG_WORKER_BEAT_SECONDS = envint("WORKER_BEAT_SECONDS", 5)
ZHAOSHANG_WORKER_STALE_SECONDS = envint("WORKER_STALE_SECONDS", 30)
ZHAOSHANG_TASK_MAX_ATTEMPTS = envint("TASK_MAX_ATTEMPTS", 2)
ZHAOSHANG_SCHEDULER_SECONDS = envint("SCHEDULER_SECONDS", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# 等保 2.0: ≥ 8 characters of three classes, not the user name (zhaoshang/core/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhaoshang.core.passwords.ComplexityValidator", "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
AUTHENTICATION_BACKENDS = [
    "zhaoshang.core.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one address, that pair is refused for LOCKOUT_HOURS (reset by a successful login).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = float(env("LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhaoshang.core.views.locked_out"
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Vendored front-end files and the house CSS/JS live in the package, outside any app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
# Without `zhaoshang collectstatic`, WhiteNoise finds the files where they live (it only
# wants the collected folder to exist).
WHITENOISE_USE_FINDERS = True
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only deployment collects its files beforehand
    pass
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence files of 认定 claims (zhaoshang.review): the largest accepted upload. They are
# stored through Django's default storage (MEDIA_ROOT); see docs/deployment.md for S3.
ZHAOSHANG_EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Uploads on S3-compatible object storage instead of MEDIA_ROOT (needs django-storages[s3],
# not installed by default). Files stay private: pages serve them after a visibility check.
if env("MEDIA_STORAGE") == "s3":
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("S3_BUCKET"),
                "endpoint_url": env("S3_ENDPOINT_URL") or None,
                "region_name": env("S3_REGION") or None,
                "access_key": env("S3_ACCESS_KEY") or None,
                "secret_key": env("S3_SECRET_KEY") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

SESSION_COOKIE_AGE = envint("SESSION_AGE_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Off only for `make serve` and the load bench: production mode over plain HTTP on loopback.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Ledger import limits (zhaoshang.ledger.readers): file size, rows per sheet, an xlsx's unpacked size.
ZHAOSHANG_LEDGER_MAX_BYTES = envint("LEDGER_MAX_BYTES", 20 * 1024 * 1024)
ZHAOSHANG_LEDGER_MAX_ROWS = envint("LEDGER_MAX_ROWS", 200_000)
ZHAOSHANG_LEDGER_MAX_UNCOMPRESSED_BYTES = envint("LEDGER_MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024)
# A sheet's width and size (first to last cell), checked before an .xlsx sheet is loaded.
ZHAOSHANG_LEDGER_MAX_COLUMNS = envint("LEDGER_MAX_COLUMNS", 200)
ZHAOSHANG_LEDGER_MAX_CELLS = envint("LEDGER_MAX_CELLS", 8_000_000)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "zhaoshang@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
