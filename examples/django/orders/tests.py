"""The shop against the PagoEfectivo sandbox, with Django's test client."""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import TestCase, override_settings

from pagoefectivo.testing import Sandbox

from . import payments
from .models import Order, ProcessedNotification


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
        payments.client.cache_clear()
        self.addCleanup(payments.client.cache_clear)

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
        self.assertEqual(ProcessedNotification.objects.count(), 1)

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
