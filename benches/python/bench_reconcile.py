"""Reconciliation from Python: the 1M-row fixture of benches/reconcile (files), and 100k Python records.

usage: bench_reconcile.py DATA_DIR   (orders.csv, report.csv and expected.json from `pagoefectivo reconcile
generate`, as benches/reconcile/run.sh writes them). Prints wall time and peak RSS of each run.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from pagoefectivo import reconcile
from rounds import value_line

AS_OF = "2026-11-24T12:00:00-05:00"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def files(data: Path) -> None:
    expected = json.loads((data / "expected.json").read_text())
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = reconcile.run(data / "orders.csv", data / "report.csv", as_of=AS_OF, out_dir=out)
        wall = time.perf_counter() - start
    s = result.summary
    counts = {c.value: n for c, n in s.counts.items()}
    want = expected.get("counts", expected)
    ok = all(counts.get(k, 0) == v for k, v in want.items() if isinstance(v, int))
    print(
        f"files: {s.orders:,} orders x {s.payments:,} rows, {s.exceptions:,} exceptions, "
        f"{wall:.2f} s (load + match + 4 outputs), peak RSS {peak_mib():.0f} MiB, counts as expected: {ok}"
    )
    assert ok, "counts differ from expected.json"
    print(
        value_line("python_reconcile_1m_files", [wall], "s", "reconcile.run of the 1M-row fixture, one run")
    )
    print(value_line("python_reconcile_1m_peak_rss", [peak_mib()], "MiB", "the whole interpreter's"))


def records(n: int) -> None:
    orders = [
        {
            "order_id": f"ORD-{i}",
            "cip": 1_000_000 + i,
            "currency": "PEN",
            "amount": Decimal("25.50"),
            "status": "paid",
        }
        for i in range(n)
    ]
    payments = [
        {"cip": 1_000_000 + i, "transaction_code": f"ORD-{i}", "currency": "PEN", "amount": Decimal("25.50")}
        for i in range(n)
    ]
    start = time.perf_counter()
    result = reconcile.run(orders, payments, as_of=AS_OF)
    wall = time.perf_counter() - start
    print(
        f"records: {n:,} dicts a side, {wall:.2f} s ({wall / n * 1e6:.1f} µs/row pair), "
        f"matched {result.summary.count('matched'):,}"
    )
    us = wall / n * 1e6
    print(value_line("python_reconcile_records", [us], "us", f"per pair of dict rows, {n:,} a side, one run"))


if __name__ == "__main__":
    files(Path(sys.argv[1]))
    records(100_000)
