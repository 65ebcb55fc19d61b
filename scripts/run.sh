#!/usr/bin/env bash
# `make run`: install what is missing, build the site and the release server, and serve on
# http://127.0.0.1:3000 (override with KUBEORCH_BIND) with the embedded store in ./data.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-site.sh" --server-profile release
log "starting KubeOrch on http://${KUBEORCH_BIND:-127.0.0.1:3000} (Ctrl-C stops it)"
exec "$ROOT/target/release/server" "$@"
