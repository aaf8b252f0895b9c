#!/bin/sh
# Fetches dagre, the graph layout library the web page draws the workflow with, from the npm
# registry (package @dagrejs/dagre, MIT; its LICENSE is kept beside the file), into
# src/scholarflow/server/static/vendor/dagre/, so that the page needs no CDN. `make setup`
# runs it. The file is not committed (49 KB of minified code, graphlib included); the wheel
# takes it in as a build artifact (pyproject.toml).
#
# Pinned here; fetched, checked and installed by fetch-npm.sh (idempotent; without npm it
# says what works meanwhile and exits 0).
set -eu

exec sh "$(dirname "$0")/fetch-npm.sh" fetch-dagre @dagrejs/dagre 3.1.3 \
    sha512-X4aUTwOReZvthaZWOVHqlJ52/ZdhZFEM4+Lh/uR4XooUSLE6p71bcy7MPGzYnNUcNh+nj+i/qJQpCMIdQnSmrg== \
    src/scholarflow/server/static/vendor/dagre \
    "until then the page lays the workflow out in plain columns" \
    dist/dagre.min.js LICENSE
