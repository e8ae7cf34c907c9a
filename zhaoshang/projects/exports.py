"""The project list as an Excel workbook: exactly the filtered rows, in the list's order,
written by the ledger's export so that an exported list reads back through the ledger
import."""

import io

from zhaoshang.ledger.export import write_projects


def projects_workbook(queryset, drill=None, *, zone_name: str = "", filters_text: str = "") -> tuple[bytes, int]:
    """(xlsx bytes, number of project rows)."""
    stream = io.BytesIO()
    count = write_projects(queryset, drill.period if drill else None, stream, zone_name=zone_name, filters_text=filters_text)
    return stream.getvalue(), count
