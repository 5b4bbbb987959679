"""Notifications end to end: the sandbox POSTs to a local receiver that verifies and deduplicates them."""

from __future__ import annotations

import threading
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
