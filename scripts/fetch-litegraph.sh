#!/bin/sh
# Fetches litegraph, the graph library ComfyUI's node editor is built on, from the npm
# registry (package @comfyorg/litegraph, MIT; its LICENSE is kept beside the file), into
# tests/vendor/litegraph/. tests/test_comfyui_export.py loads every `--format comfyui` file
# into it in headless Chromium, to prove ComfyUI's editor keeps every node and link.
# `make test` runs it. The files are not committed (400 kB of minified code) and are never
# shipped: only the tests use them.
#
# Pinned here; fetched, checked and installed by fetch-npm.sh (idempotent; without npm it
# says what works meanwhile and exits 0).
set -eu

exec sh "$(dirname "$0")/fetch-npm.sh" fetch-litegraph @comfyorg/litegraph 0.17.2 \
    sha512-6O+PSu80Tycj4NkYyLv/r7tS5V1JDVnSZLUglXCwDTPDJbjqyyNWjSUuLTFpvNOMuK+iPYMmuOWazBcYx/Rd6w== \
    tests/vendor/litegraph \
    "until then tests/test_comfyui_export.py cannot load files in litegraph" \
    dist/litegraph.umd.js LICENSE
