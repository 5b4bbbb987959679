#!/usr/bin/env bash
# JVM: the uniffi crate (rustfmt, clippy, Rust unit tests), its debug cdylib and uniffi-bindgen helper, then
# Maven: Kotlin generated from that library, compiled with our Kotlin/Java, JUnit 5 against the real sandbox.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mvn >/dev/null || bash scripts/setup-jvm.sh

echo "--- rustfmt, clippy and unit tests (uniffi crate)"
cargo fmt -p pagoefectivo-uniffi --check
cargo clippy -p pagoefectivo-uniffi --no-deps --all-targets --locked -- -D warnings
cargo test -p pagoefectivo-uniffi --locked --quiet

echo "--- the debug cdylib and uniffi-bindgen (dev profile: generation needs the unstripped library)"
cargo build -p pagoefectivo-uniffi --locked --quiet
[ -f target/x86_64-unknown-linux-gnu/debug/libpagoefectivo_uniffi.so ]

echo "--- maven: generate, compile, test"
# -ntp: no download progress; the generated sources are rebuilt from the library every run.
(cd jvm && mvn -B -ntp -q clean test)
awk -F"[ ,]+" '/^Tests run:/ { n += $3; f += $5 + $7 } END { print "jvm: " n " tests, " f " failed or in error" }' jvm/target/surefire-reports/*.txt
