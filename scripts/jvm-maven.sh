#!/usr/bin/env bash
# Maven for the JVM package's builds (test-jvm.sh, benches/jvm/run.sh): a local repository under target/ that
# pagoefectivo's own artifacts are installed into fresh on every run, while third-party artifacts come from the
# user's ~/.m2 cache (a file repository, copied) and then Maven Central. Usage: jvm-maven.sh <dir> <mvn args...>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$1"
shift
REPO="${JVM_MAVEN_REPO:-$ROOT/target/jvm-m2}"
SETTINGS="$ROOT/target/jvm-maven-settings.xml"
mkdir -p "$REPO"
CACHE="${HOME:-/root}/.m2/repository"
if [ -d "$CACHE" ] && [ "$CACHE" != "$REPO" ]; then
  REPOS="<repository><id>m2-cache</id><url>file://$CACHE</url><snapshots><enabled>false</enabled></snapshots></repository>"
  PLUGIN_REPOS="<pluginRepository><id>m2-cache</id><url>file://$CACHE</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>"
else
  REPOS=""
  PLUGIN_REPOS=""
fi
cat > "$SETTINGS.tmp" <<XML
<settings>
  <localRepository>$REPO</localRepository>
  <profiles><profile><id>m2-cache</id>
    <repositories>$REPOS</repositories>
    <pluginRepositories>$PLUGIN_REPOS</pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>m2-cache</activeProfile></activeProfiles>
</settings>
XML
mv "$SETTINGS.tmp" "$SETTINGS"
cd "$DIR"
exec mvn -B -ntp -s "$SETTINGS" -Dmaven.repo.local="$REPO" "$@"
