"""Reconciliation from files, from Python records, and from the sandbox (search sweep, settlement report)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import pytest

import pagoefectivo
from pagoefectivo import CipStatus, reconcile
from pagoefectivo.reconcile import Class
from pagoefectivo.testing import Sandbox

from conftest import FAST, order

AS_OF = "2026-11-24T12:00:00-05:00"
ORDERS_CSV = """\ufeffPedido,Nro CIP,Moneda,Importe,Estado,Vence
A,101,PEN,25.50,paid,
B,102,PEN,10.00,pending,
C,103,PEN,7.00,paid,
D,104,USD,3.00,pending,2026-11-20T00:00:00-05:00
E,105,PEN,50.00,paid,
"""
REPORT_CSV = """Nro CIP,Pedido,Moneda,Importe,Estado
101,A,PEN,25.50,Cancelado.
102,B,PEN,10.00,23
105,E,PEN,49.00,paid
999,Z,PEN,1.00,paid
"""
ORDER_COLUMNS = {"order_id": "Pedido", "cip": "Nro CIP", "currency": "Moneda", "amount": "Importe"}
ORDER_COLUMNS |= {"status": "Estado", "expires_at": "Vence"}
REPORT_COLUMNS = {"cip": "Nro CIP", "transaction_code": "Pedido", "currency": "Moneda", "amount": "Importe"}
REPORT_COLUMNS |= {"status": "Estado"}
EXPECTED = {
    Class.MATCHED: 1,
    Class.MISSED_NOTIFICATION: 1,
    Class.NOT_PAID_AT_PAGOEFECTIVO: 1,
    Class.EXPIRED_OPEN: 1,
    Class.AMOUNT_MISMATCH: 1,
    Class.UNKNOWN_REFERENCE: 1,
}


def write_files(tmp_path: Path) -> tuple[Path, Path]:
    orders, report = tmp_path / "orders.csv", tmp_path / "report.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    report.write_text(REPORT_CSV, encoding="utf-8")
    return orders, report


def test_files_with_mapped_columns_write_every_output(tmp_path: Path) -> None:
    orders, report = write_files(tmp_path)
    out = tmp_path / "out"
    result = reconcile.run(
        orders,
        str(report),
        order_columns=ORDER_COLUMNS,
        report_columns=REPORT_COLUMNS,
        as_of=AS_OF,
        out_dir=out,
    )
    s = result.summary
    assert (s.orders, s.payments, s.exceptions) == (5, 4, 5) and s.as_of == date(2026, 11, 24)
    assert s.counts == EXPECTED and s.count(Class.MISSED_NOTIFICATION) == 1 and s.count("duplicate") == 0
    by_class = {(t.class_, t.currency): (t.count, t.amount) for t in s.totals}
    assert by_class[(Class.AMOUNT_MISMATCH, "PEN")] == (1, Decimal("49.00"))  # PagoEfectivo's amount
    assert by_class[(Class.EXPIRED_OPEN, "USD")] == (1, Decimal("3.00"))
    mismatch = next(x for x in result.exceptions if x.class_ is Class.AMOUNT_MISMATCH)
    assert (mismatch.order_id, mismatch.cip, mismatch.difference) == ("E", 105, Decimal("-1.00"))
    assert (mismatch.order_line, mismatch.pagoefectivo_line) == (6, 4)  # file lines, header included
    assert mismatch.pagoefectivo_status is CipStatus.PAID and mismatch.order_status == "paid"
    unknown = next(x for x in result.exceptions if x.class_ is Class.UNKNOWN_REFERENCE)
    assert unknown.side == "pagoefectivo" and unknown.order_id == "Z"
    assert sorted(p.name for p in out.iterdir()) == [
        "exceptions.csv",
        "exceptions.jsonl",
        "report.html",
        "summary.json",
    ]
    rows = list(csv.reader(io.StringIO((out / "exceptions.csv").read_text(encoding="utf-8"))))
    assert rows[0] == reconcile.EXCEPTION_COLUMNS and len(rows) == 1 + len(result.exceptions)
    lines = [json.loads(x) for x in (out / "exceptions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["class"] for x in lines] == [x.class_.value for x in result.exceptions]
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["exceptions"] == 5
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html == result.to_html() and "<svg" in html and Class.MISSED_NOTIFICATION.label in html


def test_json_lines_orders_against_a_report_file(tmp_path: Path) -> None:
    _, report = write_files(tmp_path)
    jsonl = tmp_path / "orders.jsonl"
    jsonl.write_text(
        '{"orderId":"A","cip":101,"currency":"PEN","amount":"25.50","status":"paid"}\n\n'
        '{"order_id":"B","cip":"102","currency":"PEN","amount":10,"status":"open"}\n',
        encoding="utf-8",
    )
    result = reconcile.run(jsonl, report, report_columns=REPORT_COLUMNS, as_of=AS_OF)
    assert result.summary.counts[Class.MISSED_NOTIFICATION] == 1 and result.summary.orders == 2


@dataclass
class ShopOrder:
    """A merchant's own dataclass: its field names are the reader's snake_case keys."""

    order_id: str
    cip: Optional[int]
    currency: str
    amount: Decimal
    status: str
    paid_at: Optional[datetime] = None


def test_records_dicts_and_dataclasses(tmp_path: Path) -> None:
    lima = timezone(timedelta(hours=-5))
    orders: list[Any] = [
        ShopOrder("A", 101, "PEN", Decimal("25.50"), "paid", datetime(2026, 11, 20, 18, 0, tzinfo=lima)),
        reconcile.Order("B", "PEN", Decimal("10.00"), "pending", cip=102),
        {"orderId": "C", "currency": "PEN", "amount": "7.00", "status": "completed"},  # no CIP: by order id
    ]
    payments: list[Any] = [
        reconcile.PaymentRecord(
            101,
            "A",
            "PEN",
            Decimal("25.50"),
            paid_at=datetime(2026, 11, 20, 23, 0).replace(tzinfo=timezone.utc),
            settled_at=None,
            refunded_amount=Decimal(0),
        ),
        {"cip": 102, "transactionCode": "B", "currency": "PEN", "amount": Decimal("10.00"), "status": 23},
        {"cip": 103, "transaction_code": "C", "currency": "PEN", "amount": 7, "status": "paid"},
    ]
    late = "2026-11-27T12:00:00-05:00"
    result = reconcile.run(
        orders, payments, coverage=reconcile.Coverage(settlement=True, refunds=True), as_of=late
    )
    s = result.summary
    assert s.counts == {Class.MATCHED: 1, Class.MISSED_NOTIFICATION: 1, Class.SETTLEMENT_OVERDUE: 1}
    overdue = next(x for x in result.exceptions if x.class_ is Class.SETTLEMENT_OVERDUE)
    # Paid Friday Nov 20, 18:00 in Lima (23:00 UTC): T+3 business days is Wednesday Nov 25.
    assert (overdue.order_id, overdue.expected_settlement) == ("A", date(2026, 11, 25))
    assert overdue.paid_at == datetime(2026, 11, 20, 18, 0, tzinfo=lima)
    loaded = reconcile.load_orders(orders)
    assert len(loaded) == 3 and loaded.cips() == [101, 102]
    again = reconcile.run(
        loaded, reconcile.load_payments(payments, coverage={"settlement": True, "refunds": True}), as_of=late
    )
    assert again.summary.counts == s.counts


def test_bad_records_and_files_are_typed_errors(tmp_path: Path) -> None:
    good = {"order_id": "A", "currency": "PEN", "amount": "1.00", "status": "paid"}
    with pytest.raises(pagoefectivo.ValidationError) as info:
        reconcile.run([good, {**good, "amount": 1.5}], [])
    assert info.value.field_errors[0].field == "amount" and "record 2" in info.value.message
    with pytest.raises(pagoefectivo.ValidationError) as info:
        reconcile.run([{**good, "status": "cancelado"}], [])
    assert info.value.reason == "bad_value" and info.value.field_errors[0].field == "status"
    with pytest.raises(pagoefectivo.ValidationError):
        reconcile.run(["not a record"], [])
    with pytest.raises(pagoefectivo.ValidationError):
        reconcile.run([good], [], amount_tolerance=0.05)  # type: ignore[arg-type]
    orders, report = write_files(tmp_path)
    with pytest.raises(pagoefectivo.ValidationError) as info:
        reconcile.run(orders, report)  # default column names are not in these files
    assert info.value.reason == "missing_column" and "Pedido" in info.value.message
    with pytest.raises(pagoefectivo.ValidationError):
        reconcile.run(orders, report, order_columns={"colour": "x"})
    with pytest.raises(pagoefectivo.FileAccessError) as io_info:
        reconcile.run(tmp_path / "missing.csv", report)
    assert isinstance(io_info.value, OSError) and io_info.value.code == "io_error"
    result = reconcile.run([good], [])
    with pytest.raises(pagoefectivo.FileAccessError):
        result.write_html(tmp_path / "no" / "such" / "dir.html")


def test_outputs_go_to_file_objects_too() -> None:
    result = reconcile.run([{"order_id": "A", "currency": "PEN", "amount": "1.00", "status": "paid"}], [])
    binary, text = io.BytesIO(), io.StringIO()
    result.write_exceptions_csv(binary)
    result.write_exceptions_jsonl(text)
    assert binary.getvalue().decode().splitlines()[1].startswith("not_paid_at_pagoefectivo,")
    assert json.loads(text.getvalue())["class"] == "not_paid_at_pagoefectivo"


def test_search_sweep_against_the_sandbox(sandbox: Sandbox, client: pagoefectivo.Client) -> None:
    paid_here = client.cips.create(**order("ORD-1")).cip
    missed = client.cips.create(**order("ORD-2")).cip
    lapsed = client.cips.create(**order("ORD-3")).cip
    open_ = client.cips.create(**order("ORD-4")).cip
    sandbox.pay(paid_here)
    sandbox.pay(missed)
    sandbox.expire(lapsed)
    orders = [
        {
            "order_id": "ORD-1",
            "cip": paid_here,
            "currency": "PEN",
            "amount": Decimal("25.50"),
            "status": "paid",
        },
        {
            "order_id": "ORD-2",
            "cip": missed,
            "currency": "PEN",
            "amount": Decimal("25.50"),
            "status": "pending",
        },
        {
            "order_id": "ORD-3",
            "cip": lapsed,
            "currency": "PEN",
            "amount": Decimal("25.50"),
            "status": "pending",
        },
        {
            "order_id": "ORD-4",
            "cip": open_,
            "currency": "PEN",
            "amount": Decimal("25.50"),
            "status": "pending",
        },
        {
            "order_id": "ORD-5",
            "cip": 99999,
            "currency": "PEN",
            "amount": Decimal("5.00"),
            "status": "pending",
        },
    ]
    result = client.reconciliation.search(orders)
    assert result.summary.counts == {
        Class.MATCHED: 1,
        Class.UNPAID: 1,
        Class.MISSED_NOTIFICATION: 1,
        Class.EXPIRED_OPEN: 1,
        Class.UNKNOWN_REFERENCE: 1,
    }
    assert [(x.class_, x.order_id) for x in result.exceptions] == [
        (Class.MISSED_NOTIFICATION, "ORD-2"),
        (Class.EXPIRED_OPEN, "ORD-3"),
        (Class.UNKNOWN_REFERENCE, "ORD-5"),
    ]
    assert sandbox.request_count("cips_search") >= 1 and result.next_cursor is None


def test_settlement_report_with_its_cursor(
    sandbox: Sandbox, client: pagoefectivo.Client, tmp_path: Path
) -> None:
    cips = [client.cips.create(**order(f"ORD-{i}")).cip for i in range(3)]
    for c in cips:
        sandbox.pay(c)
    orders = [reconcile.Order(f"ORD-{i}", "PEN", Decimal("25.50"), "paid", cip=c) for i, c in enumerate(cips)]
    later = datetime.now(timezone.utc) + timedelta(days=10)  # unsettled in the sandbox by then: overdue
    result = client.reconciliation.settlement_report(orders, as_of=later, out_dir=tmp_path)
    assert result.summary.counts == {Class.SETTLEMENT_OVERDUE: 3} and result.next_cursor
    assert (tmp_path / "report.html").exists()
    again = client.reconciliation.settlement_report([], cursor=result.next_cursor)
    assert again.summary.payments == 0 and again.next_cursor == result.next_cursor
    today = datetime.now(timezone(timedelta(hours=-5))).date()
    dated = client.reconciliation.settlement_report(
        orders, date_from=today - timedelta(days=1), date_to="2099-01-01"
    )
    assert dated.summary.payments == 3 and dated.summary.counts == {Class.MATCHED: 3}


def test_async_sources(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = sandbox.async_client(**FAST)
        cip = (await client.cips.create(**order("ORD-A"))).cip
        sandbox.pay(cip)
        orders = [reconcile.Order("ORD-A", "PEN", Decimal("25.50"), "pending", cip=cip)]
        swept = await client.reconciliation.search(orders)
        assert swept.summary.counts == {Class.MISSED_NOTIFICATION: 1}
        reported = await client.reconciliation.settlement_report(orders)
        assert reported.summary.counts == {Class.MISSED_NOTIFICATION: 1} and reported.next_cursor

    asyncio.run(main())


def test_calendar_and_classes() -> None:
    cal = reconcile.Calendar(extra_holidays=[date(2026, 12, 24)])
    assert cal.add_business_days(date(2026, 11, 21), 1) == date(2026, 11, 23)
    assert not cal.is_business_day("2026-12-24") and reconcile.Calendar().is_business_day(date(2026, 12, 24))
    assert len(reconcile.Calendar().holidays(2026)) == 16 and cal.is_holiday(date(2026, 7, 28))
    assert (
        not Class.MATCHED.is_exception and Class.DUPLICATE.is_exception and Class("matched") is Class.MATCHED
    )
    with pytest.raises(pagoefectivo.ValidationError):
        cal.is_business_day(datetime(2026, 1, 1, tzinfo=timezone.utc))  # a date, not a datetime


def test_reprs() -> None:
    result = reconcile.run(
        [{"order_id": "A", "cip": 7, "currency": "PEN", "amount": "1.00", "status": "paid"}], []
    )
    assert repr(result).startswith("Reconciliation(orders=1, payments=0, exceptions=1")
    assert "'not_paid_at_pagoefectivo': 1" in repr(result.summary)
    assert repr(result.exceptions[0]).startswith(
        "Discrepancy(class_='not_paid_at_pagoefectivo', order_id='A'"
    )
    assert repr(reconcile.load_orders([])) == "Orders(len=0)"
