#!/usr/bin/env bash
# `make bench`: performance figures (never pass/fail timing in tests). Writes target/bench/*.md;
# docs/benchmarks.md records the figures with the machine they were measured on.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-site.sh"
mkdir -p target/bench
out=target/bench/bundle.md
# What the browser fetches to open a page: the main module, JS glue, CSS and split loader, plus
# what the split manifest lists for the page's lazy route (its pack: every chunk it needs in one
# file), each file as the server sends it (FILE.gz: zopfli for these, scripts/build-site.sh), and
# gzip -9 of the same files for comparison.
served() { stat -c %s "$1.gz"; }
gz9() { gzip -9 -n -c "$1" | wc -c; }
route_files() { # $1: route view name in the manifest, e.g. editor_route_view
  python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
keys = [k for k in m if k.startswith("__" + sys.argv[2] + "_")]
assert len(keys) == 1, (sys.argv[2], keys)
print("\n".join(m[keys[0]]))' "$PKG_DIR/__wasm_split_manifest.json" "$1"
}
{
  echo "# Browser bundle ($(date -u +%F))"
  echo
  echo "| file | raw bytes | sent (gzip) bytes | gzip -9 bytes |"
  echo "| --- | ---: | ---: | ---: |"
  shell=0 shell9=0 shell_files=0
  for f in "$PKG_DIR/$OUTPUT_NAME.wasm" "$PKG_DIR/$OUTPUT_NAME.js" "$PKG_DIR/$OUTPUT_NAME.css" \
    "$PKG_DIR"/__wasm_split.*.js; do
    shell=$((shell + $(served "$f"))) shell9=$((shell9 + $(gz9 "$f"))) shell_files=$((shell_files + 1))
    echo "| $(basename "$f") | $(stat -c %s "$f") | $(served "$f") | $(gz9 "$f") |"
  done
  echo
  echo "| page (route) | requests (shell + route) | route sent bytes | **first load sent (gzip) bytes** | first load gzip -9 bytes |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  for route in editor login workflows compare; do
    route_gz=0 route9=0 n=0
    for stem in $(route_files "${route}_route_view"); do
      route_gz=$((route_gz + $(served "$PKG_DIR/$stem.wasm")))
      route9=$((route9 + $(gz9 "$PKG_DIR/$stem.wasm"))) n=$((n + 1))
    done
    echo "| $route | $shell_files + $n | $route_gz | **$((shell + route_gz))** | $((shell9 + route9)) |"
    if [ "$route" = editor ]; then editor=$((shell + route_gz)); fi
  done
  echo
  echo "Editor route first load (wasm + js + css + packs, gzip as sent): $editor bytes (budget: 350 kB)."
} >"$out"
cat "$out"

# Sandbox API server: SSA applies and watch fan-out (1,000 objects x 100 watchers), release build.
log "sandbox API server: 1,000 objects applied twice, 100 watchers"
cargo build -q --release -p sandbox --example fan_out_bench
out=target/bench/sandbox.md
{
  echo "# Sandbox API server fan-out ($(date -u +%F))"
  echo
  target/release/examples/fan_out_bench 1000 100
} >"$out"
cat "$out"

# Rendering 1,000 nodes (release build; budget: well under 100 ms).
render_out=target/bench/render.md
{
  echo "# Rendering ($(date -u +%F))"
  echo
  cargo run -q --release -p app --features render --example render_bench
} >"$render_out"
cat "$render_out"

# Import: Compose conversion of generated 20- and 100-service files (budgets: < 5 ms, < 50 ms),
# then a time-boxed fuzz run of both importers on mutated fixtures (IMPORT_FUZZ_SECS, default 60;
# any panic fails `make bench`).
import_out=target/bench/import.md
{
  echo "# Import ($(date -u +%F))"
  echo
  cargo run -q --release -p app --features import --example import_bench -- "${IMPORT_FUZZ_SECS:-60}"
} >"$import_out"
cat "$import_out"

# Deploy of a 100-node workflow into the stand-in API server with 5 ms injected latency per
# request, and SSE fan-out at 1,000 and 10,000 subscribers (release builds).
log "deploy: 100 nodes, 5 ms per API request"
cargo build -q --release -p server --example deploy_bench --example sse_bench
out=target/bench/deploy.md
{
  echo "# Deploy and live events ($(date -u +%F))"
  echo
  target/release/examples/deploy_bench 5
  echo
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  target/release/examples/sse_bench 1000 20
  target/release/examples/sse_bench 10000 20 | tail -n 1
} >"$out"
cat "$out"

# Canvas: the editor and a React Flow page (npm registry) with the same generated workflows of
# 200, 500 and 2,000 nodes, in the same headless Chromium (end2end/bench/canvas.bench.ts).
log "canvas: KubeOrch-rs vs React Flow (200, 500, 2,000 nodes)"
(
  cd bench/canvas
  [ -x node_modules/.bin/esbuild ] && [ -d node_modules/@xyflow/react ] || npm ci --no-audit --no-fund
  npm run -s build
)
(
  cd end2end
  E2E_PORT="${BENCH_PORT:-3190}" KUBEORCH_SERVER_BIN=./target/release/server \
    npx playwright test -c bench.config.ts
)
cat target/bench/canvas.md
