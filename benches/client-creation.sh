#!/usr/bin/env bash
# Client creation in every language (issue 16: each cold start and each store of a multi-store process pays it):
# the time of one `new client` with a sandbox config, no network (clients connect on first use). Uses what the test
# scripts built (debug Rust code: scripts/test-python.sh, test-node.sh, test-php.sh; the JVM's release jars from
# benches/jvm/run.sh); never run by CI. Prints one line per language.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
KEY=ACCESSKEY00000000000
SECRET=SECRETKEY0000000000000000000000000000000
URL=http://127.0.0.1:9/v1/

if [ -x target/py-test/bin/python ]; then
  target/py-test/bin/python - "$N" <<PY
import sys, time, pagoefectivo
kw = dict(access_key="$KEY", secret_key="$SECRET", id_service=1234, base_url="$URL")
n = int(sys.argv[1]); pagoefectivo.Client(**kw)
t = time.perf_counter()
for _ in range(n): pagoefectivo.Client(**kw)
print(f"python  pagoefectivo.Client(...)      {(time.perf_counter() - t) / n * 1e6:8.1f} us")
PY
fi

if [ -f node/dist/cjs/index.js ]; then
  node - "$N" <<JS
const { PagoEfectivo } = require('./node');
const n = Number(process.argv[2]);
const options = { accessKey: '$KEY', secretKey: '$SECRET', idService: 1234, baseUrl: '$URL' };
new PagoEfectivo(options);
const t = process.hrtime.bigint();
for (let i = 0; i < n; i++) new PagoEfectivo(options);
console.log('node    new PagoEfectivo(...)       ' + (Number(process.hrtime.bigint() - t) / n / 1e3).toFixed(1).padStart(8) + ' us');
JS
fi

LIB=target/x86_64-unknown-linux-gnu/debug/libpagoefectivo_c.so
if [ -f "$LIB" ] && command -v php >/dev/null; then
  PAGOEFECTIVO_LIB=$PWD/$LIB php -d ffi.enable=1 -r '
    require "php-ffi/autoload.php";
    $o = ["access_key" => "'$KEY'", "secret_key" => "'$SECRET'", "id_service" => 1234, "base_url" => "'$URL'"];
    $n = (int) $argv[1]; new PagoEfectivo\Client($o);
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) { new PagoEfectivo\Client($o); }
    printf("php     new PagoEfectivo\\Client(...) %8.1f us\n", (hrtime(true) - $t) / $n / 1e3);' "$N"
fi
