"""A text field stored encrypted at rest (等保 2.0 level 3: the personal data of investors
and introducers — their phones).

`EncryptedCharField(max_length=30)` reads and writes plain text in Python: forms, the API,
masking (core.masking), exports and the change log see the phone. The column holds a
Fernet token (AES-128-CBC with an HMAC-SHA256, a fresh IV each time) under the keys of the
setting ZHAOSHANG_FIELD_KEY: the first key encrypts, every key decrypts (MultiFernet), so a
new key goes first and the old one stays listed while any value is still under it (see
docs/deployment.md). `max_length` is the length of the plain text (validation, forms); the
column is as wide as the token of such a text.

A blank stays blank (nothing to hide, and `contact_phone=""` keeps working). Because every
encryption differs, the column cannot be searched: only exact, in and isnull are allowed
(useful for blanks; a phone given to them matches nothing), the others (contains, …) are
refused. Nothing in the platform looks a phone up; a feature that must would add a keyed
hash (HMAC) column beside it.

A value no configured key opens (a backup restored under another key) reads as
`Undecryptable`: pages show 无法解密 instead of failing, the error is logged once per
process, and saving the row again keeps the stored token untouched.
"""

from __future__ import annotations

import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.utils.datastructures import DictWrapper
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

_FERNET_OVERHEAD = 1 + 8 + 16 + 32  # version, timestamp, IV, HMAC
_ALLOWED_LOOKUPS = {"exact", "isnull", "in"}


def token_length(max_length: int) -> int:
    """The length of the token of a text of `max_length` characters (4 bytes each in UTF-8
    at worst): the width the column needs."""
    padded = (max_length * 4 // 16 + 1) * 16
    return -(-(_FERNET_OVERHEAD + padded) // 3) * 4


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    keys = tuple(settings.ZHAOSHANG_FIELD_KEY)
    if not keys:
        raise ImproperlyConfigured("ZHAOSHANG_FIELD_KEY is not set: encrypted fields can be neither read nor written.")
    return _fernet(keys)


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text of `token`; InvalidToken when no configured key opens it."""
    return cipher().decrypt(token.encode("ascii", "replace")).decode()


class Undecryptable(str):
    """A stored value no configured key opens: shown as 无法解密, written back unchanged."""

    def __new__(cls, token: str):
        shown = super().__new__(cls, gettext("无法解密"))
        shown.token = token
        return shown


def reveal(value: str) -> str:
    """A value as a change record holds it: the text of a token, a plain value of a record
    written before the field was encrypted as it is, Undecryptable under a wrong key."""
    try:
        return decrypt(value)
    except InvalidToken:
        return Undecryptable(value) if value.startswith(_TOKEN_START) else value


_TOKEN_START = "gAAAAA"  # version byte 0x80 and a timestamp's high bytes, in base64


_warned: set[str] = set()


def _unreadable(label: str, token: str) -> Undecryptable:
    if label not in _warned:
        _warned.add(label)
        logger.error("%s: a stored value cannot be decrypted with ZHAOSHANG_FIELD_KEY (wrong key, or a backup "
                     "restored without the key it was taken under); shown as 无法解密", label)
    return Undecryptable(token)


class EncryptedCharField(models.CharField):
    description = "Text stored encrypted (Fernet)"

    def db_type_parameters(self, connection):
        # The column is as wide as the token; max_length stays the plain text's limit.
        return DictWrapper({**self.__dict__, "max_length": token_length(self.max_length)}, connection.ops.quote_name, "qn_")

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            return _unreadable(f"{self.model._meta.label}.{self.name}", value)

    def get_prep_value(self, value):
        if isinstance(value, Undecryptable):
            return value.token
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in _ALLOWED_LOOKUPS:
            raise FieldError(f"{self.name} is stored encrypted: it cannot be searched with '{lookup_name}'.")
        return super().get_lookup(lookup_name)


# --- migrations: the existing plain values of a column, encrypted (and back) ---------


def _rewrite(apps, schema_editor, app_label: str, model_name: str, field_name: str, convert) -> None:
    model = apps.get_model(app_label, model_name)
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field_name).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")
        changed = [(new, pk) for pk, old in cursor.fetchall() if (new := convert(old)) != old]
        cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", changed)


def _encrypted(value: str) -> str:
    try:
        decrypt(value)
    except InvalidToken:
        return encrypt(value)
    return value  # already a token (a migration run again after a partial reverse)


def _decrypted(value: str) -> str:
    try:
        return decrypt(value)
    except InvalidToken:
        return value  # plain already


def encrypt_existing(app_label: str, model_name: str, field_name: str):
    """A RunPython operation encrypting the plain values of a column (reverse: decrypting)."""
    from django.db import migrations

    return migrations.RunPython(
        functools.partial(_rewrite, app_label=app_label, model_name=model_name, field_name=field_name, convert=_encrypted),
        functools.partial(_rewrite, app_label=app_label, model_name=model_name, field_name=field_name, convert=_decrypted),
    )
