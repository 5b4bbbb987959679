"""One client shared by threads, the GIL released during I/O, and a forked child that still works."""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import pagoefectivo
from pagoefectivo.testing import Sandbox

from conftest import order


def test_one_client_shared_by_32_threads(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    with ThreadPoolExecutor(32) as pool:
        made = list(pool.map(lambda i: client.cips.create(**order(f"ORD-{i}")), range(200)))
    assert len({c.cip for c in made}) == 200
    assert len(sandbox.cips()) == 200
    assert sandbox.request_count("authorizations") == 1  # concurrent callers shared one token


def test_gil_is_released_while_waiting(client: pagoefectivo.Client, sandbox: Sandbox) -> None:
    client.authenticate()
    sandbox.add_fault("cips_search", "latency", ms=400, times=1)
    counted = 0
    done = threading.Event()

    def slow_call() -> None:
        try:
            client.cips.get(1)
        except pagoefectivo.NotFoundError:
            pass
        done.set()

    t = threading.Thread(target=slow_call)
    t.start()
    # Pure-Python work on this thread progresses while the other waits on the network.
    while not done.is_set():
        counted += 1
        time.sleep(0)
    t.join()
    assert counted > 1000


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_forked_child_can_use_a_client_created_and_used_before_the_fork(
    client: pagoefectivo.Client, sandbox: Sandbox
) -> None:
    client.cips.create(**order("ORD-PARENT"))
    aclient = sandbox.async_client()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child (gunicorn worker, Celery task)
        status = 1
        try:
            import asyncio

            cip = client.cips.create(**order("ORD-CHILD"))
            info = client.cips.get(cip.cip)

            async def again() -> int:
                return (await aclient.cips.create(**order("ORD-CHILD-ASYNC"))).cip

            other = asyncio.run(again())
            os.write(write, f"{info.cip} {other}".encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    reply = os.read(read, 100).decode()
    os.close(read)
    assert os.WEXITSTATUS(status) == 0, reply
    assert len(reply.split()) == 2
    assert client.cips.create(**order("ORD-PARENT-AFTER")).cip > 0  # the parent is unaffected
    codes = {c["transactionCode"] for c in sandbox.cips()}
    assert {"ORD-PARENT", "ORD-CHILD", "ORD-CHILD-ASYNC", "ORD-PARENT-AFTER"} <= codes
