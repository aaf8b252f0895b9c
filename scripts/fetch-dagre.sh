#!/bin/sh
# Fetches dagre, the graph layout library the web page draws the workflow with, from the npm
# registry (package @dagrejs/dagre, MIT; its LICENSE is kept beside the file), into
# src/scholarflow/server/static/vendor/dagre/, so that the page needs no CDN. `make setup`
# runs it. The file is not committed (49 KB of minified code, graphlib included); the wheel
# takes it in as a build artifact (pyproject.toml).
#
# Idempotent: does nothing when the pinned version is in place. The tarball must match the
# hash pinned here, as well as the registry's own (npm checks that one). Without npm it says
# what to install and exits 0; the page then lays the graph out with its own simple columns.
set -eu

VERSION=3.1.3
INTEGRITY=sha512-X4aUTwOReZvthaZWOVHqlJ52/ZdhZFEM4+Lh/uR4XooUSLE6p71bcy7MPGzYnNUcNh+nj+i/qJQpCMIdQnSmrg==
FILES="dist/dagre.min.js LICENSE"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/src/scholarflow/server/static/vendor/dagre"

if [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$VERSION" ]; then
    echo "fetch-dagre: @dagrejs/dagre $VERSION is in place; nothing to do"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-dagre: npm not found; install Node.js's npm and run $0 again" \
        "(until then the page lays the workflow out in plain columns)"
    exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "@dagrejs/dagre@$VERSION" >/dev/null)
TARBALL="$WORK/dagrejs-dagre-$VERSION.tgz"
ACTUAL=$(python3 -c 'import base64, hashlib, sys
data = open(sys.argv[1], "rb").read()
print("sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode())' "$TARBALL")
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "fetch-dagre: dagrejs-dagre-$VERSION.tgz does not match the pinned hash" >&2
    exit 1
fi
tar -xzf "$TARBALL" -C "$WORK"

# Assembled beside the destination, then moved in whole: an interrupted run leaves the old
# files or none, never half of them.
rm -rf "$DEST.partial"
mkdir -p "$DEST.partial"
for name in $FILES; do
    cp "$WORK/package/$name" "$DEST.partial/$(basename "$name")"
done
echo "$VERSION" >"$DEST.partial/VERSION"
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
echo "fetch-dagre: installed @dagrejs/dagre $VERSION in $DEST"
