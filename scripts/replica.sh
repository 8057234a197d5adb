#!/usr/bin/env bash
# A PostgreSQL primary and a streaming replica of it, for the read-replica test (issue 21,
# `--read-database-url`). It makes two clusters of this machine's PostgreSQL, apart from the main
# one on 5432:
# - hlprimary on 127.0.0.1:5433;
# - hlreplica on 127.0.0.1:5434, made with pg_basebackup and streaming from hlprimary.
# Both use trust authentication on 127.0.0.1, as the main cluster does.
# The script is idempotent: it makes what is missing, starts what is down, waits until the replica
# streams, and prints the URLs on one line, as HONGLIAN_TEST_REPLICATION expects them.
set -euo pipefail
ver=$(ls /etc/postgresql | sort -n | tail -n1)
primary_port=5433
replica_port=5434
as_postgres() { runuser -u postgres -- "$@"; }
has_cluster() { pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$ver $1"; }
start() { pg_ctlcluster --skip-systemctl-redirect "$ver" "$1" start >&2 2>/dev/null || true; }

if ! has_cluster hlprimary; then
  pg_createcluster "$ver" hlprimary -p "$primary_port" -- --auth=trust >/dev/null
  cat >>"/etc/postgresql/$ver/hlprimary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 4
# Test databases come and go; this cluster's data does not need to survive a crash of the machine.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi
start hlprimary
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$primary_port" && break; sleep 1; done

if ! has_cluster hlreplica; then
  pg_createcluster "$ver" hlreplica -p "$replica_port" -- --auth=trust >/dev/null
  data=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "hlreplica" {print $6}')
  rm -rf "${data:?}"/*
  # -R writes primary_conninfo and standby.signal: the copy starts as a standby that streams.
  as_postgres pg_basebackup -h 127.0.0.1 -p "$primary_port" -U postgres -D "$data" -R -X stream -c fast
  cat >>"/etc/postgresql/$ver/hlreplica/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
hot_standby = on
# Long exports on the replica are not cancelled by the primary's vacuum.
hot_standby_feedback = on
fsync = off
EOF
fi
start hlreplica
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$replica_port" && break; sleep 1; done

# A test run that stopped half-way may have left the replay paused.
psql -h 127.0.0.1 -p "$replica_port" -U postgres -qAtc "SELECT pg_wal_replay_resume()" >/dev/null

# Streaming: the primary sees its WAL sender, the replica is in recovery.
for _ in $(seq 1 30); do
  n=$(psql -h 127.0.0.1 -p "$primary_port" -U postgres -Atc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null || echo 0)
  [ "$n" = 1 ] && break
  sleep 1
done
[ "$(psql -h 127.0.0.1 -p "$replica_port" -U postgres -Atc 'SELECT pg_is_in_recovery()')" = t ] || {
  echo "hlreplica is not a standby" >&2
  exit 1
}
[ "$n" = 1 ] || {
  echo "hlreplica does not stream from hlprimary" >&2
  exit 1
}
echo "postgres://postgres@127.0.0.1:$primary_port postgres://postgres@127.0.0.1:$replica_port"
