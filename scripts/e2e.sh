#!/usr/bin/env bash
# End-to-end test of the real desktop app: builds it (debug, no bundle), starts it on a fresh
# database under its own Xvfb, and drives it through tauri-driver + WebKitWebDriver (tests/e2e/run_e2e.py).
# Screenshots go to tests/e2e/artifacts/. Exits non-zero on any failure.
#
#   scripts/e2e.sh            build, then test
#   E2E_SKIP_BUILD=1 scripts/e2e.sh   test the binary already built
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${GDD_TOOLS_DIR:-$HOME/.cache/gdd-tools}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
APP="$TARGET/debug/gdd-app"
CLI="$TARGET/debug/gdd"  # `gdd init` makes the real (non-demo) ward of the second scenario
ARTIFACTS="$ROOT/tests/e2e/artifacts"

say() { echo "[e2e.sh] $*"; }
die() { echo "[e2e.sh] error: $*" >&2; exit 1; }

for cmd in Xvfb WebKitWebDriver npm cargo python3; do
  command -v "$cmd" >/dev/null 2>&1 ||
    die "$cmd not found (system packages: scripts/install-app-deps.sh; Node.js >= 20.19 and Rust are needed too)"
done

# The print steps use the CUPS test queue and read its output back.
for cmd in lpstat cupsdisable cupsenable pdftoppm pdfinfo zbarimg; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: run scripts/cups-test-setup.sh"
done
lpstat -p GDD-PDF >/dev/null 2>&1 || die "no CUPS queue GDD-PDF: run scripts/cups-test-setup.sh"

# tauri-driver: the WebDriver front that launches Tauri apps; cached outside the repository.
TAURI_DRIVER="$TOOLS/bin/tauri-driver"
if [ ! -x "$TAURI_DRIVER" ]; then
  say "installing tauri-driver into $TOOLS"
  cargo install tauri-driver --locked --root "$TOOLS"
fi

# WebDriver client: selenium in a cached venv, reinstalled when the requirements change.
VENV="$TOOLS/venv"
REQ="$ROOT/tests/e2e/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.gdd-requirements.txt"; then
  say "preparing the Python venv in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$REQ"
  cp "$REQ" "$VENV/.gdd-requirements.txt"
fi

if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -d "$ROOT/ui/node_modules" ] || [ "$ROOT/ui/package-lock.json" -nt "$ROOT/ui/node_modules/.package-lock.json" ]; then
    say "npm ci in ui/"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund)
  fi
  say "building the app (tauri build --debug --no-bundle; runs the UI build first)"
  start=$(date +%s)
  (cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" ui/node_modules/.bin/tauri build --debug --no-bundle)
  (cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build -p gdd)
  say "build took $(( $(date +%s) - start ))s"
fi
[ -x "$APP" ] || die "app binary not found at $APP"

# A fresh database and fresh webview data (localStorage keeps the language choice) every run.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gdd-e2e.XXXXXX")"
cleanup() {
  # run_e2e.py stops tauri-driver's process group (WebKitWebDriver, the app) itself and records
  # its id; if it was killed before it could, stop that group here. Then our own Xvfb.
  if [ -n "${E2E_PID:-}" ]; then kill -TERM "$E2E_PID" 2>/dev/null || true; wait "$E2E_PID" 2>/dev/null || true; fi
  if [ -s "$WORK/driver.pgid" ]; then kill -TERM -- "-$(cat "$WORK/driver.pgid")" 2>/dev/null || true; fi
  if [ -n "${XVFB_PID:-}" ]; then kill -TERM "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
export GDD_DB="$WORK/gdd.db"
export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache"
export TAURI_DRIVER
export NO_AT_BRIDGE=1  # no accessibility bus under Xvfb; silences a warning per start
# Not WEBKIT_DISABLE_COMPOSITING_MODE: with it, WebKitWebDriver's screenshot never returns.

# Our own Xvfb rather than xvfb-run: its pid is known, so it is stopped even when this script is
# interrupted. -displayfd picks a free display and reports it once the server is ready.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 100); do
  [ -s "$WORK/display" ] && break
  kill -0 "$XVFB_PID" 2>/dev/null || die "Xvfb failed: $(cat "$WORK/xvfb.log")"
  sleep 0.1
done
[ -s "$WORK/display" ] || die "Xvfb did not start within 10 s"
export DISPLAY=":$(tr -d '[:space:]' <"$WORK/display")"

say "running the scenario (DISPLAY=$DISPLAY, GDD_DB=$GDD_DB)"
export E2E_PGID_FILE="$WORK/driver.pgid"
if [ -x "$CLI" ]; then export GDD_CLI="$CLI"; else say "no $CLI: the real-ward scenario is skipped"; fi
start=$(date +%s)
# In the background with `wait`, so a signal to this script is handled at once (bash defers
# traps while a foreground child runs); the trap then stops the scenario, which cleans up.
set +e
"$VENV/bin/python" "$ROOT/tests/e2e/run_e2e.py" "$APP" "$ARTIFACTS" &
E2E_PID=$!
wait "$E2E_PID"
rc=$?
E2E_PID=
set -e
say "scenario took $(( $(date +%s) - start ))s, exit $rc; artifacts in $ARTIFACTS"
exit "$rc"
