"""Many servers: ``Deduplicator.from_url`` on real PostgreSQL and Redis servers, across processes.

The servers come from PAGOEFECTIVO_TEST_POSTGRES_URL / PAGOEFECTIVO_TEST_REDIS_URL (scripts/services.sh;
scripts/test-python.sh starts its own when they are not set). Without them these tests skip, except
under CI (``CI`` set), where a missing server fails them. Workers are separate Python processes
(tests/dedup_worker.py); each writes what it processed to its own file, so counting does not trust the
store under test.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Optional

import pytest

import pagoefectivo
from pagoefectivo import webhooks

import dedup_worker

WORKER = Path(dedup_worker.__file__)
STORES = {"postgres": "PAGOEFECTIVO_TEST_POSTGRES_URL", "redis": "PAGOEFECTIVO_TEST_REDIS_URL"}


def server_url(store: str) -> str:
    """The test server's URL; a skip when it is not set, a failure under CI."""
    var = STORES[store]
    value = os.environ.get(var)
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{var} is not set: CI runs the many-servers tests against a real server")
        pytest.skip(f"{var} is not set (source scripts/services.sh and run services_start)")
    return value


@pytest.fixture(params=sorted(STORES))
def url(request: pytest.FixtureRequest) -> str:
    return server_url(request.param)


def test_servers_are_there_in_ci() -> None:
    if os.environ.get("CI"):
        missing = [var for var in STORES.values() if not os.environ.get(var)]
        assert not missing, f"CI must run the store tests against PostgreSQL and Redis: {missing} unset"


def new_run() -> str:
    """A run id: each test's events are new to the (shared, long-lived) store."""
    return uuid.uuid4().hex[:12]


def worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def read_line(proc: subprocess.Popen[str], timeout: float = 60.0) -> str:
    """The worker's next line on stdout, waited for at most ``timeout`` seconds."""
    assert proc.stdout is not None
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(proc.stdout.readline() if proc.stdout else ""))
    reader.start()
    reader.join(timeout)
    assert got, f"no line from worker {proc.args!r} within {timeout} s"
    return got[0].strip()


def test_four_processes_process_each_of_100_events_exactly_once(url: str, tmp_path: Path) -> None:
    run = new_run()
    outs = [tmp_path / f"worker-{i}.txt" for i in range(4)]
    procs = [worker("deliveries", url, run, str(out)) for out in outs]
    try:
        assert [read_line(p) for p in procs] == ["ready"] * 4
        for p in procs:  # all four start delivering at once
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.close()
        codes = [p.wait(timeout=120) for p in procs]
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert codes == [0, 0, 0, 0], "a worker failed"
    processed = [line for out in outs for line in out.read_text().splitlines()]
    assert len(processed) == 100 and len(set(processed)) == 100, "each event exactly once"
    assert set(processed) == {f"cip.paid:{run}-{n}:{1000 + n}" for n in range(100)}
    answers: Counter[str] = Counter()
    for out in outs:
        answers.update(dedup_worker_answers(out))
    # Every one of the 1,600 deliveries was answered; the 1,500 that did not process were told why.
    assert sum(answers.values()) == 4 * 100 * dedup_worker.DELIVERIES_PER_EVENT, answers
    assert answers["started"] == 100 and set(answers) <= {"started", "duplicate", "in_progress"}, answers


def dedup_worker_answers(out: Path) -> dict[str, int]:
    answers: dict[str, int] = json.loads(Path(f"{out}.answers").read_text())
    return answers


def test_a_worker_killed_mid_processing_leaves_its_event_to_the_next(url: str) -> None:
    run = new_run()
    held = worker("hold", url, run)
    try:
        assert read_line(held) == "started", "the worker never took the lease"
    finally:
        held.kill()  # SIGKILL: no fail(), no complete(), no clean-up of any kind
        held.wait()
    killed = time.monotonic()
    dedup = webhooks.Deduplicator.from_url(url)
    e = dedup_worker.event(run, 0)
    assert dedup.begin(e) == "in_progress", "the dead worker's lease (2 s) still runs"
    while (answer := dedup.begin(e)) == "in_progress":
        assert time.monotonic() - killed < 10, "the lease never expired"
        time.sleep(0.05)
    assert answer == "started", "nothing lost: the next delivery takes the event"
    dedup.complete(e)
    assert dedup.begin(e) == "duplicate", "nothing done twice"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def with_port(url: str, port: int, password: Optional[str] = None) -> str:
    """``url`` pointing at 127.0.0.1:``port`` (optionally with a password in it)."""
    scheme, rest = url.split("://", 1)
    user = rest.split("@", 1)[0].split(":", 1)[0] if "@" in rest else ""
    path = rest.split("/", 1)[1] if "/" in rest else ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"{scheme}://{auth}127.0.0.1:{port}/{path}"


def test_a_store_that_is_not_there_is_a_typed_error_and_nothing_is_marked_done(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    run = new_run()
    e = dedup_worker.event(run, 0)
    gone = webhooks.Deduplicator.from_url(with_port(url, closed_port(), password="hunter2"))
    with caplog.at_level(logging.DEBUG, logger="pagoefectivo"):
        for op in (gone.begin, gone.complete, gone.first_delivery):
            with pytest.raises(pagoefectivo.APIConnectionError) as info:
                op(e)
            err = info.value
            assert (err.code, err.reason, err.retryable) == ("connection_error", "store_unavailable", True)
            assert err.hint is not None and "non-200" in err.hint
            for text in (str(err), repr(err), str(err.__dict__)):
                assert "hunter2" not in text
    assert "hunter2" not in caplog.text and "hunter2" not in repr(gone)
    # Nothing was marked done (nor leased): on the real store the event is new.
    assert webhooks.Deduplicator.from_url(url).begin(e) == "started"


class Relay:
    """A TCP relay to the store's server that can be shut: the server "going away" mid-run."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        # shutdown() wakes the blocked accept() and stops listening (close() alone does neither on Linux).
        for s in [self.listener, *self.sockets]:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def test_a_store_that_goes_away_mid_run_is_a_typed_error_and_nothing_is_marked_done(url: str) -> None:
    run = new_run()
    e = dedup_worker.event(run, 0)
    host_port = url.split("://", 1)[1].split("@")[-1].split("/", 1)[0]
    relay = Relay((host_port.rsplit(":", 1)[0], int(host_port.rsplit(":", 1)[1])))
    try:
        through = webhooks.Deduplicator.from_url(with_port(url, relay.port), lease=0.5)
        assert through.begin(e) == "started"
    finally:
        relay.close()
    time.sleep(0.1)
    with pytest.raises(pagoefectivo.APIConnectionError) as info:
        through.complete(e)
    assert info.value.reason == "store_unavailable"
    # Not marked done: once the lease runs out, the redelivery is processed.
    time.sleep(0.6)
    assert webhooks.Deduplicator.from_url(url).begin(e) == "started"


def test_a_password_in_the_url_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    """The test PostgreSQL trusts loopback, so a password in the URL is accepted, and must stay hidden
    (the test Redis has none to give; a refused one is in the not-there test above)."""
    url = server_url("postgres")
    with_password = url.replace("postgres@", "postgres:hunter2@", 1)
    assert "hunter2" in with_password
    e = dedup_worker.event(new_run(), 0)
    with caplog.at_level(logging.DEBUG, logger="pagoefectivo"):
        dedup = webhooks.Deduplicator.from_url(with_password)
        assert dedup.begin(e) == "started"
        dedup.complete(e)
    assert "hunter2" not in caplog.text and "hunter2" not in repr(dedup) and "hunter2" not in str(dedup)


def test_async_forms_share_the_store_with_the_blocking_ones(url: str) -> None:
    import asyncio

    e = dedup_worker.event(new_run(), 0)
    blocking = webhooks.Deduplicator.from_url(url)

    async def main() -> list[str]:
        aio = webhooks.Deduplicator.from_url(url)
        answers: list[str] = [await aio.begin_async(e), blocking.begin(e)]
        await aio.complete_async(e)
        answers.append(await aio.begin_async(e))
        return answers

    assert asyncio.run(main()) == ["started", "in_progress", "duplicate"]
