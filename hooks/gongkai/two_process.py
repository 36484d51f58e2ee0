"""Entry pages rendered on two cores: this process and one forked child share the work.

`mkdocs build` renders one page after another in one process; the entry pages are nearly all
of a site's pages. Forked once MkDocs has read every other page (so the child sees the same
nav, files and template environment), the child starts rendering entries at once while the
parent builds the other pages; the parent then renders what the child has not claimed yet.
Both claim small chunks from one shared counter, so neither waits for the other's share.

The child's log records go back to the parent through a pipe and are logged again there,
through the same loggers: they print once, and `mkdocs build --strict` counts them. An
exception in the child is raised again in the parent; a child that dies is an error, never a
hang. This module knows nothing of MkDocs: plugin.py hands it the rendering of one page.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from .workers import usable_cores

Item = TypeVar("Item")

MIN_PAGES_VARIABLE = "GONGKAI_FORK_MIN_PAGES"
"""Environment variable: the fewest entry pages for which the build forks a second renderer
(0 or 1: always, when the machine allows; a large number: never)."""
MIN_PAGES_DEFAULT = 200
"""Below this, forking costs more than the second core saves (measured: see bench/README.md)."""
CHUNK = 64
"""Entry pages claimed at a time: small enough that both processes finish together, large
enough that the lock is rare."""

_HEADER = struct.Struct("!I")


def min_pages() -> int:
    value = os.environ.get(MIN_PAGES_VARIABLE, "")
    return int(value) if value.strip().isdigit() else MIN_PAGES_DEFAULT


def can_fork(page_count: int) -> bool:
    """Whether a second renderer pays: fork exists, two cores are ours, pages enough."""
    return hasattr(os, "fork") and usable_cores() >= 2 and page_count >= max(min_pages(), 1)


class TwoProcessRendering(Generic[Item]):
    """Render `items` with `render`, in this process and (after `start`) one forked child.

    `start` forks the child, which renders chunks until none are left; `finish` renders the
    rest here, waits for the child and raises its failure; `abandon` kills it. Without `start`
    (or when forking does not pay), `finish` renders everything here, in the same order of
    calls."""

    def __init__(self, items: Sequence[Item], render: Callable[[Item], None],
                 fail: Callable[[str], Exception], logger_name: str = "mkdocs"):
        self._items = items
        self._render = render
        self._fail = fail
        """Makes the error raised when the child dies without saying why."""
        self._logger_name = logger_name
        self._next = multiprocessing.RawValue("q", 0)
        self._lock = multiprocessing.Lock()
        self._child: int | None = None
        self._reader: threading.Thread | None = None
        self._read_fd: int | None = None
        self._child_error: BaseException | None = None
        self._child_done = False

    @property
    def forked(self) -> bool:
        return self._child is not None

    def _claim(self) -> range | None:
        with self._lock:
            start = self._next.value
            if start >= len(self._items):
                return None
            end = min(start + CHUNK, len(self._items))
            self._next.value = end
        return range(start, end)

    def _stop_claims(self) -> None:
        with self._lock:
            self._next.value = len(self._items)

    def _render_claimed(self, stop: Callable[[], bool] = lambda: False) -> None:
        while not stop() and (claimed := self._claim()) is not None:
            for index in claimed:
                self._render(self._items[index])

    def start(self, prepare_child: Callable[[], None]) -> None:
        """Fork the child, which runs `prepare_child` and renders until nothing is left."""
        read_fd, write_fd = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # else the child would print it again
            stream.flush()
        gc.freeze()  # the child does not copy every object by collecting it
        pid = os.fork()
        if pid == 0:  # pragma: no cover (measured by the parent's tests through the pages)
            os.close(read_fd)
            self._run_child(write_fd, prepare_child)
        gc.unfreeze()
        os.close(write_fd)
        self._child, self._read_fd = pid, read_fd
        self._reader = threading.Thread(target=self._read_child, name="gongkai-child-log",
                                        daemon=True)
        self._reader.start()

    def _run_child(self, write_fd: int, prepare_child: Callable[[], None]) -> None:
        """The child's whole life: render, send logs and the outcome, exit without cleanup
        (the parent's files, search worker and atexit handlers are the parent's)."""
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            logger = logging.getLogger(self._logger_name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.addHandler(_Forwarder(write_fd))
            prepare_child()
            return_freed_memory()
            self._render_claimed()
            _send(write_fd, ("done", None))
        except BaseException as error:  # noqa: BLE001 (every failure goes to the parent)
            code = 1
            self._stop_claims()
            with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
                _send(write_fd, ("error", _picklable(error)))
        finally:
            for stream in (sys.stdout, sys.stderr):  # what a plugin printed
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)

    def _read_child(self) -> None:
        """In the parent: log the child's records as they come, keep its outcome."""
        assert self._read_fd is not None
        with os.fdopen(self._read_fd, "rb") as pipe:
            while header := pipe.read(_HEADER.size):
                if len(header) < _HEADER.size:
                    break
                (size,) = _HEADER.unpack(header)
                body = pipe.read(size)
                if len(body) < size:
                    break
                kind, value = pickle.loads(body)
                if kind == "log":
                    logging.getLogger(value.name).handle(value)
                elif kind == "error":
                    self._child_error = value
                elif kind == "done":
                    self._child_done = True

    def finish(self) -> None:
        """Render what is left here, then wait for the child; its failure is raised here."""
        self._render_claimed(stop=lambda: self._child_error is not None)
        if self._child is None:
            return
        _, status = os.waitpid(self._child, 0)
        self._child = None
        assert self._reader is not None
        self._reader.join()
        if self._child_error is not None:
            raise self._child_error
        if not self._child_done or status != 0:
            raise self._fail(_death(status))

    def abandon(self) -> None:
        """Kill the child (the build failed elsewhere) and wait for it."""
        if self._child is None:
            return
        self._stop_claims()
        try:
            os.kill(self._child, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._child, 0)
        self._child = None
        if self._reader is not None:
            self._reader.join()


class _Forwarder(logging.Handler):
    """In the child: every record the logger passes goes to the parent, formatted."""

    def __init__(self, write_fd: int):
        super().__init__()
        self._write_fd = write_fd

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        try:
            _send(self._write_fd, ("log", record))
        except (pickle.PicklingError, TypeError, AttributeError):
            plain = logging.makeLogRecord({"name": record.name, "levelno": record.levelno,
                                           "levelname": record.levelname, "msg": record.msg})
            _send(self._write_fd, ("log", plain))


def return_freed_memory() -> None:
    """What the child let go is freed, and glibc's free pages are given back to the system:
    the child's resident memory is what the build's peak counts (sum over its processes)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _send(write_fd: int, message: tuple[str, object]) -> None:
    body = pickle.dumps(message)
    data = memoryview(_HEADER.pack(len(body)) + body)
    while data:
        data = data[os.write(write_fd, data):]


def _picklable(error: BaseException) -> BaseException:
    """The child's exception itself when it survives pickling, else one saying what it was."""
    try:
        return pickle.loads(pickle.dumps(error))  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        how = f"被信号 {os.WTERMSIG(status)} 终止（可能是内存不足）"
    else:
        how = f"以退出码 {os.WEXITSTATUS(status)} 结束"
    return f"渲染公开信息页面的子进程意外{how}，构建已停止：请重新构建"
