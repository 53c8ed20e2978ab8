#!/usr/bin/env bash
# The whole test suite, from a fresh machine: Debian packages, the virtualenv, lint, then
# pytest on SQLite and on a throwaway PostgreSQL cluster that this script starts and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

need_debs=()
command -v chromium >/dev/null 2>&1 || need_debs+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_debs+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || need_debs+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_debs+=(postgresql-15)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_debs+=(fonts-noto-cjk)
if [ ${#need_debs[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_debs[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_debs[@]}" >/dev/null
fi

echo "== python environment"
make -s install-test
BIN=$ROOT/.venv/bin
"$BIN/ttdn" compilemessages >/dev/null

echo "== lint"
"$BIN/ruff" check src tests bench
"$BIN/mypy"
"$BIN/lint-imports"   # the architecture: pipeline framework-free, layers, no cycles

WORK=$(mktemp -d /tmp/ttdn-test.XXXXXX)
PGBIN=/usr/lib/postgresql/15/bin
PGDATA=$WORK/pg
PGPORT=${TTDN_TEST_PGPORT:-55432}
RUN_AS=()
cleanup() {
  if [ -f "$PGDATA/postmaster.pid" ]; then
    "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export TTDN_SHARED_DATA=${TTDN_SHARED_DATA:-$ROOT/../shared/data}

echo "== pytest on SQLite"
TTDN_DATA_DIR=$WORK/sqlite "$BIN/pytest" -q -p no:cacheprovider "$@"

echo "== starting a throwaway PostgreSQL on 127.0.0.1:$PGPORT"
mkdir -p "$PGDATA"
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: run the cluster as the unprivileged postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown -R postgres "$WORK"
  chmod 755 "$WORK"
  RUN_AS=(runuser -u postgres --)
fi
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U ttdn --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -w -l "$WORK/pg.log" \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U ttdn ttdn

echo "== pytest on PostgreSQL (the database-backed tests; the pure pipeline ran above)"
TTDN_DATA_DIR=$WORK/postgres TTDN_DATABASE_URL="postgresql://ttdn@127.0.0.1:$PGPORT/ttdn" \
  "$BIN/pytest" -q -p no:cacheprovider -m "not eval" --ignore=tests/pipeline \
  --ignore=tests/integration "$@"
echo "== all test runs passed"
