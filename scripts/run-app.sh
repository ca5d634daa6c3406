#!/usr/bin/env bash
# The one command that runs the app on a fresh Debian/Ubuntu machine with Rust and Node.js:
# installs the system packages and npm packages it needs, builds the desktop app and starts it.
# The database lives in the user's data folder (~/.local/share/gdd/gdd.db; set GDD_DB to use
# another file); on an empty database the app offers to create the demo ward.
#
#   scripts/run-app.sh            debug build (fast to build)
#   GDD_RELEASE=1 scripts/run-app.sh   optimized build
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gdd-target}"

scripts/install-app-deps.sh
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi

if [ "${GDD_RELEASE:-0}" = 1 ]; then
  ui/node_modules/.bin/tauri build --no-bundle
  exec "$CARGO_TARGET_DIR/release/gdd-app" "$@"
else
  ui/node_modules/.bin/tauri build --debug --no-bundle
  exec "$CARGO_TARGET_DIR/debug/gdd-app" "$@"
fi
