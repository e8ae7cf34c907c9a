"""Reading a ledger beside its import: the file is opened and its rows parsed
(readers.py, parsing.py) while the importing process plans and writes the rows already
read. On Linux, in a process with no other thread (the zhaoshang command), the reading
runs in a forked process, so that reading and planning each have a core; elsewhere (a
page's import in a threaded web server, another system, ZHAOSHANG_LEDGER_READ_PROCESS
off, a fork that fails) in the importing process itself, one step after the other.

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
import struct
import sys
import threading
import traceback

from django.conf import settings

from zhaoshang.ledger import readers
from zhaoshang.ledger.parsing import parse_sheet

CHUNK = 2000  # records per event: a pipe write per event, not per row
PIPE_BUFFER = 1 << 20


def use_process() -> bool:
    """Fork only a process with no other thread (the zhaoshang command, a worker): the
    copy of a threaded web server would hold its sockets and its other threads' locks.
    Imports started from a page read in the web process."""
    return (sys.platform == "linux" and bool(getattr(settings, "ZHAOSHANG_LEDGER_READ_PROCESS", True))
            and threading.active_count() == 1)


def read(path, filename: str, consume, *, process: bool | None = None) -> None:
    """Read the ledger at `path`, calling `consume(event)` for each event in order."""
    if process if process is not None else use_process():
        try:
            _read_in_child(path, filename, consume)
            return
        except _NoFork:
            pass  # no memory or processes left for a fork: read here instead
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


class _NoFork(Exception):
    pass


def _read_in_child(path, filename: str, consume) -> None:
    read_end, write_end = os.pipe()
    # Ctrl-C reaches both processes: the child must never unwind into the importing
    # stack it was copied with (its transaction, its database connection), so it ignores
    # SIGINT, blocked until it has said so; the parent stops it on its way out.
    stopped = {signal.SIGINT, signal.SIGTERM}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, stopped)
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_end)
        os.close(write_end)
        raise _NoFork from None
    if pid == 0:
        _child(path, filename, read_end, write_end, blocked)  # never returns
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb", buffering=PIPE_BUFFER) as pipe:
            while True:
                event = _receive(pipe)
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
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already (SIGCHLD ignored by the host)
            pass


def _child(path, filename, read_end, write_end, blocked) -> None:
    """The reading process: reads, sends, and leaves by _exit — it never touches the
    database, and nothing of the importing process runs on after it."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_end)
        # Of the descriptors inherited, keep only the standard ones and the pipe.
        os.closerange(3, write_end)
        os.closerange(write_end + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
        with os.fdopen(write_end, "wb", buffering=PIPE_BUFFER) as pipe:
            def send(event):
                _send(pipe, event)

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


# Each event is a length and a pickle, so that a half-written event (a process killed
# mid-write) is told apart from a whole one.
_LENGTH = struct.Struct("<Q")


def _send(pipe, event) -> None:
    data = pickle.dumps(event, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)))
    pipe.write(data)
    pipe.flush()


def _receive(pipe):
    head = pipe.read(_LENGTH.size)
    if len(head) == _LENGTH.size:
        size = _LENGTH.unpack(head)[0]
        data = pipe.read(size)
        if len(data) == size:
            return pickle.loads(data)
    raise RuntimeError("the ledger's reading process ended without finishing")
