#!/usr/bin/env bash
# A local PostgreSQL for trying `kefu serve --database` (and several replicas) on one machine:
#   eng/postgres/dev-postgres.sh start   # prints the connection string to pass to --database
#   eng/postgres/dev-postgres.sh stop
#   eng/postgres/dev-postgres.sh status
# The cluster lives in $KEFU_PG_DIR (default ~/.kefu/postgres), listens on 127.0.0.1:$KEFU_PG_PORT (default 5433)
# with trust authentication for loopback only, and has a database named kefu. Not for production.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${KEFU_PG_DIR:-$HOME/.kefu/postgres}
port=${KEFU_PG_PORT:-5433}
action=${1:-start}

setup=$("$here/ensure-postgres.sh")
bin=$(sed -n 's/^bin=//p' <<<"$setup")
user=$(sed -n 's/^user=//p' <<<"$setup")

run() {
    if [[ -n "$user" ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

connection="Host=127.0.0.1;Port=$port;Database=kefu;Username=postgres"

case "$action" in
    start)
        if [[ ! -f "$dir/data/PG_VERSION" ]]; then
            mkdir -p "$dir"
            [[ -n "$user" ]] && chown -R "$user" "$dir"
            run "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        fi
        if ! run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
            run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
                -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
        fi
        if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'kefu'" | grep -q 1; then
            "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE kefu" >/dev/null
        fi
        echo "$connection"
        ;;
    stop)
        run "$bin/pg_ctl" -D "$dir/data" -m fast -w stop
        ;;
    status)
        run "$bin/pg_ctl" -D "$dir/data" status && echo "$connection"
        ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
