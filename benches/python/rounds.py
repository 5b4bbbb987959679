"""Interleaved rounds for the Python benchmarks, and the RATIO/VALUE lines benches/run.sh collects."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def interleaved(cases: dict[str, Callable[[], object]], calls: int, rounds: int) -> dict[str, list[float]]:
    """µs per call of each case, one entry per round; each round times every case once, order rotating."""
    names = list(cases)
    for f in cases.values():  # warm-up
        for _ in range(min(calls, 2000)):
            f()
    out: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            out[name].append(timed(cases[name], calls) / calls * 1e6)
    return out


def timed(f: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        f()
    return time.perf_counter() - start


def ratios(a: list[float], b: list[float]) -> list[float]:
    """Per-round ratios a[i] / b[i] (the two measured in the same round)."""
    return [x / y for x, y in zip(a, b)]


def ratio_line(name: str, xs: list[float], target: str, text: str) -> str:
    """`RATIO <name> <min> <median> <target> <ok|miss|->`; target `<=X`, `>=X` or `-`, on the median."""
    med = statistics.median(xs)
    return f"RATIO {name} {min(xs):.3f} {med:.3f} {target} {verdict(med, target)} # {text}"


def value_line(name: str, xs: list[float], unit: str, text: str, target: str = "") -> str:
    """`VALUE <name> <min> <median> <unit> [<target> <ok|miss>]`."""
    med = statistics.median(xs)
    judged = f" {target} {verdict(med, target)}" if target else ""
    return f"VALUE {name} {min(xs):.4g} {med:.4g} {unit}{judged} # {text}"


def verdict(median: float, target: str) -> str:
    if target in ("", "-"):
        return "-"
    bound = float(target[2:])
    return "ok" if (median <= bound if target.startswith("<=") else median >= bound) else "miss"
