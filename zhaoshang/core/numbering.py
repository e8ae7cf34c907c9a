"""The one allocator of codes and numbers (project codes, ticket numbers, …): a Sequence row
per zone, kind and year, incremented by an UPDATE that locks the row until the caller's
transaction ends. Two creates at the same moment, on SQLite or PostgreSQL, in one process or
on two machines, get two numbers; a create that is rolled back gives its number back."""

from django.db import IntegrityError, transaction
from django.db.models import F

from zhaoshang.core.models import Sequence, Zone


def allocate(zone: Zone, kind: str, year: int, *, count: int = 1, floor=None) -> int:
    """Reserve `count` consecutive numbers and return the first. `floor()` gives the highest
    number already in use when the sequence does not exist yet (codes made before it did)."""
    rows = Sequence.objects.filter(zone=zone, kind=kind, year=year)
    with transaction.atomic():
        if not rows.update(last=F("last") + count):
            start = floor() if floor else 0
            try:
                with transaction.atomic():
                    Sequence.objects.create(zone=zone, kind=kind, year=year, last=start + count)
                return start + 1
            except IntegrityError:  # another create made the row first; its lock is ours now
                rows.update(last=F("last") + count)
        return rows.values_list("last", flat=True).get() - count + 1


def highest(codes, prefix: str) -> int:
    """The highest number among codes `prefix` + digits."""
    numbers = [int(code[len(prefix):]) for code in codes if code.startswith(prefix) and code[len(prefix):].isdigit()]
    return max(numbers, default=0)


def next_code(zone: Zone, kind: str, year: int, prefix: str, model, width: int = 4) -> str:
    """The next free code `prefix` + number for `model` rows of the zone (a code someone typed
    in, or a ledger brought, is skipped)."""
    taken = model._base_manager.filter(zone=zone)

    def floor() -> int:
        return highest(taken.filter(code__startswith=prefix).values_list("code", flat=True), prefix)

    while True:
        code = f"{prefix}{allocate(zone, kind, year, floor=floor):0{width}d}"
        if not taken.filter(code=code).exists():
            return code
