#!/bin/sh
# Fetches the files of Swagger UI that `scholarflow serve` shows at /docs, from the npm
# registry (package swagger-ui-dist, Apache-2.0; its LICENSE and NOTICE are kept beside the
# files), into src/scholarflow/server/static/vendor/swagger-ui/, so that /docs needs no CDN.
# `make setup` runs it. The files are not committed (1.6 MB of minified code); the wheel
# takes them in as build artifacts (pyproject.toml).
#
# Idempotent: does nothing when the pinned version is in place. The tarball must match the
# hash pinned here, as well as the registry's own (npm checks that one), so a tarball
# re-published under the same version cannot slip in. Without npm it says what to install
# and exits 0; /docs then answers 503 naming this script.
set -eu

VERSION=5.35.0
INTEGRITY=sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==
FILES="swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/src/scholarflow/server/static/vendor/swagger-ui"

if [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$VERSION" ]; then
    echo "fetch-swagger-ui: swagger-ui-dist $VERSION is in place; nothing to do"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-swagger-ui: npm not found; install Node.js's npm and run $0 again" \
        "(until then /docs answers 503)"
    exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null)
TARBALL="$WORK/swagger-ui-dist-$VERSION.tgz"
ACTUAL=$(python3 -c 'import base64, hashlib, sys
data = open(sys.argv[1], "rb").read()
print("sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode())' "$TARBALL")
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "fetch-swagger-ui: swagger-ui-dist-$VERSION.tgz does not match the pinned hash" >&2
    exit 1
fi
tar -xzf "$TARBALL" -C "$WORK"

# Assembled beside the destination, then moved in whole: an interrupted run leaves the old
# files or none, never half of them.
rm -rf "$DEST.partial"
mkdir -p "$DEST.partial"
for name in $FILES; do
    cp "$WORK/package/$name" "$DEST.partial/$name"
done
echo "$VERSION" >"$DEST.partial/VERSION"
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
echo "fetch-swagger-ui: installed swagger-ui-dist $VERSION in $DEST"
