"""Background jobs of the platform's core: the daily removal of unconfirmed uploads."""

import datetime as dt

from django_tasks import task

from zhaoshang.core.queue import periodic


@periodic(every="daily", at=dt.time(3, 0), name="core.purge_uploads")
@task()
def purge_uploads() -> int:
    """Ledger files checked but not confirmed within a day go (as `zhaoshang purge_uploads`)."""
    from zhaoshang.core.uploads import purge_unconfirmed_uploads

    removed = purge_unconfirmed_uploads()
    return removed["jobs"] + removed["orphans"]
