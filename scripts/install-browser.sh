#!/bin/sh
# Installs the browser the web-page tests drive (tests/test_web_page.py): Debian's Chromium at
# /usr/bin/chromium. Playwright's own browser download (`playwright install`) is not used.
#
# Idempotent: does nothing when /usr/bin/chromium exists. Installs only as root with apt-get;
# otherwise it says what to install and exits 0 (the tests then skip locally and fail in CI).
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $CHROMIUM is present; nothing to do"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y chromium
    if [ -x "$CHROMIUM" ]; then
        echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
        exit 0
    fi
    echo "install-browser: apt-get installed chromium but $CHROMIUM is missing" >&2
    exit 1
fi

echo "install-browser: $CHROMIUM not found; install Debian's 'chromium' package" \
    "(as root: apt-get install chromium) to run tests/test_web_page.py"
exit 0
