#!/usr/bin/env bash
# Runs the whole test suite against SQLite and PostgreSQL, with the browser
# checks of the documentation pages.
#
# Debian's chromium and chromium-driver packages are installed if missing (as
# root); the browser tests drive them headless on 127.0.0.1. SQLite needs nothing. For PostgreSQL the script installs Debian's server
# package if it is missing (as root), starts a throwaway cluster owned by the
# postgres user on 127.0.0.1, points the tests at it through
# REYNARD_TEST_POSTGRES_URL, and removes it on exit. Set
# REYNARD_TEST_POSTGRES_URL yourself to use a server you already run.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${REYNARD_TEST_PG_PORT:-55432}"
pg_bin=""
pgdata=""

start_postgres() {
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        echo "installing PostgreSQL from Debian's packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

    pgdata="$(mktemp -d /tmp/reynard-pg.XXXXXX)"
    chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    trap stop_postgres EXIT

    # The postgres user may not be able to read the current directory.
    su postgres -c "cd / && $pg_bin/initdb -D $pgdata -A trust -U postgres --no-sync" >/dev/null
    su postgres -c "cd / && $pg_bin/pg_ctl -D $pgdata -l $pgdata/server.log -w start \
        -o \"-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\"" >/dev/null
    export REYNARD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port"
}

stop_postgres() {
    su postgres -c "cd / && $pg_bin/pg_ctl -D $pgdata stop -m immediate" >/dev/null 2>&1 || true
    rm -rf "$pgdata"
}

install_browser() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        echo "installing Chromium and ChromeDriver from Debian's packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
}

install_browser
# The tests leave their SQLite files here; clear the previous run's.
rm -rf "${TMPDIR:-/tmp}/reynard-tests"
if [ -z "${REYNARD_TEST_POSTGRES_URL:-}" ]; then
    start_postgres
fi
export REYNARD_REQUIRE_POSTGRES=1
export REYNARD_REQUIRE_BROWSER=1

cargo test --workspace --all-targets
