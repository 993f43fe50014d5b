#!/usr/bin/env bash
# Makes sure a PostgreSQL server (Debian's `postgresql` package) is installed, so the test fixtures can start a
# throw-away cluster on loopback. Prints `bin=<folder with initdb, pg_ctl, postgres>` on success and, when run as
# root, `user=<unprivileged account>` to run them as (initdb refuses to run as root).
# Exit 0: ready. Exit 3: not installed and this process may not install it (not root, no passwordless sudo),
# or KEFU_SKIP_POSTGRES=1.
set -euo pipefail

find_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 3
    fi
}

if [[ "${KEFU_SKIP_POSTGRES:-}" == 1 ]]; then
    echo "KEFU_SKIP_POSTGRES=1: PostgreSQL tests are switched off" >&2
    exit 3
fi

bin=$(find_bin || true)
if [[ -z "$bin" ]]; then
    if ! as_root true; then
        echo "PostgreSQL is not installed and this process cannot install it (needs root or passwordless sudo): apt-get install postgresql" >&2
        exit 3
    fi
    # The package would create and start a 'main' cluster; the tests make their own, so none is wanted.
    as_root mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql >&2
    bin=$(find_bin) || { echo "apt-get installed postgresql but no initdb was found under /usr/lib/postgresql" >&2; exit 1; }
fi
echo "bin=$bin"

if [[ $(id -u) -eq 0 ]]; then
    if ! id kefu-test >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin kefu-test
    fi
    echo "user=kefu-test"
fi
