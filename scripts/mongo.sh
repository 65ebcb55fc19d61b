# shellcheck shell=bash
# A MongoDB-compatible server for the store contract tests: SecantusDB from PyPI (pinned; see
# shared docs test-servers.md §A), in a venv at .venv-mongo/, in memory, on a free port.
# Sourced by scripts/test.sh after lib.sh:
#   mongo_start   installs if needed (~10 s once, then instant), starts the server, exports
#                 MONGODB_URI, and stops the server when the calling shell exits.
SECANTUS_PIN='secantusdb==0.7.0b3'
MONGO_VENV="$ROOT/.venv-mongo"

mongo_install() {
  if [ -x "$MONGO_VENV/bin/secantusd-py" ] &&
    [ "$(cat "$MONGO_VENV/.pin" 2>/dev/null)" = "$SECANTUS_PIN" ]; then
    return
  fi
  log "installing $SECANTUS_PIN into .venv-mongo/ (MongoDB-compatible test server)"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$MONGO_VENV"
  python3 -m venv "$MONGO_VENV"
  "$MONGO_VENV/bin/pip" install --quiet --disable-pip-version-check "$SECANTUS_PIN"
  echo "$SECANTUS_PIN" >"$MONGO_VENV/.pin"
}

mongo_start() {
  mongo_install
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$ROOT/target"
  "$MONGO_VENV/bin/secantusd-py" --host 127.0.0.1 --port "$port" --storage-path :memory: \
    --log-level WARNING >"$ROOT/target/mongo-test.log" 2>&1 &
  MONGO_PID=$!
  trap 'mongo_stop' EXIT
  local i
  for i in $(seq 1 150); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$MONGO_PID" 2>/dev/null || die "SecantusDB did not start: see target/mongo-test.log"
    sleep 0.1
  done
  export MONGODB_URI="mongodb://127.0.0.1:$port/?directConnection=true"
  log "SecantusDB on 127.0.0.1:$port (pid $MONGO_PID)"
}

mongo_stop() {
  if [ -n "${MONGO_PID:-}" ] && kill -0 "$MONGO_PID" 2>/dev/null; then
    kill "$MONGO_PID" 2>/dev/null || true
  fi
}
