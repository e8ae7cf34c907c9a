"""Pinyin for names: the order of lists (by full pinyin, as a Chinese reader expects, not
by character code) and search by pinyin (`yqgx` or `yangquan` finds 阳泉高新区).

A row keeps `name_pinyin` = "<full pinyin> <initials>", lower case, without spaces inside
each part ("yangquangaoxinqu yqgxq"); Latin letters and digits in a name are kept as they
are in both parts ("abc科技" → "abckeji abckj"). The key is set when the row is saved
(the models' save()) and by the ledger importer for the rows it inserts in bulk.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Q
from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
KEPT = re.compile(r"[0-9a-z]+")
# A name of 200 characters gives at most 200 × 6 letters of pinyin and 200 initials.
MAX_LENGTH = 1500


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[tuple[str, str], ...]:
    """(full, initial) per syllable of one segment; a segment is a phrase of the pinyin
    dictionary (重庆 → chong qing) or a run of other characters. Company names repeat
    their segments (有限公司, 科技), so the cache spares most of pypinyin's work."""
    if not HAN.search(word):
        kept = "".join(KEPT.findall(word.lower()))
        return ((kept, kept),) if kept else ()
    pairs = []
    for syllable in lazy_pinyin(word, errors=lambda chars: [c for c in chars]):
        syllable = "".join(KEPT.findall(syllable.lower()))
        if syllable:
            pairs.append((syllable, syllable[0] if syllable.isalpha() else syllable))
    return tuple(pairs)


HAN_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


@lru_cache(maxsize=65536)
def _han_run(run: str) -> tuple[tuple[str, str], ...]:
    """A run of Chinese characters: ledgers repeat them with other numbers around
    (新能源电池及材料项目001, …002), so they are cached whole, then by segment."""
    return tuple(pair for word in seg(run) for pair in _word(word))


def search_key(name: str) -> str:
    pairs = []
    for index, part in enumerate(HAN_RUN.split(name or "")):
        if index % 2:
            pairs += _han_run(part)
        elif part:
            pairs += _word(part)
    full = "".join(p[0] for p in pairs)
    initials = "".join(p[1] for p in pairs)
    return f"{full} {initials}"[:MAX_LENGTH] if pairs else ""


def query_key(word: str) -> str | None:
    """What a search word is looked up as in `name_pinyin`, or None when the word is not
    pinyin (it has Chinese characters or nothing to match)."""
    word = word.strip().lower()
    if not word or HAN.search(word) or not re.fullmatch(r"[0-9a-z' ]+", word):
        return None
    return word.replace("'", "").replace(" ", "") or None


def name_matches(word: str, prefix: str = "") -> Q:
    """A search word against a name: the characters, or its pinyin (full or initials)."""
    condition = Q(**{f"{prefix}name__icontains": word})
    key = query_key(word)
    if key:
        condition |= Q(**{f"{prefix}name_pinyin__contains": key})
    return condition


def name_pinyin_field():
    from django.db import models
    from django.utils.translation import gettext_lazy as _

    return models.CharField(_("名称拼音"), max_length=MAX_LENGTH, blank=True, default="", db_default="", editable=False)


def keep_key(instance, update_fields):
    """Called by save(): the row's name_pinyin follows its name. Returns the update_fields
    to save with (name_pinyin added when name is among them)."""
    instance.name_pinyin = search_key(instance.name)
    if update_fields is not None and "name" in update_fields:
        return [*update_fields, "name_pinyin"]
    return update_fields
