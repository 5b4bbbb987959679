"""`import pagoefectivo` time (fresh interpreter each time, minus an empty interpreter) and wheel size."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def startup(code: str, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    empty = startup("pass")
    full = startup("import pagoefectivo")
    print(f"import pagoefectivo: {(full - empty) * 1000:.1f} ms (median of 30, interpreter start subtracted)")
    for wheel in sys.argv[1:]:
        size = Path(wheel).stat().st_size
        print(f"{Path(wheel).name}: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
