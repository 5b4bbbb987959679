#!/usr/bin/env bash
# JVM: JDK 17 and Maven from Debian (Maven fetches Kotlin, JNA and JUnit from Central on first build); quick when present.
set -euo pipefail
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if command -v javac >/dev/null && command -v mvn >/dev/null && [ "$(java_major)" -ge 17 ] 2>/dev/null; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# apt-get update only when the package lists do not know the JDK yet (a fresh image).
if ! apt-cache show openjdk-17-jdk-headless >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven >/dev/null
[ "$(java_major)" -ge 17 ] || { echo "setup-jvm: java 17+ is required, found $(java -version 2>&1 | head -1)" >&2; exit 1; }
