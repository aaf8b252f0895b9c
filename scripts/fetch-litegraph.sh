#!/bin/sh
# Fetches litegraph, the graph library ComfyUI's node editor is built on, from the npm
# registry (package @comfyorg/litegraph, MIT; its LICENSE is kept beside the file), into
# tests/vendor/litegraph/. tests/test_comfyui_export.py loads every `--format comfyui` file
# into it in headless Chromium, to prove ComfyUI's editor keeps every node and link.
# `make test` runs it. The files are not committed (400 kB of minified code) and are never
# shipped: only the tests use them.
#
# Idempotent: does nothing when the pinned version is in place. The tarball must match the
# hash pinned here, as well as the registry's own (npm checks that one), so a tarball
# re-published under the same version cannot slip in. Without npm it says what to install
# and exits 0; the test then skips on a developer's machine and fails when CI=true.
set -eu

VERSION=0.17.2
INTEGRITY=sha512-6O+PSu80Tycj4NkYyLv/r7tS5V1JDVnSZLUglXCwDTPDJbjqyyNWjSUuLTFpvNOMuK+iPYMmuOWazBcYx/Rd6w==
FILES="dist/litegraph.umd.js LICENSE"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/tests/vendor/litegraph"

if [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$VERSION" ]; then
    echo "fetch-litegraph: @comfyorg/litegraph $VERSION is in place; nothing to do"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-litegraph: npm not found; install Node.js's npm and run $0 again" \
        "(until then tests/test_comfyui_export.py cannot load files in litegraph)"
    exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "@comfyorg/litegraph@$VERSION" >/dev/null)
TARBALL="$WORK/comfyorg-litegraph-$VERSION.tgz"
ACTUAL=$(python3 -c 'import base64, hashlib, sys
data = open(sys.argv[1], "rb").read()
print("sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode())' "$TARBALL")
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "fetch-litegraph: comfyorg-litegraph-$VERSION.tgz does not match the pinned hash" >&2
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
echo "fetch-litegraph: installed @comfyorg/litegraph $VERSION in $DEST"
