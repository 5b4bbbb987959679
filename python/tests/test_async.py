"""The asyncio client: same calls, same errors, concurrent use on one event loop."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import pagoefectivo
from pagoefectivo import CipStatus
from pagoefectivo.testing import Sandbox

from conftest import order


def test_async_lifecycle(aclient: pagoefectivo.AsyncClient, sandbox: Sandbox) -> None:
    async def main() -> None:
        await aclient.authenticate()
        cip = await aclient.cips.create(**order())
        assert cip.amount == Decimal("25.50")
        assert (await aclient.cips.get(cip.cip)).status is CipStatus.GENERATED
        await aclient.cips.extend(cip.cip, datetime.now(timezone.utc) + timedelta(days=1))
        sandbox.pay(cip.cip)
        final = await aclient.cips.wait_for_final_status(cip.cip, timeout=5, initial_interval=0.02)
        assert final.status is CipStatus.PAID
        other = await aclient.cips.create(**order("ORD-2"))
        await aclient.cips.delete(other.cip)
        found = await aclient.cips.search([cip.cip, other.cip])
        assert [i.status for i in found] == [CipStatus.PAID, CipStatus.DELETED]

    asyncio.run(main())


def test_async_errors_are_the_same_classes(aclient: pagoefectivo.AsyncClient) -> None:
    async def main() -> None:
        with pytest.raises(pagoefectivo.NotFoundError):
            await aclient.cips.get(42)
        with pytest.raises(pagoefectivo.ValidationError) as info:
            await aclient.cips.create(**order(amount=1.5))
        assert [f.field for f in info.value.field_errors] == ["amount"]

    asyncio.run(main())


def test_many_concurrent_calls(aclient: pagoefectivo.AsyncClient, sandbox: Sandbox) -> None:
    async def main() -> list[pagoefectivo.Cip]:
        return list(await asyncio.gather(*(aclient.cips.create(**order(f"ORD-{i}")) for i in range(50))))

    made = asyncio.run(main())
    assert len({c.cip for c in made}) == 50
    assert len(sandbox.cips()) == 50


def test_event_loop_keeps_running_during_a_slow_call(
    aclient: pagoefectivo.AsyncClient, sandbox: Sandbox
) -> None:
    async def main() -> int:
        await aclient.authenticate()
        sandbox.add_fault("cips_search", "latency", ms=300, times=1)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.ensure_future(ticker())
        with pytest.raises(pagoefectivo.NotFoundError):
            await aclient.cips.get(7)
        task.cancel()
        return ticks

    assert asyncio.run(main()) >= 10


def test_cancellation_does_not_break_the_client(aclient: pagoefectivo.AsyncClient, sandbox: Sandbox) -> None:
    async def main() -> None:
        sandbox.add_fault("cips_search", "latency", ms=500, times=1)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aclient.cips.get(7), timeout=0.05)
        cip = await aclient.cips.create(**order())
        assert (await aclient.cips.get(cip.cip)).cip == cip.cip

    asyncio.run(main())


EXIT_RIGHT_AFTER = """
import asyncio, sys
from decimal import Decimal
import pagoefectivo

async def main():
    client = pagoefectivo.AsyncClient.from_env()
    await asyncio.gather(*(client.cips.create(currency="PEN", amount=Decimal("1.00"),
        transaction_code=f"X-{i}", user_email="a@b.pe") for i in range(20)))

asyncio.run(main())
"""


def test_interpreter_exits_cleanly_right_after_async_calls(sandbox: Sandbox) -> None:
    # The last step of an async call attaches a runtime thread to the interpreter;
    # exiting right then must not crash it (a fatal error before the atexit wait).
    env = {**os.environ, **sandbox.env()}
    for _ in range(15):
        done = subprocess.run(
            [sys.executable, "-c", EXIT_RIGHT_AFTER], env=env, capture_output=True, timeout=60
        )
        assert done.returncode == 0, done.stderr.decode()
    assert len(sandbox.cips()) == 15 * 20
