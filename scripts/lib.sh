# shellcheck shell=bash
# Common settings for the build scripts: paths, the one Rust toolchain used for the whole
# workspace, and small helpers. Sourced, never run.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUTPUT_NAME=kubeorch
SITE_ROOT="$ROOT/target/site"
PKG_DIR="$SITE_ROOT/pkg"
FRONT_TARGET="$ROOT/target/front"
# Tools built or downloaded once per machine live outside the clone, so fresh clones reuse them.
CACHE_DIR=${KUBEORCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeorch-rs}
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$ROOT/Cargo.toml")
# lld-22: the LLVM rustc-web is built with; wasm-ld 16 writes relocations kubeorch-wasm-split cannot read.
DEBIAN_RUST_PACKAGES=(rustc-web cargo-web rust-web-src lld-22 rust-web-clippy rustfmt-web)
WASM_SYSROOT=/usr/lib/rustlib/wasm32-unknown-unknown

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# True when the first rustc on PATH already has a wasm32 standard library.
active_rustc_has_wasm() {
  local sysroot
  sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
  compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null
}

# Chooses the toolchain once per shell: the active one when it can build wasm32 (a developer's
# machine with `rustup target add wasm32-unknown-unknown`), otherwise Debian's rustc-web with a
# wasm32 sysroot built from source (toolchain.md §1). One compiler builds the whole workspace.
if [ -z "${KUBEORCH_TOOLCHAIN:-}" ]; then
  if [ "$(rustc --print sysroot 2>/dev/null)" != /usr ] && active_rustc_has_wasm; then
    KUBEORCH_TOOLCHAIN=active
  else
    KUBEORCH_TOOLCHAIN=debian
  fi
  export KUBEORCH_TOOLCHAIN
fi
if [ "$KUBEORCH_TOOLCHAIN" = debian ]; then
  case ":$PATH:" in /usr/bin:*) ;; *) PATH="/usr/bin:$PATH" ;; esac
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22
fi
# RUSTFLAGS (or its encoded form) replaces every `rustflags` of .cargo/config.toml, and the build
# needs those: `--cfg erase_components` on both sides of hydration, relocations for the code
# splitter. A value left in a developer's shell would break the bundle, so it is set aside here.
for var in RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS; do
  if [ -n "${!var:-}" ]; then
    log "ignoring $var=${!var}: it would replace the flags in .cargo/config.toml the build needs"
    unset "$var"
  fi
done
# npm's binaryen (wasm-opt) and the cached wasm-bindgen come first.
PATH="$ROOT/end2end/node_modules/.bin:$CACHE_DIR/bin:$PATH"
export PATH
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-$(nproc)}

# Prints "SIZE bytes (GZIP gzip)" for a file: GZIP is FILE.gz's size (what the server sends) when
# it exists, else gzip -9's.
size_of() {
  local gz
  if [ -f "$1.gz" ]; then gz=$(stat -c %s "$1.gz"); else gz=$(gzip -9 -c "$1" | wc -c); fi
  printf '%s bytes (%s gzip)' "$(stat -c %s "$1")" "$gz"
}
