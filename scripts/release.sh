#!/usr/bin/env bash
# Builds every artifact exactly as it would be published into target/dist/ (the `dist` profile): the Python abi3
# manylinux2014 wheel and sdist, the npm packages (main + platform), the Maven repository (scripts/jvm-release.sh),
# the PHP zip (scripts/php-package.sh), the CLI binary; then SHA256SUMS, a CycloneDX SBOM per artifact, and sizes.
# Fails first if any package manifest's version differs from the workspace's (Cargo.toml). See docs/release.md.
# Usage: release.sh            everything (slow: fat LTO, once per crate)
#        release.sh --versions only the version check
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# One version, set in [workspace.package] of Cargo.toml; every other manifest must agree.
check_versions() {
  python3 - <<'PY'
import json, pathlib, re, subprocess, sys, xml.etree.ElementTree as ET
version = re.search(r'(?ms)^\[workspace\.package\].*?^version = "([^"]+)"', pathlib.Path("Cargo.toml").read_text())[1]
found = []
meta = json.loads(subprocess.check_output(["cargo", "metadata", "--no-deps", "--format-version", "1", "--locked"]))
found += [(f"crate {p['name']}", p["version"]) for p in meta["packages"]]
py = pathlib.Path("python/pyproject.toml").read_text()
m = re.search(r'(?m)^version = "([^"]+)"', py)
found.append(("python/pyproject.toml", m[1] if m else (version if re.search(r'dynamic = \[[^]]*"version"', py) else "none")))
for p in ["node/package.json", *map(str, sorted(pathlib.Path("node/npm").glob("*/package.json")))]:
    d = json.loads(pathlib.Path(p).read_text())
    found.append((p, d["version"]))
    found += [(f"{p} optionalDependencies {k}", v) for k, v in d.get("optionalDependencies", {}).items()]
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
for p in sorted(pathlib.Path("jvm").glob("**/pom.xml")):
    if "target" in p.parts:
        continue
    root = ET.parse(p).getroot()
    for tag in ("m:version", "m:parent/m:version"):
        el = root.find(tag, ns)
        if el is not None:
            found.append((f"{p} {tag.replace('m:', '')}", el.text))
spring = ET.parse("examples/spring/pom.xml").getroot().find("m:properties/m:pagoefectivo.version", ns)
if spring is not None:
    found.append(("examples/spring/pom.xml pagoefectivo.version", spring.text))
composer = json.loads(pathlib.Path("php-ffi/composer.json").read_text())
if "version" in composer:
    found.append(("php-ffi/composer.json", composer["version"]))
bad = [(where, v) for where, v in found if v != version]
for where, v in bad:
    print(f"release: {where} is {v}, the workspace is {version}", file=sys.stderr)
if bad:
    sys.exit(1)
print(f"release: version {version} in all {len(found)} places")
PY
}
check_versions
[ "${1:-}" = "--versions" ] && exit 0
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)

bash scripts/setup-dist.sh --release
TOOLS=$ROOT/target/dist-tools
export PATH="$TOOLS/venv/bin:$TOOLS/cargo/bin:$PATH"
OUT=$ROOT/target/dist
LIB=$ROOT/target/x86_64-unknown-linux-gnu/dist
venv="" root=""
mkdir -p "$OUT"
rm -rf "$OUT/python" "$OUT/npm" "$OUT/php" "$OUT/cli" "$OUT/sbom" "$OUT/SHA256SUMS" "$OUT/SIZES.md"
start=$SECONDS

echo "--- python: abi3 wheel for manylinux2014 (zig links against glibc 2.17), and the sdist"
maturin build --locked --profile dist --zig --compatibility manylinux2014 -m python/Cargo.toml --out "$OUT/python"
wheel=$(ls "$OUT"/python/pagoefectivo-"$VERSION"-cp39-abi3-*.whl)
show=$(auditwheel show "$wheel")
echo "$show"
# auditwheel wraps its lines: compare with the whitespace collapsed.
grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' <<<"$(tr -s ' \n' ' ' <<<"$show")" \
  || { echo "release: $wheel is not manylinux2014 (manylinux_2_17)" >&2; exit 1; }
maturin sdist -m python/Cargo.toml --out "$OUT/python"
sdist="$OUT/python/pagoefectivo-$VERSION.tar.gz"
echo "--- python: the sdist builds and imports with pip install (cargo present)"
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
# maturin from PyPI (the sdist's build-system). The shared target directory and the dev profile: the dependencies
# are those the tests built, only the sdist's own crates compile anew (a user's pip install builds release).
CARGO_TARGET_DIR=$ROOT/target CARGO_BUILD_TARGET=x86_64-unknown-linux-gnu MATURIN_PEP517_ARGS="--profile dev" \
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$sdist"
(cd "$venv" && bin/python -c 'import pagoefectivo, pagoefectivo.testing; print("sdist install: pagoefectivo", pagoefectivo.__version__)')

echo "--- node: the addon (dist profile) in the platform package, the main package (JS + types)"
cargo build --locked --profile dist -p pagoefectivo-node
bash scripts/setup-node.sh
(cd node && npm run --silent build:ts)
bash scripts/node-pack.sh "$OUT/npm" "$LIB/libpagoefectivo_node.so" >/dev/null

echo "--- jvm: scripts/jvm-release.sh (jars, sources, javadoc, Spring Boot starter into target/dist/maven)"
bash scripts/jvm-release.sh

echo "--- php: the Composer zip (scripts/php-package.sh: the lean dist library, without the sandbox)"
if [ -f scripts/php-package.sh ]; then
  bash scripts/php-package.sh "$OUT/php"
else
  # scripts/php-package.sh OUT_DIR [LIB_PATH] (the PHP packaging issue) writes OUT_DIR/pagoefectivo-php-<version>.zip.
  echo "release: SKIPPED the PHP zip: scripts/php-package.sh is not there" >&2
fi

echo "--- cli: the release binary, and cargo install --path cli"
cargo build --locked --profile dist -p pagoefectivo-cli
mkdir -p "$OUT/cli"
cp "$LIB/pagoefectivo" "$OUT/cli/pagoefectivo-$VERSION-x86_64-unknown-linux-gnu"
"$OUT/cli/pagoefectivo-$VERSION-x86_64-unknown-linux-gnu" --version
root=$(mktemp -d)
trap 'rm -rf "$venv" "$root"' EXIT
# The shared target directory and the dist profile: what was just built is reused.
CARGO_TARGET_DIR=$ROOT/target cargo install --locked --quiet --profile dist --path cli --root "$root"
"$root/bin/pagoefectivo" --version

echo "--- CycloneDX SBOMs (cargo-cyclonedx: every artifact's dependencies are the Rust crates linked into it)"
mkdir -p "$OUT/sbom"
members=(core sandbox cli node python bindings/c bindings/jvm bindings/jvm/testing bindings/testing)
cyclonedx() { # <extra flags...>: writes <member>/release-sbom.json for every workspace member
  cargo cyclonedx --quiet --format json --spec-version 1.5 --target x86_64-unknown-linux-gnu --no-build-deps \
    --override-filename release-sbom "$@"
}
take() { mv "$1/release-sbom.json" "$OUT/sbom/$2.cdx.json"; }
drop() { for m in "${members[@]}"; do rm -f "$m/release-sbom.json"; done; }
trap 'rm -rf "$venv" "$root"; drop' EXIT
cyclonedx
take python "$(basename "$wheel")"
cp "$OUT/sbom/$(basename "$wheel").cdx.json" "$OUT/sbom/$(basename "$sdist").cdx.json"
cp node/release-sbom.json "$OUT/sbom/pagoefectivo-$VERSION.tgz.cdx.json"
take node "pagoefectivo-linux-x64-gnu-$VERSION.tgz"
take bindings/jvm "pagoefectivo-$VERSION.jar"
take bindings/jvm/testing "pagoefectivo-testing-$VERSION.jar"
take cli "pagoefectivo-$VERSION-x86_64-unknown-linux-gnu"
drop
# The PHP zip carries the lean library: its SBOM is that feature set's.
cyclonedx --no-default-features
[ -d "$OUT/php" ] && take bindings/c "pagoefectivo-php-$VERSION.zip"
drop

echo "--- SHA256SUMS"
dirs=()
for d in python npm maven php cli sbom; do [ -d "$OUT/$d" ] && dirs+=("$d"); done
(cd "$OUT" && find "${dirs[@]}" -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.tgz' \
  -o -name '*.jar' -o -name '*.pom' -o -name '*.zip' -o -name '*.cdx.json' -o -path 'cli/*' \) \
  | sort | xargs sha256sum > SHA256SUMS)
wc -l < "$OUT/SHA256SUMS" | xargs echo "release: SHA256SUMS lists" | sed 's/$/ files/'

echo "--- sizes"
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
addon=$(tar -xOzf "$OUT/npm/pagoefectivo-linux-x64-gnu-$VERSION.tgz" package/pagoefectivo.linux-x64-gnu.node | wc -c)
jar=$OUT/maven/pe/pagoefectivo/pagoefectivo/$VERSION/pagoefectivo-$VERSION.jar
zip=$(ls "$OUT"/php/pagoefectivo-php-*.zip 2>/dev/null || true)
{
  echo "| artifact | size |"
  echo "|---|---|"
  echo "| wheel \`$(basename "$wheel")\` | $(mb "$wheel") |"
  echo "| sdist \`$(basename "$sdist")\` | $(mb "$sdist") |"
  echo "| addon \`pagoefectivo.linux-x64-gnu.node\` | $(awk -v b="$addon" 'BEGIN { printf "%.2f MB", b / 1e6 }') |"
  echo "| npm \`pagoefectivo-linux-x64-gnu-$VERSION.tgz\` | $(mb "$OUT/npm/pagoefectivo-linux-x64-gnu-$VERSION.tgz") |"
  echo "| npm \`pagoefectivo-$VERSION.tgz\` | $(mb "$OUT/npm/pagoefectivo-$VERSION.tgz") |"
  echo "| jar \`pagoefectivo-$VERSION.jar\` | $(mb "$jar") |"
  [ -n "$zip" ] && echo "| PHP zip \`$(basename "$zip")\` | $(mb "$zip") |"
  echo "| CLI \`pagoefectivo-$VERSION-x86_64-unknown-linux-gnu\` | $(mb "$OUT/cli/pagoefectivo-$VERSION-x86_64-unknown-linux-gnu") |"
} | tee "$OUT/SIZES.md"
echo "release: done in $((SECONDS - start)) s, artifacts in $OUT"
