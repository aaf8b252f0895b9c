#!/bin/sh
# Installs the PostgreSQL server the catalog tests start (tests/pg_servers.py): Debian's
# `postgresql` package, whose initdb/pg_ctl live under /usr/lib/postgresql/<major>/bin. No
# cluster is created and no system service is used: the tests run their own throwaway server
# under a temporary directory, on a loopback port, as the `postgres` user, and stop it.
#
# Idempotent: does nothing when an initdb is present. Installs only as root with apt-get;
# otherwise it says what to install and exits 0 (the tests then skip locally and fail in CI).
set -eu

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "install-postgres: $(ls /usr/lib/postgresql/*/bin/initdb | tail -n 1) is present; nothing to do"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # The package's post-install may try to start a cluster; without a service manager that
    # fails harmlessly, and the tests never use it.
    apt-get install -y postgresql
    if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        echo "install-postgres: installed $(ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)"
        exit 0
    fi
    echo "install-postgres: apt-get installed postgresql but no initdb was found" >&2
    exit 1
fi

echo "install-postgres: no PostgreSQL server found; install Debian's 'postgresql' package" \
    "(as root: apt-get install postgresql) to run the PostgreSQL catalog tests"
exit 0
