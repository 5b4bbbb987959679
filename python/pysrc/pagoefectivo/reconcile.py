"""Reconciliation: match your orders against what PagoEfectivo recorded and list what needs follow-up.

    from pagoefectivo import reconcile

    result = reconcile.run("orders.csv", "report.csv", order_columns={"order_id": "Pedido"},
                           out_dir="reports/")          # summary.json, exceptions.csv/.jsonl, report.html
    result = client.reconciliation.search(orders)       # PagoEfectivo's side from cips/search
    for ex in result.exceptions: ...                    # Discrepancy: class_, order_id, cip, amounts...

The core's engine (docs/reconciliation.md) does the work in Rust with the GIL
released: files are parsed as byte records, two CSV files on two threads.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Mapping, Optional, Union, cast

from . import _native
from ._native import (
    EXCEPTION_COLUMNS,
    Calendar,
    ClassTotal,
    Discrepancy,
    Orders,
    Payments,
    Reconciliation,
    Summary,
)
from ._types import Amount, Time
from .models import CipStatus

Record = Union[Mapping[str, Any], Any]
"""A dict (snake_case or camelCase keys) or a dataclass instance with those fields."""
OrdersSource = Union[Orders, str, "os.PathLike[str]", Iterable[Record]]
"""Your orders: an ``Orders``, a CSV or ``.jsonl`` path, or records."""
PaymentsSource = Union[Payments, str, "os.PathLike[str]", Iterable[Record]]
"""PagoEfectivo's rows: a ``Payments``, a report CSV (or ``.jsonl``) path, or records."""
Columns = Mapping[str, Optional[str]]
"""``{field: your header name}``; ``None`` or ``""`` drops an optional column."""
Day = Union[date, str]


class Class(str, Enum):
    """Where a row landed; every row of either side lands in exactly one class."""

    MATCHED = "matched"
    UNPAID = "unpaid"
    MISSED_NOTIFICATION = "missed_notification"
    NOT_PAID_AT_PAGOEFECTIVO = "not_paid_at_pagoefectivo"
    AMOUNT_MISMATCH = "amount_mismatch"
    CURRENCY_MISMATCH = "currency_mismatch"
    DUPLICATE = "duplicate"
    UNKNOWN_REFERENCE = "unknown_reference"
    REFUND_NOT_REFLECTED = "refund_not_reflected"
    EXPIRED_OPEN = "expired_open"
    SETTLEMENT_OVERDUE = "settlement_overdue"

    @property
    def label(self) -> str:
        """Plain words for people (as in the HTML report)."""
        return _native.class_info(self.value)[0]

    @property
    def is_exception(self) -> bool:
        """Matched and unpaid need no follow-up; every other class does."""
        return _native.class_info(self.value)[1]

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Coverage:
    """What PagoEfectivo's rows vouch for, which decides the checks that apply.

    ``every_order_cip``: every CIP of the orders was asked for (a CIP missing is
    unknown to PagoEfectivo); ``settlement``: rows say when the money was paid
    out; ``refunds``: rows carry the refunded amount.
    """

    every_order_cip: bool = False
    settlement: bool = False
    refunds: bool = False


@dataclass(frozen=True)
class Order:
    """One of your orders. ``status``: ``pending``/``open``, ``paid``/``completed``, ``closed``..."""

    order_id: str
    currency: str
    amount: Amount
    status: str
    cip: Optional[int] = None
    expires_at: Optional[Time] = None
    paid_at: Optional[Time] = None
    refunded_amount: Optional[Amount] = None


@dataclass(frozen=True)
class PaymentRecord:
    """One CIP as PagoEfectivo recorded it. ``status``: a name or code (``None`` means paid)."""

    cip: Optional[int]
    transaction_code: str
    currency: str
    amount: Amount
    status: Optional[Union[str, int]] = None
    paid_at: Optional[Time] = None
    settled_at: Optional[Time] = None
    refunded_amount: Optional[Amount] = None


@dataclass(frozen=True)
class ReportPage:
    """One page of the settlement report (the SDK's extension): rows, and where the next page starts."""

    rows: list[PaymentRecord]
    next_cursor: Optional[str]
    has_more: bool


def _payment(row: Mapping[str, Any]) -> PaymentRecord:
    def when(key: str) -> Optional[datetime]:
        v = row.get(key)
        return None if v is None else datetime.fromisoformat(v)

    refunded = row.get("refundedAmount")
    return PaymentRecord(
        cip=row.get("cip"),
        transaction_code=row["transactionCode"],
        currency=row["currency"],
        amount=Decimal(row["amount"]),
        status=None if row.get("status") is None else CipStatus(row["status"]),
        paid_at=when("paidAt"),
        settled_at=when("settledAt"),
        refunded_amount=None if refunded is None else Decimal(refunded),
    )


def _report_page(data: Mapping[str, Any]) -> ReportPage:
    return ReportPage([_payment(r) for r in data["rows"]], data.get("nextCursor"), bool(data.get("hasMore")))


def _query(
    date_from: Optional[Day], date_to: Optional[Day], cursor: Optional[str], limit: int
) -> dict[str, Any]:
    return {"dateFrom": date_from, "dateTo": date_to, "cursor": cursor, "limit": limit}


def _record(r: Record) -> Any:
    if is_dataclass(r) and not isinstance(r, type):
        return {f.name: getattr(r, f.name) for f in fields(r)}
    if isinstance(r, Mapping) and not isinstance(r, dict):
        return dict(r)
    return r  # a dict, or something the native reader refuses with the record's position


def _coverage(c: Union[Coverage, Mapping[str, bool], None]) -> Optional[dict[str, Any]]:
    if c is None:
        return None
    return _record(c) if isinstance(c, Coverage) else dict(c)


def _columns(c: Optional[Columns]) -> Optional[dict[str, Any]]:
    return None if c is None else dict(c)


def _json_lines(path: Any) -> bool:
    return os.path.splitext(os.fspath(path))[1].lower() in (".jsonl", ".ndjson")


def load_orders(source: OrdersSource, *, columns: Optional[Columns] = None) -> Orders:
    """Your orders from a CSV file (header row; ``columns`` maps names), ``.jsonl`` JSON lines, or records."""
    if isinstance(source, Orders):
        return source
    if isinstance(source, (str, os.PathLike)):
        if _json_lines(source):
            return Orders.from_json_lines(source)
        return Orders.from_csv(source, _columns(columns))
    return Orders.from_records([_record(r) for r in source])


def load_payments(
    source: PaymentsSource,
    *,
    columns: Optional[Columns] = None,
    coverage: Union[Coverage, Mapping[str, bool], None] = None,
) -> Payments:
    """PagoEfectivo's rows from a report CSV (``columns`` maps names), JSON lines, or records.

    A report CSV's coverage follows from its columns; for JSON lines and records
    say what they vouch for with ``coverage``.
    """
    if isinstance(source, Payments):
        return source
    if isinstance(source, (str, os.PathLike)):
        if _json_lines(source):
            return Payments.from_json_lines(source, _coverage(coverage))
        return Payments.from_report_csv(source, _columns(columns))
    return Payments.from_records([_record(r) for r in source], _coverage(coverage))


def _options(
    amount_tolerance: Optional[Amount],
    settlement_days: Optional[int],
    as_of: Optional[Time],
    extra_holidays: Optional[Iterable[Day]],
) -> dict[str, Any]:
    given = {
        "amount_tolerance": amount_tolerance,
        "settlement_days": settlement_days,
        "as_of": as_of,
        "extra_holidays": None if extra_holidays is None else list(extra_holidays),
    }
    return {k: v for k, v in given.items() if v is not None}


def write_outputs(result: Reconciliation, out_dir: Union[str, os.PathLike[str]]) -> None:
    """Writes ``summary.json``, ``exceptions.csv``, ``exceptions.jsonl`` and ``report.html`` (as the CLI)."""
    result.write_all(out_dir)


def run(
    orders: OrdersSource,
    payments: PaymentsSource,
    *,
    order_columns: Optional[Columns] = None,
    report_columns: Optional[Columns] = None,
    coverage: Union[Coverage, Mapping[str, bool], None] = None,
    amount_tolerance: Optional[Amount] = None,
    settlement_days: Optional[int] = None,
    as_of: Optional[Time] = None,
    extra_holidays: Optional[Iterable[Day]] = None,
    out_dir: Union[str, os.PathLike[str], None] = None,
) -> Reconciliation:
    """Reconciles your orders against PagoEfectivo's rows (files, records, or loaded sides).

    Options (the core's defaults when omitted): ``amount_tolerance`` (0.05),
    ``settlement_days`` (T+3 business days), ``as_of`` (now; the moment expiry and
    settlement are judged against), ``extra_holidays`` (decreed closures).
    With ``out_dir`` the four report files are written there too.
    """
    options = _options(amount_tolerance, settlement_days, as_of, extra_holidays)
    if (
        isinstance(orders, (str, os.PathLike))
        and isinstance(payments, (str, os.PathLike))
        and not (_json_lines(orders) or _json_lines(payments))
    ):
        o, p = _native.load_csv_pair(orders, payments, _columns(order_columns), _columns(report_columns))
    else:
        o = load_orders(orders, columns=order_columns)
        p = load_payments(payments, columns=report_columns, coverage=coverage)
    result = _native.reconcile(o, p, options)
    if out_dir is not None:
        write_outputs(result, out_dir)
    return result


class ClientReconciliation:
    """``client.reconciliation``: PagoEfectivo's side fetched by the client, then reconciled."""

    def __init__(self, client: _native.Client) -> None:
        self._client = client
        self._native = client.reconciliation()

    def search(
        self,
        orders: OrdersSource,
        *,
        order_columns: Optional[Columns] = None,
        amount_tolerance: Optional[Amount] = None,
        settlement_days: Optional[int] = None,
        as_of: Optional[Time] = None,
        extra_holidays: Optional[Iterable[Day]] = None,
        out_dir: Union[str, os.PathLike[str], None] = None,
    ) -> Reconciliation:
        """Asks ``cips/search`` (the public API) for every CIP of the orders, then reconciles.

        Works with any account; it knows statuses and payment dates, not settlement
        or refunds (those checks are skipped). Orders without a CIP are not searched.
        """
        o = load_orders(orders, columns=order_columns)
        payments = self._native.search_payments(o)
        options = _options(amount_tolerance, settlement_days, as_of, extra_holidays)
        result = _native.reconcile(o, payments, options)
        if out_dir is not None:
            write_outputs(result, out_dir)
        return result

    def settlement_report(
        self,
        orders: OrdersSource,
        *,
        date_from: Optional[Day] = None,
        date_to: Optional[Day] = None,
        cursor: Optional[str] = None,
        limit: int = 0,
        path: Optional[str] = None,
        order_columns: Optional[Columns] = None,
        amount_tolerance: Optional[Amount] = None,
        settlement_days: Optional[int] = None,
        as_of: Optional[Time] = None,
        extra_holidays: Optional[Iterable[Day]] = None,
        out_dir: Union[str, os.PathLike[str], None] = None,
    ) -> Reconciliation:
        """Reads every page of the settlement-report extension (by Lima payment date), then reconciles.

        Keep ``result.next_cursor`` and pass it as ``cursor`` next time: only later
        payments come back (incremental runs). ``path`` overrides ``Config.reports_path``.
        """
        o = load_orders(orders, columns=order_columns)
        payments, next_cursor = self._native.settlements(_query(date_from, date_to, cursor, limit), path)
        options = _options(amount_tolerance, settlement_days, as_of, extra_holidays)
        result = _native.reconcile(o, payments, options, next_cursor)
        if out_dir is not None:
            write_outputs(result, out_dir)
        return result

    def report_page(
        self,
        *,
        date_from: Optional[Day] = None,
        date_to: Optional[Day] = None,
        cursor: Optional[str] = None,
        limit: int = 0,
        path: Optional[str] = None,
    ) -> ReportPage:
        """One page of the settlement-report endpoint as it answered (``path`` or ``Config.reports_path``)."""
        page = self._client.call("reports.page", {**_query(date_from, date_to, cursor, limit), "path": path})
        return _report_page(cast("dict[str, Any]", page))


async def _in_thread(fn: Any, *args: Any, **kwargs: Any) -> Any:
    # Loading and matching release the GIL; a worker thread keeps the event loop free meanwhile.
    import asyncio  # here: importing asyncio would double `import pagoefectivo`'s time

    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))


class AsyncClientReconciliation:
    """``client.reconciliation`` of ``AsyncClient``: the same methods as coroutines."""

    def __init__(self, client: _native.Client) -> None:
        self._client = client
        self._native = client.reconciliation()

    async def search(
        self,
        orders: OrdersSource,
        *,
        order_columns: Optional[Columns] = None,
        amount_tolerance: Optional[Amount] = None,
        settlement_days: Optional[int] = None,
        as_of: Optional[Time] = None,
        extra_holidays: Optional[Iterable[Day]] = None,
        out_dir: Union[str, os.PathLike[str], None] = None,
    ) -> Reconciliation:
        """See ``ClientReconciliation.search``."""
        o: Orders = await _in_thread(load_orders, orders, columns=order_columns)
        payments = await self._native.search_payments_async(o)
        options = _options(amount_tolerance, settlement_days, as_of, extra_holidays)
        result: Reconciliation = await _in_thread(_native.reconcile, o, payments, options)
        if out_dir is not None:
            await _in_thread(write_outputs, result, out_dir)
        return result

    async def settlement_report(
        self,
        orders: OrdersSource,
        *,
        date_from: Optional[Day] = None,
        date_to: Optional[Day] = None,
        cursor: Optional[str] = None,
        limit: int = 0,
        path: Optional[str] = None,
        order_columns: Optional[Columns] = None,
        amount_tolerance: Optional[Amount] = None,
        settlement_days: Optional[int] = None,
        as_of: Optional[Time] = None,
        extra_holidays: Optional[Iterable[Day]] = None,
        out_dir: Union[str, os.PathLike[str], None] = None,
    ) -> Reconciliation:
        """See ``ClientReconciliation.settlement_report``."""
        o: Orders = await _in_thread(load_orders, orders, columns=order_columns)
        query = _query(date_from, date_to, cursor, limit)
        payments, next_cursor = await self._native.settlements_async(query, path)
        options = _options(amount_tolerance, settlement_days, as_of, extra_holidays)
        result: Reconciliation = await _in_thread(_native.reconcile, o, payments, options, next_cursor)
        if out_dir is not None:
            await _in_thread(write_outputs, result, out_dir)
        return result

    async def report_page(
        self,
        *,
        date_from: Optional[Day] = None,
        date_to: Optional[Day] = None,
        cursor: Optional[str] = None,
        limit: int = 0,
        path: Optional[str] = None,
    ) -> ReportPage:
        """See ``ClientReconciliation.report_page``."""
        query = {**_query(date_from, date_to, cursor, limit), "path": path}
        page = await self._client.call_async("reports.page", query)
        return _report_page(cast("dict[str, Any]", page))


__all__ = [
    "EXCEPTION_COLUMNS",
    "AsyncClientReconciliation",
    "Calendar",
    "Class",
    "ClassTotal",
    "ClientReconciliation",
    "Coverage",
    "Discrepancy",
    "Order",
    "Orders",
    "PaymentRecord",
    "Payments",
    "Reconciliation",
    "ReportPage",
    "Summary",
    "load_orders",
    "load_payments",
    "run",
    "write_outputs",
]
