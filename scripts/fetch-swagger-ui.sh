#!/bin/sh
# Fetches the files of Swagger UI that `scholarflow serve` shows at /docs, from the npm
# registry (package swagger-ui-dist, Apache-2.0; its LICENSE and NOTICE are kept beside the
# files), into src/scholarflow/server/static/vendor/swagger-ui/, so that /docs needs no CDN.
# `make setup` runs it. The files are not committed (1.6 MB of minified code); the wheel
# takes them in as build artifacts (pyproject.toml).
#
# Pinned here; fetched, checked and installed by fetch-npm.sh (idempotent; without npm it
# says what works meanwhile and exits 0).
set -eu

exec sh "$(dirname "$0")/fetch-npm.sh" fetch-swagger-ui swagger-ui-dist 5.35.0 \
    sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ== \
    src/scholarflow/server/static/vendor/swagger-ui \
    "until then /docs answers 503" \
    swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE
