#!/usr/bin/env bash
# JVM: the JNI crates (rustfmt, clippy, unit tests) and their debug libraries; then Maven: the client, the test sandbox,
# the Spring Boot starter and the suite (conformance cases and vectors, Kotlin and Java callers, the README examples,
# the error tree and the records against the core's table and schema), installed fresh into target/jvm-m2; a project
# that names only the coordinates; and the Spring Boot shop of examples/spring. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mvn >/dev/null || bash scripts/setup-jvm.sh
start=$SECONDS
MVN=scripts/jvm-maven.sh

echo "--- rustfmt, clippy and unit tests (JNI crates)"
cargo fmt -p pagoefectivo-jvm -p pagoefectivo-jvm-testing --check
cargo clippy -p pagoefectivo-jvm -p pagoefectivo-jvm-testing --no-deps --all-targets --locked -- -D warnings
cargo test -p pagoefectivo-jvm --locked --quiet

echo "--- the debug libraries (the production one, and the test one with the sandbox)"
cargo build -p pagoefectivo-jvm -p pagoefectivo-jvm-testing --locked --quiet

echo "--- maven: compile, test, install into target/jvm-m2 (pagoefectivo's artifacts fresh every run)"
rm -rf target/jvm-m2/pe/pagoefectivo
# Dokka (the javadoc jar) takes ~40 s: scripts/jvm-release.sh builds it; the tests do not need it.
"$MVN" jvm -q clean install -Ddokka.skip=true
awk -F"[ ,]+" '/^Tests run:/ { n += $3; f += $5 + $7 } END { print "jvm: " n " tests, " f " failed or in error" }' \
  jvm/tests/target/surefire-reports/*.txt

echo "--- a project that names only the coordinates (production library, no system property)"
bash scripts/jvm-install-test.sh

echo "--- the Spring Boot shop (examples/spring: @SpringBootTest over HTTP, the sandbox notifying it)"
"$MVN" examples/spring -q clean test
awk -F"[ ,]+" '/^Tests run:/ { n += $3; f += $5 + $7 } END { print "spring example: " n " tests, " f " failed or in error" }' \
  examples/spring/target/surefire-reports/*.txt
echo "jvm suite: $((SECONDS - start)) s"
