"""One client shared by threads, the GIL released during I/O, and a forked child that still works."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import pagoefectivo
from pagoefectivo.testing import Sandbox

from conftest import FAST, order


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


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_forks_during_token_refreshes_and_requests_never_hang() -> None:
    """Gunicorn --preload, Celery prefork: a fork can happen while other threads refresh the token
    (the sandbox expires it all the time here) and make requests. Every child makes its own call and
    exits in time; a hung child is killed and fails the test."""
    forks, child_deadline = 16, 20.0
    with Sandbox(token_lifetime=1) as sb:
        client = sb.client(**{**FAST, "token_refresh_margin": 0})
        client.authenticate()
        stop = threading.Event()
        calls = [0]

        def busy() -> None:
            while not stop.is_set():
                try:
                    client.cips.get(1)
                except pagoefectivo.NotFoundError:
                    calls[0] += 1
                except pagoefectivo.PagoEfectivoError:
                    pass

        def expire_tokens() -> None:
            # The sandbox's clock jumps past every token: the next call meets a 401 and refreshes.
            while not stop.is_set():
                sb.advance_clock(5)
                time.sleep(0.003)

        threads = [threading.Thread(target=busy) for _ in range(4)] + [threading.Thread(target=expire_tokens)]
        for t in threads:
            t.start()
        children: dict[int, float] = {}
        hung: list[int] = []
        statuses: list[int] = []
        try:
            time.sleep(0.2)
            for i in range(forks):
                pid = os.fork()
                if pid == 0:  # the child: one call of its own, then out
                    code = 3
                    try:
                        client.cips.get(1)
                    except pagoefectivo.NotFoundError:
                        code = 0
                    except pagoefectivo.PagoEfectivoError:
                        code = 0  # a typed answer in time is all this test asks
                    finally:
                        os._exit(code)
                children[pid] = time.monotonic() + child_deadline
                time.sleep(0.01 + 0.01 * (i % 3))
            while children:
                for pid, deadline in list(children.items()):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        statuses.append(os.waitstatus_to_exitcode(status))
                        del children[pid]
                    elif time.monotonic() > deadline:
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        hung.append(pid)
                        del children[pid]
                time.sleep(0.01)
        finally:
            stop.set()
            for t in threads:
                t.join()
            for pid in children:
                os.kill(pid, signal.SIGKILL)
        refreshes = sb.request_count("authorizations")
    assert not hung, f"{len(hung)} of {forks} children hung"
    assert statuses == [0] * forks, statuses
    assert calls[0] > 0 and refreshes > forks, (calls, refreshes)
