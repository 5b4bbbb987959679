#!/usr/bin/env bash
# Start-up in every language (never run by CI): the time of one `new client` with a sandbox config and no network
# (clients connect on first use; each cold start and each store of a multi-store process pays it), 5 rounds of N
# clients each; then benches/startup.py: import/first-client time of a fresh process against an empty one, and the
# memory a process that made one client holds over an empty one. Uses the fastest build found for each language
# (Python: the release wheel of benches/python/run.sh, else the tests' debug one; Node: node/pagoefectivo.node as it is;
# PHP: the dist, release, else debug C library; JVM: the release jars of benches/jvm/run.sh) and says which.
# Prints VALUE lines for benches/run.sh (target: < 1 ms per client).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
KEY=ACCESSKEY00000000000
SECRET=SECRETKEY0000000000000000000000000000000
URL=http://127.0.0.1:9/v1/
T=target/x86_64-unknown-linux-gnu

PY=""
for p in target/py-bench/bin/python target/py-test/bin/python; do [ -x "$p" ] && { PY=$p; break; }; done
if [ -n "$PY" ]; then
  (cd target && "../$PY" - "$N" "$PY" <<PY
import statistics, sys, time, pagoefectivo
kw = dict(access_key="$KEY", secret_key="$SECRET", id_service=1234, base_url="$URL")
n = int(sys.argv[1]); pagoefectivo.Client(**kw)
us = []
for _ in range(5):
    t = time.perf_counter()
    for _ in range(n): pagoefectivo.Client(**kw)
    us.append((time.perf_counter() - t) / n * 1e6)
med = statistics.median(us)
build = "release wheel" if "py-bench" in sys.argv[2] else "debug build of the tests"
print(f"VALUE python_client_new {min(us):.1f} {med:.1f} us <=1000 {'ok' if med <= 1000 else 'miss'} # pagoefectivo.Client(...), {n} per round, 5 rounds ({build})")
PY
  )
fi

if [ -f node/dist/cjs/index.js ] && [ -f node/pagoefectivo.node ]; then
  node - "$N" "$(stat -c %s node/pagoefectivo.node)" <<JS
const { PagoEfectivo } = require('./node');
const [n, bytes] = [Number(process.argv[2]), Number(process.argv[3])];
const options = { accessKey: '$KEY', secretKey: '$SECRET', idService: 1234, baseUrl: '$URL' };
new PagoEfectivo(options);
const us = [];
for (let r = 0; r < 5; r++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) new PagoEfectivo(options);
  us.push(Number(process.hrtime.bigint() - t) / n / 1e3);
}
const s = [...us].sort((a, b) => a - b), med = s[2];
const build = bytes > 20e6 ? 'debug addon' : 'addon of ' + (bytes / 1e6).toFixed(2) + ' MB (dist or release)';
console.log(\`VALUE node_client_new \${s[0].toFixed(1)} \${med.toFixed(1)} us <=1000 \${med <= 1000 ? 'ok' : 'miss'} # new PagoEfectivo(...), \${n} per round, 5 rounds (\${build})\`);
JS
fi

PHP_LIB=""
for p in "$T/dist/libpagoefectivo_c.so" "$T/release/libpagoefectivo_c.so" "$T/debug/libpagoefectivo_c.so"; do
  [ -f "$p" ] && { PHP_LIB=$PWD/$p; break; }
done
if [ -n "$PHP_LIB" ] && command -v php >/dev/null; then
  # shellcheck disable=SC2016 # PHP's own variables
  PAGOEFECTIVO_LIB=$PHP_LIB php -d ffi.enable=1 -r '
    require "php-ffi/autoload.php";
    $o = ["access_key" => "'$KEY'", "secret_key" => "'$SECRET'", "id_service" => 1234, "base_url" => "'$URL'"];
    $n = (int) $argv[1]; new PagoEfectivo\Client($o);
    $us = [];
    for ($r = 0; $r < 5; $r++) {
      $t = hrtime(true);
      for ($i = 0; $i < $n; $i++) { new PagoEfectivo\Client($o); }
      $us[] = (hrtime(true) - $t) / $n / 1e3;
    }
    sort($us);
    printf("VALUE php_client_new %.1f %.1f us <=1000 %s # new PagoEfectivo\\Client(...), %d per round, 5 rounds (%s)\n",
      $us[0], $us[2], $us[2] <= 1000 ? "ok" : "miss", $n, $argv[2]);' "$N" "${PHP_LIB#"$PWD/"}"
fi

JVM_CP=""
if [ -f benches/jvm/target/cp.txt ] && [ -f benches/jvm/target/classes/bench/ClientCreation.class ]; then
  JVM_CP="benches/jvm/target/classes:$(cat benches/jvm/target/cp.txt)"
  java -cp "$JVM_CP" bench.ClientCreation "$N"
fi

PY_STARTUP=$PY PHP_LIB=$PHP_LIB JVM_CP=$JVM_CP python3 benches/startup.py
