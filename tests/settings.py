"""Settings for the test suite: the real settings, with a fixed key and a fast hasher."""

import os

os.environ.setdefault("ZHAOSHANG_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ZHAOSHANG_FIELD_KEY", "dGVzdHMtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")  # tests only
os.environ.setdefault("ZHAOSHANG_SECURE_SSL_REDIRECT", "0")

from zhaoshang.settings import *  # noqa: E402,F403

import tempfile  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads made by the tests go to a temporary folder, not ./var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="zhaoshang-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="zhaoshang-test-static-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run where they are enqueued: the suite needs no worker (tests of the worker itself
# switch to the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The browser tests talk plain HTTP to a live server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = False
