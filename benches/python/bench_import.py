"""`import pagoefectivo` time (fresh interpreters, interleaved with empty ones) and the wheel's size."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from rounds import value_line


def once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    runs = int(os.environ.get("PY_BENCH_IMPORTS", "30"))
    once("import pagoefectivo")  # page cache
    diffs = []
    for r in range(runs):  # each pair in the same moment, which goes first alternating
        if r % 2:
            full, empty = once("import pagoefectivo"), once("pass")
        else:
            empty, full = once("pass"), once("import pagoefectivo")
        diffs.append((full - empty) * 1000)
    text = f"import pagoefectivo minus an empty interpreter, {runs} pairs"
    print(value_line("python_import", diffs, "ms", text))
    for wheel in sys.argv[1:]:
        size = Path(wheel).stat().st_size / 1e6
        print(value_line("python_wheel_size", [size], "MB", Path(wheel).name, "<=5"))


if __name__ == "__main__":
    main()
