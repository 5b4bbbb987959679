"""The Python quick starts of README.md and python/README.md, run verbatim against a sandbox."""

from __future__ import annotations

import json
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import pagoefectivo
from pagoefectivo import webhooks
from pagoefectivo.reconcile import Class
from pagoefectivo.testing import Sandbox

from conftest import REPO, order


def python_blocks(path: Path, section: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start : end if end > 0 else None], re.S)


def run_block(code: str, path: Path, namespace: dict[str, Any]) -> None:
    exec(compile(code, str(path), "exec"), namespace)


@pytest.fixture
def env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    for name, value in sandbox.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return sandbox


@pytest.mark.parametrize(
    ("path", "section"), [(REPO / "README.md", "Python"), (REPO / "python" / "README.md", "Quick start")]
)
def test_quick_start_runs(path: Path, section: str, env: Sandbox) -> None:
    namespace: dict[str, Any] = {}
    run_block(python_blocks(path, section)[0], path, namespace)
    assert namespace["cip"].cip == 2523136
    assert str(namespace["info"].status) == "generated"


def test_readme_refund_and_reconciliation_block_runs(env: Sandbox) -> None:
    path = REPO / "README.md"
    first, second = python_blocks(path, "Python")[:2]
    namespace: dict[str, Any] = {}
    run_block(first, path, namespace)
    env.pay(namespace["cip"].cip)  # the shopper pays; the shop missed the notification
    run_block(second, path, namespace)
    assert namespace["refund"].status == "requested" and namespace["refund"].amount == Decimal("10.00")
    assert namespace["result"].summary.counts == {Class.MISSED_NOTIFICATION: 1}


def test_python_readme_refunds_section_runs(env: Sandbox, tmp_path: Path) -> None:
    path = REPO / "python" / "README.md"
    client = env.client()
    paid_cip = client.cips.create(**order(amount=Decimal("100.00"))).cip
    env.pay(paid_cip)
    namespace: dict[str, Any] = {"paid_cip": paid_cip}
    run_block(python_blocks(path, "Refunds")[0], path, namespace)
    assert namespace["left"].refundable_amount == Decimal("90.00")
    [record] = [json.loads(x) for x in (tmp_path / "refund-audit.jsonl").read_text().splitlines()]
    assert record["actor"] == "operator-7" and record["outcome"] == "ok"


def test_python_readme_reconciliation_section_runs(env: Sandbox, tmp_path: Path) -> None:
    path = REPO / "python" / "README.md"
    client = env.client()
    cips = [client.cips.create(**order(f"ORD-{i}")).cip for i in range(3)]
    env.pay(cips[0])
    env.pay(cips[1])
    (tmp_path / "orders.csv").write_text(
        "Pedido,cip,currency,Importe,status\n"
        f"ORD-0,{cips[0]},PEN,25.50,paid\nORD-1,{cips[1]},PEN,25.50,pending\nORD-2,{cips[2]},PEN,25.50,pending\n"
    )
    (tmp_path / "report.csv").write_text(
        f"Nro CIP,transaction_code,currency,amount\n{cips[0]},ORD-0,PEN,25.50\n"
    )
    namespace: dict[str, Any] = {"client": client, "pagoefectivo": pagoefectivo}
    run_block(python_blocks(path, "Reconciliation")[0], path, namespace)
    assert namespace["result"].summary.counts == {Class.MATCHED: 1, Class.UNPAID: 2}
    assert (tmp_path / "reconciliation" / "report.html").exists()
    assert namespace["swept"].summary.counts == {
        Class.MATCHED: 1,
        Class.MISSED_NOTIFICATION: 1,
        Class.UNPAID: 1,
    }


@pytest.mark.parametrize("store", ["memory", "PAGOEFECTIVO_TEST_POSTGRES_URL", "PAGOEFECTIVO_TEST_REDIS_URL"])
def test_python_readme_many_servers_section_runs(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "memory:" if store == "memory" else os.environ.get(store)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{store} is not set")
        pytest.skip(f"{store} is not set")
    monkeypatch.setenv("PAGOEFECTIVO_DEDUP_URL", url)
    path = REPO / "python" / "README.md"
    paid: list[int] = []
    namespace: dict[str, Any] = {"mark_order_paid": paid.append}
    run_block(python_blocks(path, "Many servers")[0], path, namespace)
    handle = namespace["handle"]

    def event(amount: str = "10.00") -> webhooks.Event:
        body = (
            f'{{"eventType":"cip.paid","operationNumber":"{run}","data":{{"cip":"77",'
            f'"currency":"PEN","amount":{amount}}}}}'
        ).encode()
        return webhooks.construct_event(body, webhooks.sign(body, "k"), "k")

    run = uuid.uuid4().hex  # new to a store that outlives the test
    # Another server on the same store (in memory: another thread of this process).
    other_server = namespace["dedup"] if url == "memory:" else webhooks.Deduplicator.from_url(url)
    assert other_server.begin(event()) == "started"
    assert handle(event()) == 409 and paid == []  # another server is on it
    other_server.fail(event())
    assert handle(event()) == 200 and paid == [77]
    assert handle(event()) == 200 and paid == [77]  # the redelivery is a duplicate
    assert handle(event("99.00")) == 400  # same key, other payload
    assert other_server.begin(event()) == "duplicate"  # done, for every server
    namespace["dedup"] = webhooks.Deduplicator.from_url("redis://127.0.0.1:9/0")  # nothing listens there
    assert handle(event()) == 503
