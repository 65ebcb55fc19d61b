#!/usr/bin/env bash
# Validates every rendered fixture (the reviewed snapshots in app/tests/snapshots, which the
# golden tests prove equal to the renderer's output) with the external validator
# `kubernetes-validate` (PyPI; bundles the Kubernetes JSON schemas), strict mode, for the API
# version k8s-openapi is built for. The venv is created once (~15 s, ~145 MB) and reused.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

VALIDATOR_VERSION=1.37.0 # bundles schemas for Kubernetes 1.18 … 1.37
KUBERNETES_VERSION=1.35.0 # = the k8s-openapi feature v1_35 in Cargo.toml
VENV="$ROOT/.venv-validate"

if [ "$("$VENV/bin/kubernetes-validate" --version 2>/dev/null)" != "$VALIDATOR_VERSION" ]; then
  log "installing kubernetes-validate $VALIDATOR_VERSION into .venv-validate"
  command -v python3 >/dev/null || die "python3 is needed for the manifest validator"
  python3 -m venv "$VENV" || { as_root apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$VALIDATOR_VERSION"
fi

files=("$ROOT"/app/tests/snapshots/*.yaml)
log "kubernetes-validate --strict (Kubernetes $KUBERNETES_VERSION): ${#files[@]} rendered fixtures"
# Custom resources (CRDs) have no bundled schema: that warning is expected (hidden); errors fail.
"$VENV/bin/kubernetes-validate" --strict --quiet --no-warn -k "$KUBERNETES_VERSION" "${files[@]}"
