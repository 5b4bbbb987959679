#!/usr/bin/env bash
# JVM benchmarks (never run by CI): the release-profile libraries and jars installed into a bench repository,
# then JMH (trivial call, webhook verify+parse vs plain Java), CIP creation at 32 concurrent vs java.net.http,
# idle memory, and the production jar's size; WebhookRounds interleaves SDK and plain Java for the RATIO lines that
# benches/run.sh collects. JVM_BENCH_SKIP_JMH=1 skips JMH (WebhookRounds still measures the webhook).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PROFILE="${PROFILE:-release}"
export JVM_MAVEN_REPO="$PWD/target/jvm-bench-m2"
MVN="$PWD/scripts/jvm-maven.sh"
echo "--- native libraries ($PROFILE profile)"
cargo build --profile "$PROFILE" -p pagoefectivo-jvm -p pagoefectivo-jvm-testing --locked --quiet
echo "--- jars with the $PROFILE libraries, into $JVM_MAVEN_REPO"
rm -rf "$JVM_MAVEN_REPO/pe/pagoefectivo"
"$MVN" jvm -q -Dnative.profile="$PROFILE" -Ddokka.skip=true -DskipTests install -pl pagoefectivo,testing -am
echo "--- benches"
"$MVN" benches/jvm -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="benches/jvm/target/classes:$(cat benches/jvm/target/cp.txt)"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "${JVM_BENCH_SKIP_JMH:-0}" = 1 ] || java -cp "$CP" org.openjdk.jmh.Main BoundaryBench "$@"
java -cp "$CP" bench.WebhookRounds
java -cp "$CP" bench.CreateLoad
# Idle memory: each kind in its own JVM, one after the other (one pair: not interleaved rounds).
sdk=$(java -cp "$CP" bench.IdleMemory sdk 50); echo "$sdk"
plain=$(java -cp "$CP" bench.IdleMemory plain 50); echo "$plain"
heap() { awk '{print $(NF-5)}' <<<"$1"; }
rss() { awk '{print $4}' <<<"$1"; }
echo "VALUE jvm_idle_client_heap $(heap "$sdk") $(heap "$sdk") KiB # Java heap per idle client (50 made and authenticated)"
echo "VALUE jvm_idle_client_rss $(rss "$sdk") $(rss "$sdk") KiB # resident memory per idle client (noisy: can be < 0)"
echo "VALUE jvm_idle_plain_heap $(heap "$plain") $(heap "$plain") KiB # the same for a java.net.http client"
awk -v a="$(heap "$sdk")" -v b="$(heap "$plain")" 'BEGIN { r = a / b;
  printf "RATIO jvm_idle_heap_vs_plain %.3f %.3f <=1.0 %s # heap per idle client, SDK ÷ java.net.http (one pair of JVMs)\n",
    r, r, (r <= 1 ? "ok" : "miss") }'
jar=jvm/pagoefectivo/target/pagoefectivo-0.1.0.jar
awk -v b="$(stat -c %s "$jar")" 'BEGIN { m = b / 1e6;
  printf "VALUE jvm_jar_size %.2f %.2f MB <=6 %s # pagoefectivo-0.1.0.jar, the %s profile library inside\n", m, m,
    (m <= 6 ? "ok" : "miss"), ENVIRON["PROFILE"] }'
