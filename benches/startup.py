"""Cold start per language for benches/client-creation.sh, pairs interleaved (which goes first alternating).

A fresh process that loads the package (and, where loading is lazy, makes one client) against an empty
process of the same runtime. VALUE lines: the extra wall time (min, median of the pairs), the extra peak RSS.
Env: PY_STARTUP (a python with pagoefectivo), PHP_LIB (the C library), JVM_CP (benches/jvm's classpath),
STARTUP_RUNS (pairs, 15).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time

CONFIG = ("ACCESSKEY00000000000", "SECRETKEY0000000000000000000000000000000", 1234, "http://127.0.0.1:9/v1/")


def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall ms and peak RSS (MiB) of one run of cmd (in target/ for Python: away from python/pysrc)."""
    start = time.perf_counter()
    cwd = "target" if env.get("CWD") == "target" else None
    p = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if status != 0:
        raise SystemExit(f"{cmd} failed: status {status}")
    return wall, usage.ru_maxrss / 1024


def pairs(
    name: str, empty: list[str], loaded: list[str], what: str, env: dict[str, str] | None = None
) -> None:
    env = env or {}
    runs = int(os.environ.get("STARTUP_RUNS", "15"))
    once(loaded, env)  # page cache
    walls, rss = [], []
    for r in range(runs):
        first, second = (empty, loaded) if r % 2 == 0 else (loaded, empty)
        a, b = once(first, env), once(second, env)
        e, f = (a, b) if first is empty else (b, a)
        walls.append(f[0] - e[0])
        rss.append(f[1] - e[1])
    lo, med = min(walls), statistics.median(walls)
    print(f"VALUE {name}_cold_start {lo:.1f} {med:.1f} ms # {what}, over an empty process; {runs} pairs")
    lo, med = min(rss), statistics.median(rss)
    print(f"VALUE {name}_one_client_rss {lo:.1f} {med:.1f} MiB # peak RSS of that process over the empty one")


def main() -> None:
    key, secret, service, url = CONFIG
    py = os.environ.get("PY_STARTUP")
    if py:
        kw = f"access_key={key!r}, secret_key={secret!r}, id_service={service}, base_url={url!r}"
        code = f"import pagoefectivo; pagoefectivo.Client({kw})"
        py = os.path.abspath(py)
        pairs(
            "python",
            [py, "-c", "pass"],
            [py, "-c", code],
            "import pagoefectivo + one Client",
            {"CWD": "target"},
        )
    if os.path.exists("node/dist/cjs/index.js"):
        opts = f"{{accessKey:'{key}',secretKey:'{secret}',idService:{service},baseUrl:'{url}'}}"
        code = f"const {{PagoEfectivo}} = require('./node'); new PagoEfectivo({opts});"
        pairs("node", ["node", "-e", ""], ["node", "-e", code], "require('pagoefectivo') + one client")
    lib = os.environ.get("PHP_LIB")
    if lib:
        opts = f"['access_key'=>'{key}','secret_key'=>'{secret}','id_service'=>{service},'base_url'=>'{url}']"
        code = f"require 'php-ffi/autoload.php'; new PagoEfectivo\\Client({opts});"
        php = ["php", "-d", "ffi.enable=1", "-r"]
        pairs(
            "php",
            [*php, ""],
            [*php, code],
            "autoload + one Client (FFI::cdef, the library loaded)",
            {"PAGOEFECTIVO_LIB": lib},
        )
    cp = os.environ.get("JVM_CP")
    if cp:
        java = ["java", "-cp", cp, "bench.ClientCreation"]
        pairs("jvm", [*java, "empty"], [*java, "0"], "class loading + the JNI library + one PagoEfectivo")


if __name__ == "__main__":
    main()
