"""The shop against the PagoEfectivo sandbox, with Django's test client."""

from __future__ import annotations

import csv
import io
import os
import socket
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import TestCase, override_settings

from pagoefectivo import webhooks
from pagoefectivo.testing import Sandbox

from . import payments
from .models import Order


class ShopTests(TestCase):
    sandbox: Sandbox

    def setUp(self) -> None:
        # A fresh sandbox per test: its CIPs, deliveries and faults start empty.
        self.sandbox = sb = Sandbox()
        self.addCleanup(sb.close)
        override = override_settings(
            PAGOEFECTIVO={
                "access_key": sb.access_key,
                "secret_key": sb.secret_key,
                "id_service": sb.id_service,
                "base_url": sb.base_url,
                "initial_backoff": 0.01,
                "max_backoff": 0.05,
            }
        )
        override.enable()
        self.addCleanup(override.disable)
        for cached in (payments.client, payments.dedup):
            cached.cache_clear()
            self.addCleanup(cached.cache_clear)

    def checkout(self, amount: str = "149.90") -> dict[str, Any]:
        response = self.client.post("/checkout", {"amount": amount, "email": "ana@example.pe"})
        self.assertEqual(response.status_code, 201, response.content)
        data: dict[str, Any] = response.json()
        return data

    def deliver(self, body: bytes, signature: str, header: str = "PE-Signature") -> Any:
        return self.client.post(
            "/webhooks/pagoefectivo",
            data=body,
            content_type="application/json",
            headers={header: signature},
        )

    def test_checkout_creates_a_cip(self) -> None:
        data = self.checkout()
        order = Order.objects.get(reference=data["order"])
        self.assertEqual(order.cip, data["cip"])
        self.assertEqual(order.amount, Decimal("149.90"))
        record = self.sandbox.cip(data["cip"])
        assert record is not None
        self.assertEqual(record["transactionCode"], order.reference)
        self.assertEqual(record["status"], "generated")

    def test_checkout_refuses_a_bad_order(self) -> None:
        response = self.client.post("/checkout", {"amount": "0", "email": "not-an-email"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["fields"]), {"amount", "userEmail"})
        self.assertFalse(Order.objects.exists())

    def test_ambiguous_creation_shows_no_code(self) -> None:
        self.sandbox.add_fault("cips_create", "drop", times=1)
        response = self.client.post("/checkout", {"amount": "10.00", "email": "ana@example.pe"})
        self.assertEqual(response.status_code, 503)
        self.assertEqual(Order.objects.get().status, Order.Status.UNKNOWN)

    def test_paid_notification_marks_the_order_paid_once(self) -> None:
        data = self.checkout()
        payment = self.sandbox.pay(data["cip"])
        [delivery] = self.sandbox.wait_for_deliveries(1)  # no URL set: recorded, we replay it here
        first = self.deliver(delivery.body, delivery.signature)
        self.assertEqual((first.status_code, first.content), (200, b"ok"))
        order = Order.objects.get(reference=data["order"])
        self.assertEqual(order.status, Order.Status.PAID)
        self.assertEqual(order.operation_number, payment.operation_number)
        again = self.deliver(delivery.body, delivery.signature)
        self.assertEqual((again.status_code, again.content), (200, b"duplicate"))

    def test_a_changed_notification_with_a_known_key_is_refused(self) -> None:
        data = self.checkout()
        self.sandbox.pay(data["cip"])
        [delivery] = self.sandbox.wait_for_deliveries(1)
        self.assertEqual(self.deliver(delivery.body, delivery.signature).status_code, 200)
        # Correctly signed, same event key, another amount: a leaked key or a changed notification.
        changed = delivery.body.replace(b"149.90", b"1.00")
        self.assertNotEqual(changed, delivery.body)
        with self.assertLogs("orders.views", "ERROR") as logged:
            answer = self.deliver(changed, webhooks.sign(changed, self.sandbox.secret_key))
        self.assertIn("another payload", logged.output[0])
        self.assertEqual((answer.status_code, answer.content), (400, b"refused: payload_conflict"))

    def test_an_unreachable_dedup_store_is_a_503_and_nothing_is_marked(self) -> None:
        data = self.checkout()
        self.sandbox.pay(data["cip"])
        [delivery] = self.sandbox.wait_for_deliveries(1)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with override_settings(PAGOEFECTIVO_DEDUP_URL=f"redis://127.0.0.1:{port}/0"):
            payments.dedup.cache_clear()
            answer = self.deliver(delivery.body, delivery.signature)
        payments.dedup.cache_clear()
        self.assertEqual((answer.status_code, answer.content), (503, b"dedup store unavailable"))
        self.assertEqual(Order.objects.get().status, Order.Status.PENDING)
        # The redelivery, with the store back, is processed.
        self.assertEqual(self.deliver(delivery.body, delivery.signature).content, b"ok")

    def test_the_webhook_on_a_shared_store(self) -> None:
        """PAGOEFECTIVO_DEDUP_URL set to the test PostgreSQL and Redis: what one server did, others see."""
        urls = [os.environ.get(v) for v in ("PAGOEFECTIVO_TEST_POSTGRES_URL", "PAGOEFECTIVO_TEST_REDIS_URL")]
        if not any(urls):
            if os.environ.get("CI"):
                self.fail("CI runs this test against the PostgreSQL and Redis of scripts/services.sh")
            self.skipTest("PAGOEFECTIVO_TEST_POSTGRES_URL / _REDIS_URL not set")
        for url in filter(None, urls):
            with self.subTest(url=url.split("://")[0]), override_settings(PAGOEFECTIVO_DEDUP_URL=url):
                payments.dedup.cache_clear()
                self.shared_store(url)
        payments.dedup.cache_clear()

    def shared_store(self, url: str) -> None:
        other_server = webhooks.Deduplicator.from_url(url)
        data = self.checkout()
        before = len(self.sandbox.deliveries())
        self.sandbox.pay(data["cip"])
        delivery = self.sandbox.wait_for_deliveries(before + 1)[before]
        event = webhooks.construct_event(delivery.body, delivery.signature, self.sandbox.secret_key)
        other_server.forget(event)  # the store outlives test runs; sandbox CIP numbers repeat
        # Another server is processing this very notification: this one must not, and says so.
        self.assertEqual(other_server.begin(event), "started")
        busy = self.deliver(delivery.body, delivery.signature)
        self.assertEqual((busy.status_code, busy.content), (409, b"in progress"))
        self.assertEqual(Order.objects.get(reference=data["order"]).status, Order.Status.PENDING)
        other_server.fail(event)  # it gave up: PagoEfectivo's retry is processed here
        first = self.deliver(delivery.body, delivery.signature)
        self.assertEqual((first.status_code, first.content), (200, b"ok"))
        self.assertEqual(Order.objects.get(reference=data["order"]).status, Order.Status.PAID)
        self.assertEqual(other_server.begin(event), "duplicate")  # done, as every server sees it
        again = self.deliver(delivery.body, delivery.signature)
        self.assertEqual((again.status_code, again.content), (200, b"duplicate"))

    def test_the_signature_header_is_found_in_any_case(self) -> None:
        data = self.checkout()
        self.sandbox.pay(data["cip"])
        [delivery] = self.sandbox.wait_for_deliveries(1)
        # Proxies and servers re-case header names; request.headers compares them case-insensitively.
        answer = self.deliver(delivery.body, delivery.signature, header="pe-signature")
        self.assertEqual((answer.status_code, answer.content), (200, b"ok"))
        self.assertEqual(Order.objects.get().status, Order.Status.PAID)

    def test_forged_or_reformatted_notifications_are_refused(self) -> None:
        data = self.checkout()
        self.sandbox.pay(data["cip"])
        [delivery] = self.sandbox.wait_for_deliveries(1)
        forged = self.deliver(delivery.body, "0" * 64)
        self.assertEqual((forged.status_code, forged.content), (400, b"refused: signature_mismatch"))
        missing = self.client.post(
            "/webhooks/pagoefectivo", data=delivery.body, content_type="application/json"
        )
        self.assertEqual(missing.content, b"refused: missing_signature")
        reformatted = self.deliver(delivery.body.replace(b",", b", "), delivery.signature)
        self.assertEqual(reformatted.status_code, 400)
        self.assertEqual(Order.objects.get().status, Order.Status.PENDING)

    def test_reconcile_settles_a_missed_notification_and_expiries(self) -> None:
        paid = self.checkout()
        lapsed = self.checkout("20.00")
        pending = self.checkout("30.00")
        forged = self.checkout("40.00")
        self.sandbox.pay(paid["cip"])  # the notification never reaches the shop
        self.sandbox.expire(lapsed["cip"])
        Order.objects.filter(reference=forged["order"]).update(status=Order.Status.PAID)  # paid here only
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as reports:
            call_command("reconcile_payments", "--out", reports, stdout=out, stderr=err)
            with open(Path(reports) / "exceptions.csv", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            self.assertTrue((Path(reports) / "report.html").exists())
        self.assertIn("reconciled 4 orders: 1 paid, 1 expired, 1 to check", out.getvalue())
        self.assertIn(f"not_paid_at_pagoefectivo: order {forged['order']}", err.getvalue())
        self.assertEqual(
            sorted((r["class"], r["order_id"]) for r in rows),
            sorted(
                [
                    ("missed_notification", paid["order"]),
                    ("expired_open", lapsed["order"]),
                    ("not_paid_at_pagoefectivo", forged["order"]),
                ]
            ),
        )
        status = {o.reference: o.status for o in Order.objects.all()}
        self.assertEqual(status[paid["order"]], Order.Status.PAID)
        self.assertEqual(status[lapsed["order"]], Order.Status.EXPIRED)
        self.assertEqual(status[pending["order"]], Order.Status.PENDING)
        # A second run finds nothing new to settle.
        again = io.StringIO()
        call_command("reconcile_payments", stdout=again, stderr=io.StringIO())
        self.assertIn("reconciled 4 orders: 0 paid, 0 expired, 1 to check", again.getvalue())
