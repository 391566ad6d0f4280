# Shared by the scripts: installs what is missing (fast when everything is present) and builds.
# Everything comes from crates.io or the npm registry; nothing downloads binaries from
# elsewhere (worker-build is pointed at our own wasm-bindgen, wasm-opt and esbuild).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false

WORKER_BUILD_VERSION=0.8.7

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

installed() { # installed <crate> <version>
  cargo install --list | grep -q "^$1 v$2:"
}

ensure_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! installed worker-build "$WORKER_BUILD_VERSION"; then
    say "installing worker-build $WORKER_BUILD_VERSION (a few minutes, once)"
    cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
  fi
  local wbv
  wbv=$(wasm_bindgen_version)
  if ! installed wasm-bindgen-cli "$wbv"; then
    say "installing wasm-bindgen-cli $wbv (a few minutes, once)"
    # --locked first; its lockfile names a webpki-roots release some registry mirrors lack,
    # so fall back to resolving fresh (the CLI's own version stays exact).
    cargo install wasm-bindgen-cli --version "$wbv" --locked \
      || cargo install wasm-bindgen-cli --version "$wbv"
  fi
  ensure_node_modules
}

# Debian's Chromium for the page tests (playwright-core drives it; nothing downloads a browser).
ensure_chromium() {
  # A Devanagari font too: the Hindi pages' screenshots are boxes without one.
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && fc-list :lang=hi 2>/dev/null | grep -q . && return
  say "installing Debian's chromium and fonts for the page tests (once; or set CHROMIUM_PATH)"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-color-emoji fonts-noto-core >/dev/null
}

# npm ci when package-lock.json changed since the last install (or nothing is installed).
ensure_node_modules() {
  local stamp="node_modules/.wavegate-lock.sha256" want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x node_modules/.bin/wrangler ]; then
    say "installing npm packages (Node 22, wrangler, wasm-opt, esbuild, Remnawave contract)"
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
}

# Generates the static site (four languages from the Fluent catalogs) into static-site/dist.
# Canonical and hreflang links are absolute when the site's origin is known: PUBLIC_BASE_URL
# and BOT_USERNAME from the environment or .dev.vars (scripts/deploy has them); else relative.
build_site() {
  say "generating the static site"
  local origin="${SITE_ORIGIN:-${PUBLIC_BASE_URL:-}}" bot="${BOT_USERNAME:-}"
  if [ -f "$ROOT/.dev.vars" ]; then
    [ -n "$origin" ] || origin=$(sed -n 's/^PUBLIC_BASE_URL=\(https:.*\)$/\1/p' "$ROOT/.dev.vars" | tail -1)
    [ -n "$bot" ] || bot=$(sed -n 's/^BOT_USERNAME=@\{0,1\}\([A-Za-z0-9_]*\)$/\1/p' "$ROOT/.dev.vars" | tail -1)
  fi
  SITE_ORIGIN="$origin" BOT_USERNAME="$bot" "$ROOT/node_modules/.bin/node" "$ROOT/scripts/site-build.mjs"
}

# `worker-build --release` of functions/ into OUT_DIR, with any extra arguments (features).
worker_build() {
  local out="$1"
  shift
  (
    cd functions
    WASM_BINDGEN_BIN="$(command -v wasm-bindgen)" \
    WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt" \
    ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild" \
      worker-build --release --out-dir "../$out" "$@"
  )
}

# Builds the site and the Worker into build/ (release, optimized with wasm-opt).
build_worker() {
  build_site
  say "building the Worker (release)"
  worker_build build
  # worker-build keeps the wasm's name section (function names): 260 KB, about 60 KiB
  # gzipped of the 500 KB budget. Workers log a panic's message either way; names only make
  # a stack trace readable, so they are dropped from what ships. `-Oz --converge` runs the
  # size passes until they stop paying: another ~3 KiB gzipped for ~20 s of build.
  shrink "$ROOT/build/index_bg.wasm"
  # The operator's Worker: the same crate with the `admin` feature (functions/src/admin).
  say "building the admin Worker (release)"
  worker_build build-admin . --features admin
  shrink "$ROOT/build-admin/index_bg.wasm"
}

# The fault tests' build of the main Worker (tests/faults.test.mjs): the `faults` feature
# adds injected D1 failures (functions/src/store/faults.rs). Never deployed: scripts/test checks
# the shipped bundle has none of it.
build_faults() {
  say "building the main Worker with injected faults (tests only)"
  worker_build build-faults . --features faults
}

shrink() {
  "$ROOT/node_modules/.bin/wasm-opt" "$1" -Oz --converge --strip-debug --strip-producers \
    --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory \
    --enable-multivalue --enable-reference-types --enable-exception-handling -o "$1"
}

# The gzipped size of the bundle the Worker ships (wasm + JS glue), in bytes.
bundle_gzip_bytes() {
  cat "${1:-build}/index_bg.wasm" "${1:-build}/index.js" | gzip -9 | wc -c
}
