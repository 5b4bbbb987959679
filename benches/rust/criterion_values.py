"""VALUE lines for benches/run.sh from criterion's samples: time per iteration, min and median of the samples.

usage: criterion_values.py CRITERION_DIR ID=NAME[:TARGET_NS][:TEXT] ...   (ID is criterion's group/bench path)
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def num(x: float) -> str:
    """Three significant digits, never in exponent form."""
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def main() -> None:
    home = Path(sys.argv[1])
    for spec in sys.argv[2:]:
        bench, _, rest = spec.partition("=")
        name, _, rest = rest.partition(":")
        target, _, text = rest.partition(":")
        sample = json.loads((home / bench / "new" / "sample.json").read_text())
        per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
        lo, med = min(per_iter), statistics.median(per_iter)
        unit, scale = ("ns", 1.0) if med < 10_000 else ("us", 1e3)
        line = f"VALUE {name} {num(lo / scale)} {num(med / scale)} {unit}"
        if target:
            line += f" <={float(target) / scale:g} {'ok' if med <= float(target) else 'miss'}"
        print(line + (f" # {text}" if text else ""))


if __name__ == "__main__":
    main()
