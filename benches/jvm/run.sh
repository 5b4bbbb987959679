#!/usr/bin/env bash
# JVM benchmarks (never run by CI): the release-profile libraries and jars installed into a bench repository,
# then JMH (trivial call, webhook verify+parse vs plain Java), CIP creation at 32 concurrent vs java.net.http,
# idle memory, and the production jar's size. Prints what BENCHMARKS.md records.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROFILE="${PROFILE:-release}"
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
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" org.openjdk.jmh.Main BoundaryBench "$@"
java -cp "$CP" bench.CreateLoad
java -cp "$CP" bench.IdleMemory sdk 50
java -cp "$CP" bench.IdleMemory plain 50
ls -l jvm/pagoefectivo/target/pagoefectivo-0.1.0.jar | awk '{printf "jar pagoefectivo-0.1.0.jar: %.2f MB\n", $5 / 1e6}'
