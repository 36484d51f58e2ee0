"""Forked workers (workers.py): results in order, a failed task left to the caller, no
worker left behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from gongkai import workers
from gongkai.workers import run_in_order

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="needs fork and two cores")


def test_every_task_runs_in_a_worker_and_comes_back_in_order():
    calls = []

    def task(number):
        time.sleep(0.002 * (number % 3))  # finishing out of order
        return [number, os.getpid(), "结果" * number]

    results = list(run_in_order(40, task, lambda: calls.append(os.getpid())))
    assert [result[0] for result in results] == list(range(40))
    assert [result[2] for result in results] == ["结果" * number for number in range(40)]
    assert os.getpid() not in {result[1] for result in results}  # all run by workers
    assert calls == [os.getpid()]  # meanwhile: once, here


def _fail(how):
    if how == "raises":
        raise ValueError("缺陷")
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("how", ["raises", "is killed"])
def test_a_task_whose_worker_fails_is_left_to_the_caller(how):
    """The worker ends; the other runs every task left."""
    def task(number):
        if number == 3:
            _fail(how)
        time.sleep(0.001)
        return number

    assert list(run_in_order(12, task, lambda: None)) == [
        None if number == 3 else number for number in range(12)]


def test_giving_up_early_ends_every_worker():
    def task(number):
        time.sleep(0.05)
        return os.getpid()

    results = run_in_order(30, task, lambda: None)
    first = next(results)
    results.close()
    with pytest.raises(ProcessLookupError):  # ended and reaped, not left running
        os.kill(first, 0)


def test_without_fork_every_task_is_the_callers(monkeypatch):
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    calls = []
    assert list(run_in_order(3, lambda number: number, lambda: calls.append(1))) == [None] * 3
    assert calls == [1]
