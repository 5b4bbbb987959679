#!/usr/bin/env bash
# PHP benchmarks (not part of the tests): the release C ABI library, then bench.php.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup-php.sh
cargo build --release --locked -q -p pagoefectivo-c
PAGOEFECTIVO_LIB=$PWD/target/x86_64-unknown-linux-gnu/release/libpagoefectivo_c.so php benches/php/bench.php
