#!/usr/bin/env bash
# Builds the site without cargo-leptos (toolchain.md §3b): the WASM bundle (wasm-release profile),
# wasm-bindgen, wasm-opt, CSS and static assets into target/site, and optionally the server.
#   scripts/build-site.sh                      bundle + release server (what `make run` serves)
#   scripts/build-site.sh --server-profile dev bundle + debug server
#   scripts/build-site.sh --no-server          bundle only
# SKIP_WASM_OPT=1 skips wasm-opt and the JavaScript minifier (a bigger but working bundle).
source "$(dirname "$0")/lib.sh"

server_profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --server-profile) server_profile=${2:?--server-profile needs dev or release}; shift ;;
    --no-server) server_profile=none ;;
    *) die "unknown option $1" ;;
  esac
  shift
done

cd "$ROOT"
# The bundle's standard library is compiled with it (cargo -Zbuild-std, allowed on this stable
# compiler by RUSTC_BOOTSTRAP for this one command): at the bundle's opt-level, with std's
# `optimize_for_size` algorithms, and with panics that stop at once without formatting a message
# (-Cpanic=immediate-abort), no source locations (-Zlocation-detail=none) and derived `Debug`
# printing only type and variant names (-Zfmt-debug=shallow; the browser code formats only unit
# enums with `Debug`).
# That is 50 kB gzip less on the editor's first load (docs/benchmarks.md). A panic then shows as
# "unreachable executed" in the console; KUBEORCH_WASM_PANIC_MESSAGES=1 builds with panic
# messages (and the console hook that prints them), locations and full `Debug`, for debugging.
wasm_build=(cargo build --package=frontend --lib --target-dir="$FRONT_TARGET"
  --target=wasm32-unknown-unknown --no-default-features --profile=wasm-release)
std_src="$(rustc --print sysroot)/lib/rustlib/src/rust/library"
if [ -f "$std_src/Cargo.lock" ]; then
  size_flags='"-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none", "-Zfmt-debug=shallow"'
  [ "${KUBEORCH_WASM_PANIC_MESSAGES:-0}" = 1 ] && size_flags=''
  log "building the browser bundle (wasm32, wasm-release, std built for size)"
  RUSTC_BOOTSTRAP=1 "${wasm_build[@]}" -Zbuild-std=std,panic_abort \
    -Zbuild-std-features=optimize_for_size --config "target.wasm32-unknown-unknown.rustflags = [$size_flags]"
else
  log "building the browser bundle (wasm32, wasm-release; no std source in $(rustc --print sysroot): prebuilt std)"
  "${wasm_build[@]}"
fi
raw="$FRONT_TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"

# Split, wasm-bindgen and wasm-opt take ~30 s: skip them when the compiled module did not change.
# The module is first cut at its `#[lazy_route]` / `#[lazy]` points (kubeorch-wasm-split): the main
# module goes through wasm-bindgen, the chunks (loaded by pkg/__wasm_split.*.js when a page needs
# them) only through wasm-opt. Then the chunks are packed: one file per split point holding every
# chunk it needs (a page downloads its route's pack instead of hundreds of chunks), the loader is
# rewritten to fetch through the packs and the manifest lists each route's pack for preloading.
# The stamp names the module, the tools' sources (kubeorch-wasm-split's packs, order and loader)
# and this script's steps (bump `steps=` when they change).
stamp="$(sha256sum "$raw" | cut -d' ' -f1) tools=$(cat "$CACHE_DIR/bin/.bindgen-sources" 2>/dev/null) opt=${SKIP_WASM_OPT:-0} steps=18"
if [ "$(cat "$PKG_DIR/.source" 2>/dev/null)" != "$stamp" ] || [ ! -f "$PKG_DIR/$OUTPUT_NAME.wasm" ]; then
  rm -rf "$PKG_DIR" && mkdir -p "$PKG_DIR"
  main="$FRONT_TARGET/wasm32-unknown-unknown/wasm-release/frontend_split.wasm"
  log "splitting the bundle into lazily loaded chunks"
  kubeorch-wasm-split "$raw" "$main" "$PKG_DIR" "/pkg/$OUTPUT_NAME.js" >"$PKG_DIR/.chunks"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --out-name "$OUTPUT_NAME" \
    --out-dir "$PKG_DIR" "$main"
  mv "$PKG_DIR/${OUTPUT_NAME}_bg.wasm" "$PKG_DIR/$OUTPUT_NAME.wasm"
  # (An assignment, not `log "$(...)"`, so that a failing step stops the build.)
  out=$(kubeorch-wasm-split strip-classes "$PKG_DIR/$OUTPUT_NAME.wasm" "$PKG_DIR/$OUTPUT_NAME.js")
  log "JavaScript classes nothing can create, left out: $out"
  out=$(kubeorch-wasm-split shorten-imports "$PKG_DIR/$OUTPUT_NAME.wasm" "$PKG_DIR/$OUTPUT_NAME.js")
  log "short names for the module's JavaScript imports: $out"
  if [ "${SKIP_WASM_OPT:-0}" != 1 ]; then
    log "optimising the bundle (wasm-opt -Oz: the main module and $(wc -l <"$PKG_DIR/.chunks") chunks)"
    node "$ROOT/scripts/wasm-opt-all.mjs" "$PKG_DIR"/*.wasm 2> >(grep -v 'unknown name subsection' >&2)
    log "ordering each module's functions for compression (similar ones side by side)"
    kubeorch-wasm-split reorder "$PKG_DIR"/*.wasm
  fi
  out=$(kubeorch-wasm-split pack "$PKG_DIR")
  log "packing the chunks: $out"
  if [ "${SKIP_WASM_OPT:-0}" != 1 ]; then
    log "minifying the JavaScript (terser)"
    node "$ROOT/scripts/minify.mjs" "$PKG_DIR"/*.js
  fi
  # The server sends FILE.gz (Content-Encoding: gzip) to browsers that accept it, when it exists.
  # What a page loads first (the shell and each route's pack) is compressed with zopfli instead
  # (the same gzip format, ~5 % smaller than gzip -9, ~20 s here); parts opened later, gzip -9.
  gzip -9 -n -k "$PKG_DIR"/*.wasm "$PKG_DIR"/*.js
  log "compressing the shell and the routes' packs (zopfli)"
  printf '%s\0' "$PKG_DIR/$OUTPUT_NAME.wasm" "$PKG_DIR/$OUTPUT_NAME.js" "$PKG_DIR"/__wasm_split.*.js \
    "$PKG_DIR"/pack___*.wasm | xargs -0 -n 1 -P "$(nproc)" zopfli --gzip --i5
  echo "$stamp" >"$PKG_DIR/.source"
fi
# main.css with its `@import "x.css";` lines replaced by the files (cargo-leptos bundles the same way).
awk '/^@import "[^"]+";$/ { f = $2; gsub(/[";]/, "", f); while ((getline line < ("style/" f)) > 0) print line; close("style/" f); next } { print }' \
  style/main.css >"$PKG_DIR/$OUTPUT_NAME.css"
node "$ROOT/scripts/minify.mjs" "$PKG_DIR/$OUTPUT_NAME.css"
zopfli --gzip --i5 "$PKG_DIR/$OUTPUT_NAME.css"
cp -r public/. "$SITE_ROOT/"
log "wasm: $(size_of "$PKG_DIR/$OUTPUT_NAME.wasm") + $(wc -l <"$PKG_DIR/.chunks") lazily loaded chunks (in packs); js: $(size_of "$PKG_DIR/$OUTPUT_NAME.js"); css: $(size_of "$PKG_DIR/$OUTPUT_NAME.css")"

case "$server_profile" in
  none) ;;
  release) log "building the server (release)"; cargo build --package=server --bin=server --release ;;
  dev) log "building the server (debug)"; cargo build --package=server --bin=server ;;
  *) die "--server-profile must be dev or release" ;;
esac
