#!/usr/bin/env bash
# Everything `make test` runs: format, lints (server and browser builds), unit and integration
# tests, then the end-to-end journeys in Chromium against the freshly built site.
# E2E_ONLY=1 skips straight to the end-to-end suite (after building what it needs).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --browser

# One build per run: incremental caches would only double the disk the build needs.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

step() { log "$1"; shift; "$@"; }

if [ "${E2E_ONLY:-0}" != 1 ]; then
  step "cargo fmt --check" cargo fmt --all -- --check
  step "clippy (server build: ssr)" \
    cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
  step "clippy (browser build: hydrate, wasm32)" \
    cargo clippy --package=frontend --lib --target=wasm32-unknown-unknown \
    --target-dir="$FRONT_TARGET" -- -D warnings
  # The build tools (their own workspace, built by setup.sh into the cache).
  tools=(--manifest-path "$ROOT/tools/bindgen/Cargo.toml" --target-dir "$CACHE_DIR/bindgen-target")
  step "tools/bindgen: cargo fmt --check" cargo fmt --manifest-path "$ROOT/tools/bindgen/Cargo.toml" -- --check
  step "tools/bindgen: clippy" cargo clippy --release "${tools[@]}" --all-targets -- -D warnings
  step "tools/bindgen: tests" cargo test --release "${tools[@]}" --bin kubeorch-wasm-split
fi
# The tests build the debug server binary (target/debug/server) that the end-to-end suite runs,
# so the workspace is compiled once for the host, in one profile.
if [ "${E2E_ONLY:-0}" != 1 ]; then
  # The store contract runs against the embedded store and against a MongoDB-compatible server.
  source "$ROOT/scripts/mongo.sh"
  mongo_start
  export KUBEORCH_REQUIRE_MONGO=1
  # The single sign-on happy path runs against oidc-provider (npm, installed by setup.sh).
  export KUBEORCH_REQUIRE_OIDC=1
  # Image builds run against buildah and docker-registry (installed by setup.sh).
  export KUBEORCH_REQUIRE_BUILD_TOOLS=1
  step "cargo test" cargo test --workspace --exclude frontend
  step "external validator over the rendered fixtures" "$ROOT/scripts/validate-manifests.sh"
  mongo_stop
  unset MONGODB_URI
else
  step "cargo test --no-run" cargo test --workspace --exclude frontend --no-run
fi

"$ROOT/scripts/build-site.sh" --no-server
log "end-to-end (Playwright, Chromium)"
cd "$ROOT/end2end"
KUBEORCH_SERVER_BIN=./target/debug/server playwright test "$@"
