"""Notifications end to end: the sandbox POSTs to a local receiver that verifies and deduplicates them."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Iterator

import pytest

import pagoefectivo
from pagoefectivo import webhooks
from pagoefectivo.testing import Sandbox

from conftest import order

DOC_BODY = (
    b'{"eventType":"cip.paid","operationNumber":"1253",'
    b'"data":{"cip":"11546901","currency":"PEN","amount":22.05}}'
)
DOC_SIG = "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9"


class Receiver:
    """A merchant endpoint: verify the raw body, skip duplicates, answer 200."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.dedup = webhooks.Deduplicator()
        self.processed: list[webhooks.Event] = []
        self.duplicates = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    event = webhooks.construct_event(raw, self.headers.get("PE-Signature"), receiver.secret)
                except pagoefectivo.SignatureVerificationError:
                    self.send_response(400)
                    self.end_headers()
                    return
                if receiver.dedup.first_delivery(event):
                    receiver.processed.append(event)
                else:
                    receiver.duplicates += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(sandbox: Sandbox) -> Iterator[Receiver]:
    r = Receiver(sandbox.secret_key)
    sandbox.notification_url = r.url
    yield r
    r.close()


def test_paid_notification_verified_and_deduplicated(
    client: pagoefectivo.Client, sandbox: Sandbox, receiver: Receiver
) -> None:
    sandbox.add_fault("webhook", "duplicate_delivery", times=1)
    cip = client.cips.create(**order("ORD-HOOK"))
    payment = sandbox.pay(cip.cip)
    deliveries = sandbox.wait_for_deliveries(2, timeout=5)
    assert [d.statuses for d in deliveries] == [[200], [200]]
    assert receiver.duplicates == 1 and len(receiver.processed) == 1
    event = receiver.processed[0]
    assert isinstance(event, webhooks.CipPaidEvent)
    assert event.cip == cip.cip and event.amount == Decimal("25.50") and event.currency == "PEN"
    assert event.operation_number == payment.operation_number and event.transaction_code == "ORD-HOOK"
    assert event.payment_date == payment.date_payment
    assert event.dedup_key == f"cip.paid:{payment.operation_number}:{cip.cip}"


def test_documented_example() -> None:
    event = webhooks.construct_event(DOC_BODY, DOC_SIG.upper() + "  ", "test_secret")
    assert isinstance(event, webhooks.CipPaidEvent)
    assert (event.cip, event.amount, event.operation_number) == (11546901, Decimal("22.05"), "1253")
    assert repr(event).startswith("CipPaidEvent(cip=11546901, operation_number='1253'")


def test_reformatted_body_gets_a_hint() -> None:
    pretty = DOC_BODY.replace(b",", b", ")
    with pytest.raises(pagoefectivo.SignatureVerificationError) as info:
        webhooks.construct_event(pretty, DOC_SIG, "test_secret")
    assert info.value.reason == "signature_mismatch" and info.value.hint


def test_other_events_keep_their_body() -> None:
    body = b'{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"77","amount":1.10}}'
    event = webhooks.construct_event(body, webhooks.sign(body, "k"), "k")
    assert isinstance(event, webhooks.OtherEvent)
    assert event.event_type == "cip.expired" and event.cip == 77
    assert event.body["data"]["amount"] == Decimal("1.10")


class DictStore:
    def __init__(self) -> None:
        self.keys: dict[str, float] = {}

    def claim(self, key: str, ttl: float) -> bool:
        if key in self.keys:
            return False
        self.keys[key] = ttl
        return True

    def release(self, key: str) -> None:
        self.keys.pop(key, None)


def test_dedup_with_a_custom_store_and_forget() -> None:
    store = DictStore()
    dedup = webhooks.Deduplicator(store, ttl=60)
    event = webhooks.construct_event(DOC_BODY, DOC_SIG, "test_secret")
    assert dedup.first_delivery(event) and not dedup.first_delivery(event)
    assert store.keys == {"cip.paid:1253:11546901": 60.0}
    dedup.forget(event)
    assert dedup.first_delivery(event)


def test_store_exceptions_propagate_unchanged() -> None:
    class Broken:
        def claim(self, key: str, ttl: float) -> bool:
            raise ConnectionError("database down")

        def release(self, key: str) -> None:
            raise ConnectionError("database down")

    dedup = webhooks.Deduplicator(Broken())
    event = webhooks.construct_event(DOC_BODY, DOC_SIG, "test_secret")
    with pytest.raises(ConnectionError, match="database down"):
        dedup.first_delivery(event)
    with pytest.raises(pagoefectivo.ValidationError):
        dedup.first_delivery("not an event")  # type: ignore[arg-type]


def doc_event(amount: str = "22.05") -> webhooks.Event:
    body = DOC_BODY.replace(b"22.05", amount.encode())
    return webhooks.construct_event(body, webhooks.sign(body, "test_secret"), "test_secret")


def test_the_lease_contract_in_memory() -> None:
    dedup = webhooks.Deduplicator.from_url("memory:", lease=timedelta(milliseconds=50))
    event = doc_event()
    assert dedup.begin(event) == "started"
    assert dedup.begin(event) == "in_progress"  # held: another worker answers non-200
    assert dedup.begin(doc_event("99.00")) == "conflict"  # the same key, another payload
    time.sleep(0.08)
    assert dedup.begin(event) == "started"  # the holder died: its lease ran out
    dedup.fail(event)
    assert dedup.begin(event) == "started"  # fail lets the redelivery in
    dedup.complete(event)
    assert dedup.begin(event) == "duplicate"
    dedup.fail(event)
    assert dedup.begin(event) == "duplicate"  # fail never undoes a completed delivery
    assert not dedup.first_delivery(event)
    with pytest.raises(pagoefectivo.SignatureVerificationError) as info:
        dedup.first_delivery(doc_event("99.00"))
    assert info.value.reason == "payload_conflict"


def test_async_forms() -> None:
    dedup = webhooks.Deduplicator(ttl=60, lease=30)
    event = doc_event()

    async def main() -> list[object]:
        got: list[object] = [await dedup.begin_async(event), await dedup.begin_async(event)]
        await dedup.fail_async(event)
        got.append(await dedup.first_delivery_async(event))
        await dedup.forget_async(event)
        got.append(await dedup.begin_async(event))
        await dedup.complete_async(event)
        got.append(await dedup.first_delivery_async(event))
        return got

    assert asyncio.run(main()) == ["started", "in_progress", True, "started", False]
    with pytest.raises(pagoefectivo.ValidationError):
        asyncio.run(dedup.begin_async("not an event"))  # type: ignore[arg-type]


def test_the_core_reads_and_checks_the_options() -> None:
    def fields(**options: Any) -> list[str]:
        with pytest.raises(pagoefectivo.PagoEfectivoError) as info:
            webhooks.Deduplicator(**options)
        return [f.field for f in info.value.field_errors]

    assert fields(ttl=-1) == ["ttlMs"]  # sent as the core's milliseconds; the core refuses it
    assert fields(lease="60") == ["lease"]  # not a duration at all
    with pytest.raises(pagoefectivo.ConfigurationError):
        webhooks.Deduplicator(url="mysql://127.0.0.1/shop")  # a scheme the core has no store for
    with pytest.raises(pagoefectivo.ConfigurationError):
        webhooks.Deduplicator(DictStore(), url="memory:")
    with pytest.raises(pagoefectivo.ValidationError) as info:
        webhooks.Deduplicator.from_options({"url": None, "ttl": 60})
    assert [f.field for f in info.value.field_errors] == ["ttl"]  # the core's names: ttlMs
    d = webhooks.Deduplicator.from_options({"leaseMs": 1500, "ttl_ms": 2000})  # any casing, as the core reads
    assert repr(d) == "<Deduplicator { ttl: 2s, lease: 1.5s, .. }>"


def test_a_blocking_call_releases_the_gil() -> None:
    """A store that is slow to answer (it accepts, then hangs up after 0.5 s) blocks only the caller."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def slow_server() -> None:
        conn, _ = listener.accept()
        time.sleep(0.5)
        conn.close()
        listener.close()

    threading.Thread(target=slow_server, daemon=True).start()
    dedup = webhooks.Deduplicator.from_url(f"postgres://shop@127.0.0.1:{port}/shop")
    caught: list[BaseException] = []

    def deliver() -> None:
        try:
            dedup.begin(doc_event())
        except BaseException as e:
            caught.append(e)

    caller = threading.Thread(target=deliver)
    started = time.monotonic()
    caller.start()
    spins = 0
    while caller.is_alive():
        spins += 1  # pure Python: runs only while the caller has released the GIL
    waited = time.monotonic() - started
    assert waited >= 0.4 and spins > 100_000, (waited, spins)
    [error] = caught
    assert isinstance(error, pagoefectivo.APIConnectionError) and error.reason == "store_unavailable"
