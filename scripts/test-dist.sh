#!/usr/bin/env bash
# Installed by name, as users do: starts a local registry per ecosystem on 127.0.0.1 (pypiserver, Verdaccio, a file
# Maven repository, a Composer artifact repository), publishes the packages built from the debug libraries the other
# suites made (release.sh alone builds the dist profile), then in fresh environments runs `pip install pagoefectivo`
# (CPython 3 and the oldest claimed, 3.9), `npm install pagoefectivo`, a Maven project naming the coordinates and
# `composer require pagoefectivo/pagoefectivo`, each followed by a smoke run against the sandbox (create a CIP, pay
# it, verify the notification). Servers are stopped on exit. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
start=$SECONDS
bash scripts/release.sh --versions
bash scripts/setup-dist.sh
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
TOOLS=$ROOT/target/dist-tools
DEBUG=$ROOT/target/x86_64-unknown-linux-gnu/debug
W=$ROOT/target/dist-test
rm -rf "$W"
mkdir -p "$W"
pids=()
on_exit() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap on_exit EXIT
# No user or machine configuration may point an installer elsewhere than the local registries.
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL npm_config_registry NPM_CONFIG_REGISTRY COMPOSER
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # <url> <name>
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "test-dist: $2 did not start on $1" >&2
  exit 1
}

echo "--- build: wheel and sdist (dev profile), npm tarballs, PHP zip over the debug libraries"
[ -x "$ROOT/target/py-venv/bin/maturin" ] || bash scripts/setup-python.sh
MATURIN=$ROOT/target/py-venv/bin/maturin
# Quiet unless it fails (the sdist warns about every crate's missing homepage).
log=$("$MATURIN" build --quiet --locked -m python/Cargo.toml --out "$W/python" 2>&1) || { echo "$log"; exit 1; }
log=$("$MATURIN" sdist -m python/Cargo.toml --out "$W/python" 2>&1) || { echo "$log"; exit 1; }
ls "$W/python/pagoefectivo-$VERSION"-cp39-abi3-*.whl "$W/python/pagoefectivo-$VERSION.tar.gz" >/dev/null
if [ ! -f node/pagoefectivo.node ] || [ ! -f node/dist/cjs/index.js ]; then
  bash scripts/setup-node.sh
  (cd node && npx napi build --no-js --dts ts/native.d.ts --output-dir . && npm run --silent build:ts)
fi
bash scripts/node-pack.sh "$W/npm" node/pagoefectivo.node >/dev/null
# The default features (the sandbox inside): the last build of test-php.sh, rebuilt if a lean one replaced it.
cargo build -p pagoefectivo-c --locked --quiet
bash scripts/php-package.sh "$W/composer" "$DEBUG/libpagoefectivo_c.so" >/dev/null

echo "    ($((SECONDS - start)) s)"
echo "--- python: pypiserver on 127.0.0.1, upload, pip install pagoefectivo into fresh venvs"
port=$(free_port)
mkdir -p "$W/pypi"
# --disable-fallback: an unknown name is a 404, never a redirect to pypi.org.
"$TOOLS/venv/bin/pypi-server" run -i 127.0.0.1 -p "$port" -a . -P . --disable-fallback "$W/pypi" \
  > "$W/pypiserver.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port/simple/" pypiserver
for f in "$W"/python/*; do
  curl -sf -F ':action=file_upload' -F "content=@$f" "http://127.0.0.1:$port/" >/dev/null
done
cat > "$W/smoke.py" <<'PY'
from decimal import Decimal

import pagoefectivo
from pagoefectivo.testing import Sandbox

with Sandbox() as sb:
    client = sb.client()
    cip = client.cips.create(currency="PEN", amount=Decimal("12.34"), transaction_code="DIST-PY", user_email="a@b.pe")
    sb.pay(cip.cip)
    [d] = sb.wait_for_deliveries(1, timeout=5)
    event = pagoefectivo.webhooks.construct_event(d.body, d.signature, sb.secret_key)
    assert event.cip == cip.cip and event.amount == Decimal("12.34"), event
print(f"pip smoke ({pagoefectivo.__file__.split('/lib/')[1].split('/')[0]}): CIP {cip.cip} paid, notification verified")
PY
PY39=${PYTHON39:-}
for p in /root/.pyenv/versions/3.9*/bin/python3.9 /usr/bin/python3.9; do [ -z "$PY39" ] && [ -x "$p" ] && PY39=$p; done
pythons=(python3)
if [ -n "$PY39" ]; then pythons+=("$PY39"); else echo "test-dist: no CPython 3.9 here: the oldest claimed is NOT checked" >&2; fi
for py in "${pythons[@]}"; do
  venv="$W/venv-$(basename "$py")"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-cache-dir --index-url "http://127.0.0.1:$port/simple/" pagoefectivo=="$VERSION"
  (cd "$W" && "$venv/bin/python" smoke.py)
done

echo "    ($((SECONDS - start)) s)"
echo "--- npm: Verdaccio on 127.0.0.1 (no uplinks), npm publish, npm install pagoefectivo into a fresh project"
port=$(free_port)
mkdir -p "$W/verdaccio"
cat > "$W/verdaccio/config.yaml" <<YAML
storage: $W/verdaccio/storage
auth:
  htpasswd:
    file: $W/verdaccio/htpasswd
    max_users: 1
uplinks: {}
# The debug addon is ~11 MB packed (base64 in the publish request): over Verdaccio's default 10 MB.
max_body_size: 100mb
packages:
  '**':
    access: \$all
    publish: \$authenticated
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
YAML
node "$TOOLS/npm/node_modules/verdaccio/bin/verdaccio" --config "$W/verdaccio/config.yaml" --listen "127.0.0.1:$port" \
  > "$W/verdaccio.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port/-/ping" Verdaccio
token=$(curl -sf -X PUT -H 'content-type: application/json' -d '{"name":"ci","password":"ci-local-only"}' \
  "http://127.0.0.1:$port/-/user/org.couchdb.user:ci" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
printf 'registry=http://127.0.0.1:%s/\n//127.0.0.1:%s/:_authToken=%s\n' "$port" "$port" "$token" > "$W/npm/.npmrc"
for t in "$W/npm/pagoefectivo-linux-x64-gnu-$VERSION.tgz" "$W/npm/pagoefectivo-$VERSION.tgz"; do
  (cd "$W/npm" && npm publish --userconfig "$W/npm/.npmrc" "$t" >/dev/null)
done
mkdir "$W/npm-app"
printf 'registry=http://127.0.0.1:%s/\n' "$port" > "$W/npm-app/.npmrc"
cp node/tests/pack/smoke.cjs node/tests/pack/smoke.mjs "$W/npm-app/"
(cd "$W/npm-app" && npm init -y >/dev/null && npm install --userconfig "$W/npm-app/.npmrc" --cache "$W/npm-cache" \
  pagoefectivo >/dev/null && [ -f node_modules/@pagoefectivo/linux-x64-gnu/pagoefectivo.linux-x64-gnu.node ] \
  && node smoke.cjs && node smoke.mjs)

echo "    ($((SECONDS - start)) s)"
echo "--- maven: deploy to a file repository, a fresh project (own maven.repo.local) naming the coordinates"
# The jars test-jvm.sh installed (debug native libraries), else built here; published with deploy:deploy-file.
M2=$ROOT/target/jvm-m2
[ -f "$M2/pe/pagoefectivo/pagoefectivo/$VERSION/pagoefectivo-$VERSION.jar" ] \
  || scripts/jvm-maven.sh jvm -q -DskipTests -Ddokka.skip=true install
REPO=$W/maven-repo
for a in pagoefectivo-parent pagoefectivo pagoefectivo-testing pagoefectivo-spring-boot-starter; do
  # deploy-file refuses files inside the local repository: a staging copy.
  d=$W/maven-stage/$a
  mkdir -p "$d"
  cp "$M2/pe/pagoefectivo/$a/$VERSION"/*.{pom,jar} "$d/" 2>/dev/null || true
  if [ -f "$d/$a-$VERSION.jar" ]; then
    files=(-Dfile="$d/$a-$VERSION.jar" -Dsources="$d/$a-$VERSION-sources.jar")
  else
    files=(-Dfile="$d/$a-$VERSION.pom" -Dpackaging=pom)
  fi
  log=$(scripts/jvm-maven.sh "$W" -q org.apache.maven.plugins:maven-deploy-plugin:3.1.3:deploy-file \
    -DpomFile="$d/$a-$VERSION.pom" "${files[@]}" -Durl="file://$REPO" -DrepositoryId=dist 2>&1) || { echo "$log"; exit 1; }
done
mkdir -p "$W/maven-app/src/test/java/consumer"
cat > "$W/maven-app/settings.xml" <<XML
<settings>
  <profiles><profile><id>dist</id>
    <repositories>
      <repository><id>dist</id><url>file://$REPO</url><snapshots><enabled>false</enabled></snapshots></repository>
      <repository><id>m2-cache</id><url>file://${HOME:-/root}/.m2/repository</url><snapshots><enabled>false</enabled></snapshots></repository>
    </repositories>
    <pluginRepositories>
      <pluginRepository><id>m2-cache</id><url>file://${HOME:-/root}/.m2/repository</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
    </pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>dist</activeProfile></activeProfiles>
</settings>
XML
cat > "$W/maven-app/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>shop</groupId>
  <artifactId>smoke</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency><groupId>pe.pagoefectivo</groupId><artifactId>pagoefectivo</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>pe.pagoefectivo</groupId><artifactId>pagoefectivo-testing</artifactId><version>$VERSION</version><scope>test</scope></dependency>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.12.2</version><scope>test</scope></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
    </plugins>
  </build>
</project>
XML
cat > "$W/maven-app/src/test/java/consumer/SmokeTest.java" <<'JAVA'
package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import pe.pagoefectivo.*;
import pe.pagoefectivo.testing.Delivery;
import pe.pagoefectivo.testing.Sandbox;

class SmokeTest {
    @Test
    void createPayVerify() {
        try (Sandbox sb = Sandbox.start(); PagoEfectivo client = sb.client()) {
            Cip cip = client.cips().create(CreateCipRequest.builder().currency(Currency.PEN).amount(new BigDecimal("12.34"))
                .transactionCode("DIST-JVM").userEmail("a@b.pe").build());
            sb.pay(cip.getCip());
            Delivery d = sb.deliveries(1, 5000).get(0);
            Event e = client.webhooks().constructEvent(d.getBody().getBytes(), d.getSignature());
            assertEquals(cip.getCip(), e.getCip());
            System.out.println("maven smoke: CIP " + cip.getCip() + " paid, notification verified");
        }
    }
}
JAVA
log=$(cd "$W/maven-app" && mvn -B -ntp -s settings.xml -Dmaven.repo.local="$W/maven-app/m2" test 2>&1) || { echo "$log"; exit 1; }
grep -E "^maven smoke:|Tests run: .*, Failures" <<<"$log" | head -2
grep -q "pagoefectivo-$VERSION.jar>dist=" "$W/maven-app/m2/pe/pagoefectivo/pagoefectivo/$VERSION/_remote.repositories" \
  || { echo "test-dist: pe.pagoefectivo:pagoefectivo did not come from the dist repository" >&2; exit 1; }

echo "    ($((SECONDS - start)) s)"
echo "--- composer: an artifact repository (packagist off), composer require pagoefectivo/pagoefectivo"
mkdir "$W/composer-app"
cat > "$W/composer-app/composer.json" <<JSON
{
  "name": "shop/smoke",
  "require": {},
  "repositories": [{ "type": "artifact", "url": "$W/composer" }, { "packagist.org": false }],
  "config": { "cache-dir": "$W/composer-cache" }
}
JSON
cat > "$W/composer-app/smoke.php" <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;
$sb = new Sandbox();
$cip = $sb->client()->cips()->create(['currency' => 'PEN', 'amount' => '12.34', 'transaction_code' => 'DIST-PHP', 'user_email' => 'a@b.pe']);
$sb->pay($cip->cip);
[$d] = $sb->deliveries(1);
$event = Webhook::constructEvent($d['body'], $d['signature'], $sb->secretKey());
if ($event->cip != $cip->cip || (string) $event->amount !== '12.34') { fwrite(STDERR, "wrong event\n"); exit(1); }
$sb->close();
echo "composer smoke: CIP {$cip->cip} paid, notification verified\n";
PHP
(cd "$W/composer-app" && COMPOSER_HOME="$W/composer-home" composer require --no-interaction --quiet \
  pagoefectivo/pagoefectivo:"$VERSION" && env -u PAGOEFECTIVO_LIB -u PAGOEFECTIVO_HEADER php smoke.php)

echo "dist: all installed by name and passed ($((SECONDS - start)) s)"
