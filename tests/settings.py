"""Settings for the test suite: the real settings, with a fixed key and a fast hasher."""

import os

os.environ.setdefault("ZHAOSHANG_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ZHAOSHANG_SECURE_SSL_REDIRECT", "0")

from zhaoshang.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
