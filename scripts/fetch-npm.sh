#!/bin/sh
# Fetches files of one npm package, at a pinned version and hash, into a folder of the
# project: the one way the vendored browser libraries get here (fetch-swagger-ui.sh,
# fetch-dagre.sh, fetch-litegraph.sh call it with their own pins).
#
#   sh scripts/fetch-npm.sh LABEL PACKAGE VERSION INTEGRITY DEST WITHOUT_NPM FILE...
#
# DEST is relative to the project's root; FILE paths are inside the package and land in DEST
# by their base name, with a VERSION file beside them. Idempotent: does nothing when VERSION
# is in place. The tarball must match INTEGRITY (sha512, npm's format) as well as the
# registry's own hash (npm checks that one), so a tarball re-published under the same version
# cannot slip in. Without npm it prints WITHOUT_NPM (what works meanwhile) and exits 0.
set -eu

LABEL=$1 PACKAGE=$2 VERSION=$3 INTEGRITY=$4 DEST_REL=$5 WITHOUT_NPM=$6
shift 6

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/$DEST_REL"

if [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$VERSION" ]; then
    echo "$LABEL: $PACKAGE $VERSION is in place; nothing to do"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "$LABEL: npm not found; install Node.js's npm and run it again ($WITHOUT_NPM)"
    exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
# npm names the tarball after the package: "@scope/name" becomes "scope-name".
TARBALL="$WORK/$(echo "$PACKAGE" | sed 's|^@||; s|/|-|')-$VERSION.tgz"
ACTUAL=$(python3 -c 'import base64, hashlib, sys
data = open(sys.argv[1], "rb").read()
print("sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode())' "$TARBALL")
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "$LABEL: $(basename "$TARBALL") does not match the pinned hash" >&2
    exit 1
fi
tar -xzf "$TARBALL" -C "$WORK"

# Assembled beside the destination, then moved in whole: an interrupted run leaves the old
# files or none, never half of them.
rm -rf "$DEST.partial"
mkdir -p "$DEST.partial"
for name in "$@"; do
    cp "$WORK/package/$name" "$DEST.partial/$(basename "$name")"
done
echo "$VERSION" >"$DEST.partial/VERSION"
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
echo "$LABEL: installed $PACKAGE $VERSION in $DEST"
