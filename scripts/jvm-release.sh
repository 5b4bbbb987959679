#!/usr/bin/env bash
# The JVM artifacts exactly as they would be published: the `dist`-profile native libraries (stripped, LTO; the
# production one without the sandbox), the jars with sources and javadoc (Dokka), deployed to the file Maven
# repository target/dist/maven (which `mvn deploy` to a real repository would receive the same way). Prints sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "--- native libraries (dist profile)"
cargo build --profile dist -p pagoefectivo-jvm -p pagoefectivo-jvm-testing --locked
OUT="$PWD/target/dist/maven"
rm -rf "$OUT"
echo "--- maven deploy to $OUT"
scripts/jvm-maven.sh jvm -q -Dnative.profile=dist -DskipTests deploy -DaltDeploymentRepository="local::file://$OUT"
JAR="$OUT/pe/pagoefectivo/pagoefectivo/0.1.0/pagoefectivo-0.1.0.jar"
find "$OUT" -name '*.jar' -printf '%s %p\n' | sort -k2 | awk -v root="$OUT/" '{ sub(root, "", $2); printf "%8.2f MB  %s\n", $1 / 1e6, $2 }'
size=$(stat -c %s "$JAR")
[ "$size" -le 6000000 ] || { echo "jvm-release: the jar is $size bytes, more than 6 MB" >&2; exit 1; }
