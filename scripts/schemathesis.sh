#!/usr/bin/env bash
# Fuzzes every operation of /api/v1/openapi.json with schemathesis, signed in as a demo county admin,
# against a real `honglian serve --demo` on a temporary data directory, and fails on any 5xx
# (and on a crash of the server). Bounded: about three minutes in all.
#
#   scripts/schemathesis.sh [path/to/honglian]     default: target/debug/honglian (built if missing)
#
# One worker: CPython 3.11 can fail "AST constructor recursion depth mismatch" when two threads parse
# at once (schemathesis reads hypothesis strategies' source), which schemathesis reports as an error.
#
# Installs its pinned schemathesis into a virtualenv under target/ (PyPI only).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin=${1:-$target/debug/honglian}
version=4.32.5
venv=$target/schemathesis-$version
max_time=${SCHEMATHESIS_MAX_TIME:-150}

if [ ! -x "$venv/bin/schemathesis" ]; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv"; then
    # Debian ships venv separately.
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv" && python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
[ -x "$bin" ] || cargo build --locked --bin honglian

work=$(mktemp -d)
# The fuzzer's own POST /session cases and the hook's sign-in every few seconds all come from one
# address: the per-client login limit (a security control with its own tests,
# platform::guard::rate_limits) would refuse the hook's sign-in mid-run and end the run in
# authentication errors. Lifted for this server only. Likewise the lockout: the fuzzer's POST /me/password
# cases give wrong current passwords, which count toward it (a signed-in session is no password oracle,
# platform::auth::a_session_is_no_password_oracle) and would lock the account mid-run.
mkdir -p "$work/data"
printf '[security]\nmax_failed_logins = 1000000\n\n[security.rate_limits]\nlogin_per_client = 0\n' >"$work/data/honglian.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
cleanup() { cd "$root"; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$base/openapi.json" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; echo "honglian serve exited" >&2; exit 1; }
  sleep 1
done

status=0
# From the temporary directory, so that schemathesis' cache (.schemathesis/) does not land in the repository.
cd "$work"
HONGLIAN_BASE=$base HONGLIAN_PASSWORD='Demo@2026!' PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=schemathesis_hooks \
  "$venv/bin/schemathesis" run "$base/openapi.json" --url "$base" \
  --checks not_a_server_error --phases examples,coverage,fuzzing \
  --max-time "$max_time" --max-examples 40 --workers 1 --seed 1 \
  --suppress-health-check all --warnings off --no-color || status=$?

if ! kill -0 "$pid" 2>/dev/null; then
  echo "honglian serve died during the run:" >&2
  tail -n 50 "$work/serve.log" >&2
  exit 1
fi
if grep -q "panicked" "$work/serve.log"; then
  echo "honglian serve panicked during the run:" >&2
  grep -B2 -A10 "panicked" "$work/serve.log" >"$work/panics.txt" || true
  head -n 60 "$work/panics.txt" >&2
  exit 1
fi
exit "$status"
