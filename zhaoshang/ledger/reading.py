"""Reading a ledger beside its import: the file is opened and its rows parsed
(readers.py, parsing.py) while the importing process plans and writes the rows already
read. On Linux the reading runs in a forked process, so that reading and planning each
have a core; elsewhere, or when ZHAOSHANG_LEDGER_READ_PROCESS is off, in the importing
process itself, one step after the other.

The reading hands the import events, in order:

    ("sheets", [(name, rows), ...])        the file is open
    ("layout", sheet, layout)              a sheet's header was found
    ("rows", sheet, records, issues)       up to CHUNK records of it, with the cell errors
                                           found since the last event
    ("progress", sheet, rows_read)         now and then
    ("sheet", sheet, layout, rows_read)    a sheet has been read to its end (layout None:
                                           no header was found)

A file that cannot be read raises LedgerFileError from `read()`, as opening it does.
"""

import os
import pickle
import signal
import sys
import traceback

from django.conf import settings

from zhaoshang.ledger import readers
from zhaoshang.ledger.parsing import parse_sheet

CHUNK = 2000  # records per event: a pipe write per event, not per row
PIPE_BUFFER = 1 << 20


def use_process() -> bool:
    return sys.platform == "linux" and bool(getattr(settings, "ZHAOSHANG_LEDGER_READ_PROCESS", True))


def read(path, filename: str, consume, *, process: bool | None = None) -> None:
    """Read the ledger at `path`, calling `consume(event)` for each event in order."""
    if process if process is not None else use_process():
        _read_in_child(path, filename, consume)
    else:
        _produce(path, filename, consume)


def _produce(path, filename: str, send) -> None:
    """Open and parse the file, sending its events."""
    sheets = readers.open_sheets(path, filename)
    send(("sheets", [(sheet.name, sheet.height) for sheet in sheets]))
    for sheet in sheets:
        issues, sent_issues, chunk = [], 0, []

        def flush():
            nonlocal chunk, sent_issues
            send(("rows", sheet.name, chunk, issues[sent_issues:]))
            chunk, sent_issues = [], len(issues)

        def sink(layout):
            send(("layout", sheet.name, layout))

            def take(record):
                chunk.append(record)
                if len(chunk) >= CHUNK:
                    flush()

            return take

        def progress(count):
            flush()
            send(("progress", sheet.name, count))

        parsed = parse_sheet(sheet, issues, progress=progress, sink=sink)
        if chunk or len(issues) > sent_issues:
            flush()
        send(("sheet", sheet.name, parsed.layout, parsed.rows_read))


def _read_in_child(path, filename: str, consume) -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the reading process: it never touches the database, and leaves by _exit
        code = 0
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb", buffering=PIPE_BUFFER) as pipe:
                def send(event):
                    pickle.dump(event, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.flush()

                try:
                    _produce(path, filename, send)
                    send(("end",))
                except readers.LedgerFileError as error:
                    send(("file error", str(error)))
                except BaseException:
                    send(("failed", traceback.format_exc()))
        except BaseException:
            code = 1
        finally:
            os._exit(code)

    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb", buffering=PIPE_BUFFER) as pipe:
            while True:
                try:
                    event = pickle.load(pipe)
                except EOFError:
                    raise RuntimeError("the ledger's reading process ended without finishing") from None
                kind = event[0]
                if kind == "end":
                    finished = True
                    break
                if kind == "file error":
                    finished = True
                    raise readers.LedgerFileError(event[1])
                if kind == "failed":
                    finished = True
                    raise RuntimeError(f"reading the ledger failed:\n{event[1]}")
                consume(event)
    finally:
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
