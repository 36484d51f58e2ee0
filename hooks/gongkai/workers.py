"""Tasks run by forked workers, one per core, their results given back in order.

What `gongkai check` and the build need to judge ten thousand files on every core: a fixed
list of tasks, each a number; results `marshal` can write. `multiprocessing.Pool` did it, but
importing it, starting its workers and threads and ending them was a tenth of the command's
serial time (24 ms of ~0.2 s at 10,000 entries); here it is a pipe of task numbers and a pipe
of results per worker.

Every task number is written to one pipe before the workers are forked; each worker reads
the next number (four bytes, and reads from a pipe never interleave), runs the task and
writes the result, marshalled and tagged with the number, to its own pipe. A thread of the
parent drains those pipes as results come, so that no worker waits on a full pipe while the
parent does other work. A task whose worker failed (an exception, a kill) is given back as
None, for the caller to run itself, where any error is raised with its traceback.
"""

from __future__ import annotations

import marshal
import os
import select
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

_TASK = struct.Struct("<I")
_RESULT_HEADER = struct.Struct("<II")
"""Task number and size of the marshalled result that follows."""
MAX_TASKS = 4096
"""Task numbers that fit in a pipe before any worker reads one (16 KiB: the smallest pipe
capacity of the systems that fork); callers make their tasks larger beyond it."""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and usable_cores() >= 2


def run_in_order(count: int, task: Callable[[int], Any],
                 meanwhile: Callable[[], None]) -> Iterator[Any | None]:
    """`task(number)` for each number below `count`, run by forked workers and given in
    order of the numbers as soon as each is there; None for a task no worker ran (no fork,
    one core, no process left, a worker that failed). `meanwhile` runs here once the workers
    are started (first, when none are)."""
    if not can_fork() or not 0 < count <= MAX_TASKS:
        meanwhile()
        yield from [None] * count
        return
    tasks_read, tasks_write = os.pipe()
    os.write(tasks_write, b"".join(_TASK.pack(number) for number in range(count)))
    os.close(tasks_write)  # so that a worker finding the pipe empty reads its end
    for stream in (sys.stdout, sys.stderr):  # else a worker could print it again
        stream.flush()
    workers: dict[int, int] = {}  # result pipe → process
    try:
        for _ in range(min(usable_cores(), count)):
            result_read, result_write = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes: the tasks left are run by the caller
                os.close(result_read)
                os.close(result_write)
                break
            if pid == 0:  # pragma: no cover (a worker: measured through its results)
                os.close(result_read)
                for other in workers:
                    os.close(other)
                _work(tasks_read, result_write, task)
            os.close(result_write)
            workers[result_read] = pid
    finally:
        os.close(tasks_read)
    results = _Results(list(workers))
    finished = False
    try:
        meanwhile()
        for number in range(count):
            yield results.take(number)
        finished = True
    finally:
        for pid in workers.values():  # given up early: none is left running
            _end(pid, kill=not finished)
        results.close()


def _work(tasks: int, results: int, task: Callable[[int], Any]) -> None:
    """A worker's life: tasks until none are left, then out without the parent's exit
    handlers (the parent's buffers and files are its own)."""
    status = 1  # an error: the parent runs the task again itself, and reports it
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once
        while len(claimed := os.read(tasks, _TASK.size)) == _TASK.size:
            (number,) = _TASK.unpack(claimed)
            data = marshal.dumps(task(number))
            _write_all(results, _RESULT_HEADER.pack(number, len(data)) + data)
        status = 0
    finally:
        os._exit(status)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _end(pid: int, kill: bool) -> None:
    """Wait for a worker to end (it has written its last result); `kill` it first."""
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass


class _Results:
    """Results read from the workers' pipes by a thread, kept until taken."""

    def __init__(self, pipes: list[int]):
        self._pipes = pipes
        self._ready: dict[int, bytes] = {}
        self._drained = not pipes
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._drain, name="gongkai-results", daemon=True)
        if pipes:
            self._thread.start()

    def take(self, number: int) -> Any | None:
        """The result of task `number` once it is there; None when no worker will give it."""
        with self._condition:
            while number not in self._ready and not self._drained:
                self._condition.wait()
            data = self._ready.pop(number, None)
        return None if data is None else marshal.loads(data)

    def _drain(self) -> None:
        pending = {pipe: bytearray() for pipe in self._pipes}
        try:
            while pending:
                readable, _, _ = select.select(list(pending), [], [])
                for pipe in readable:
                    chunk = os.read(pipe, 1 << 20)
                    if not chunk:  # the worker ended: a result cut short is lost
                        del pending[pipe]
                        continue
                    buffer = pending[pipe]
                    buffer += chunk
                    self._keep_whole_results(buffer)
        finally:
            with self._condition:
                self._drained = True
                self._condition.notify_all()

    def _keep_whole_results(self, buffer: bytearray) -> None:
        start = 0
        while len(buffer) - start >= _RESULT_HEADER.size:
            number, size = _RESULT_HEADER.unpack_from(buffer, start)
            end = start + _RESULT_HEADER.size + size
            if len(buffer) < end:
                break
            with self._condition:
                self._ready[number] = bytes(buffer[start + _RESULT_HEADER.size:end])
                self._condition.notify_all()
            start = end
        del buffer[:start]

    def close(self) -> None:
        """After every worker has ended: their pipes are at their end, the thread is done."""
        if self._pipes:
            self._thread.join()
        for pipe in self._pipes:
            os.close(pipe)
