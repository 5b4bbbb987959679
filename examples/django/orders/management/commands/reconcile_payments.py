"""`manage.py reconcile_payments [--out DIR]`: reconciles the orders against PagoEfectivo and acts on it.

A lost or refused notification must not leave a paid order pending: PagoEfectivo's
status of every CIP is the other confirmation. The core's reconciliation
(`client.reconciliation.search`) classifies each order; a missed notification
marks the order paid, an expired CIP closes it, and an order paid here but not
at PagoEfectivo is reported for a person to check. Run it from cron (every few
minutes is plenty); `--out` keeps the CSV/JSON-lines/HTML reports for finance.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pagoefectivo.reconcile import Class

from ...models import Order
from ...payments import client
from ...views import mark_paid

# The shop's statuses in the reconciliation's words (an order whose creation is unknown has no CIP to check).
STATUS = {Order.Status.PENDING: "pending", Order.Status.PAID: "paid", Order.Status.EXPIRED: "closed"}


class Command(BaseCommand):
    help = "Reconcile the shop's orders with PagoEfectivo's CIP statuses"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="directory for summary.json, exceptions.csv/.jsonl and report.html")

    def handle(self, *args: Any, **options: Any) -> None:
        orders = Order.objects.filter(cip__isnull=False, status__in=list(STATUS)).only(
            "reference", "cip", "currency", "amount", "status", "paid_at"
        )
        records = [
            {
                "order_id": o.reference,
                "cip": o.cip,
                "currency": o.currency,
                "amount": o.amount,  # Decimal from the DecimalField
                "status": STATUS[Order.Status(o.status)],
                "paid_at": o.paid_at,
            }
            for o in orders
        ]
        result = client().reconciliation.search(records, out_dir=options.get("out"))
        paid = expired = 0
        for ex in result.exceptions:
            if ex.class_ is Class.MISSED_NOTIFICATION and ex.cip is not None and mark_paid(ex.cip, ""):
                paid += 1
            elif ex.class_ is Class.EXPIRED_OPEN and ex.cip is not None:
                expired += Order.objects.filter(cip=ex.cip, status=Order.Status.PENDING).update(
                    status=Order.Status.EXPIRED
                )
            else:  # paid here but not there, amounts or currencies differ, unknown CIPs: for a person
                self.stderr.write(f"{ex.class_.value}: order {ex.order_id} CIP {ex.cip}: {ex.detail}")
        s = result.summary
        self.stdout.write(
            f"reconciled {s.orders} orders: {paid} paid, {expired} expired, "
            f"{s.exceptions - paid - expired} to check"
        )
