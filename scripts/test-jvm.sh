#!/usr/bin/env bash
# JVM: the JNI crates (rustfmt, clippy, unit tests) and their debug libraries; then Maven: the client, the test sandbox,
# the Spring Boot starter and the suite (conformance cases and vectors, Kotlin and Java callers, the README examples,
# the error tree and the records against the core's table and schema), installed fresh into target/jvm-m2; a project
# that names only the coordinates; and the Spring Boot shop of examples/spring. The many-servers tests run against
# PostgreSQL and Redis (scripts/services.sh: started here unless PAGOEFECTIVO_TEST_*_URL are set). Exits non-zero on
# any failure.
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

# PostgreSQL and Redis for the many-servers tests (StoresTest, the shop's shared-store test): the ones
# test-all.sh started, or our own (in a data directory of their own, so a concurrent test-rust.sh keeps its
# servers), stopped on exit.
SERVICES_DIR="$PWD/target/services-jvm"
# shellcheck source=scripts/services.sh
. scripts/services.sh
if [ -z "${PAGOEFECTIVO_TEST_POSTGRES_URL:-}" ] || [ -z "${PAGOEFECTIVO_TEST_REDIS_URL:-}" ]; then
  services_start
  trap services_stop EXIT
fi

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
