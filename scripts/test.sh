#!/usr/bin/env bash
# Runs every check and test of Honglian: formatting, clippy, web type check,
# Vitest, Rust unit and API tests on SQLite and PostgreSQL, a schemathesis run over
# every API operation, and the end-to-end run in Chromium. Installs what it needs
# and starts PostgreSQL if it is down.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "PostgreSQL on 127.0.0.1:5432"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

step "Chromium for the end-to-end tests"
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
chromium --version

step "cargo-nextest"
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --locked
fi

step "Web: install, generated API types up to date, unit tests, build"
(cd web && npm ci --no-audit --no-fund && npm run check:api && npm test && npm run build)

step "Rust: format and clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "A real SMTP server for the notification tests (aiosmtpd, PyPI)"
# (it makes its throwaway CA and certificate with the openssl command)
if ! command -v openssl >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq openssl >/dev/null
fi
# A virtualenv DIR with the PyPI requirement REQ, made unless its python already imports MODULE.
python_venv() {
  local dir=$1 module=$2 req=$3
  if ! "$dir/bin/python" -c "import $module" 2>/dev/null; then
    rm -rf "$dir"
    if ! python3 -m venv "$dir"; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$dir" && python3 -m venv "$dir"
    fi
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$req"
  fi
}
smtp_venv="${CARGO_TARGET_DIR:-$root/target}/smtp-venv"
python_venv "$smtp_venv" aiosmtpd "aiosmtpd==1.4.6"
export HONGLIAN_TEST_SMTPD_PYTHON="$smtp_venv/bin/python"

step "An S3-compatible server for the file store test (moto's server, PyPI: an emulator, not a production store)"
s3_venv="${CARGO_TARGET_DIR:-$root/target}/s3-venv"
python_venv "$s3_venv" moto.server "moto[server]==5.1.22"
export HONGLIAN_TEST_S3_PYTHON="$s3_venv/bin/python"

step "A PostgreSQL primary and a streaming replica for the read-replica test (127.0.0.1:5433 and 5434)"
HONGLIAN_TEST_REPLICATION=$(scripts/replica.sh)
export HONGLIAN_TEST_REPLICATION
echo "$HONGLIAN_TEST_REPLICATION"

# What API tests leave: each test's own directory and database go when it ends (helpers.rs, `TestApp`);
# those that restart a server on one directory, the demo templates and a run that was killed leave theirs.
# A full run would otherwise leave some 20 GB, and the disk of this machine is the next run's too.
sweep_test_leftovers() {
  rm -rf "${TMPDIR:-/tmp}"/hl_* 2>/dev/null || true
  # The main cluster, and the replica test's primary (its drops reach the replica through the log).
  for port in 5432 5433; do
    psql -h 127.0.0.1 -p $port -U postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'hl\_%'" 2>/dev/null |
      while read -r db; do
        psql -h 127.0.0.1 -p $port -U postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
      done
  done
}

step "Rust: unit and API tests (SQLite and PostgreSQL)"
sweep_test_leftovers
trap sweep_test_leftovers EXIT
cargo nextest run --workspace --locked --no-fail-fast
# The store's doc tests (nextest does not run them): an unscoped by-id load and a home-made Unscoped proof
# must fail to compile.
cargo test --locked -p honglian-store --doc

step "Fuzzing every API operation with schemathesis (fails on any 5xx)"
cargo build --locked --bin honglian
scripts/schemathesis.sh "${CARGO_TARGET_DIR:-$root/target}/debug/honglian"

step "End-to-end in Chromium against a real honglian"
(cd web && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:activities && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:goals && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:portal && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:import && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:services && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:needs \
  && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:bulletins && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:greetings \
  && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:hometown && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:care \
  && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:honours && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:dues && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:recruitment && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:transfers \
  && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:second_factor \
  && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:privacy \
  && HONGLIAN_BIN="$root/target/debug/honglian" npm run e2e:labels)
