#!/usr/bin/env bash
# The one command that runs all the tests, on a fresh Debian/Ubuntu machine with Rust and
# Node.js: installs what it needs (apt packages, npm packages, tauri-driver), then runs
# formatting, lints, the front end's type check, every Rust test, and the end-to-end test of
# the real app. CI runs exactly this (.ci/run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The build cache lives outside the clone; correctness never depends on it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gdd-target}"
export CARGO_TERM_COLOR=never

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }

step "system packages"
scripts/install-app-deps.sh

step "front end: npm ci, type check, build"
(cd ui && npm ci --no-audit --no-fund && npm run typecheck && npm run build)

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings (workspace, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "CUPS test printer (GDD-PDF on cups-pdf) for the printing tests"
scripts/cups-test-setup.sh

step "cargo test (workspace)"
cargo test --workspace --locked

step "release build trust: the city root only, the demo root refused"
GDD_CITY_ROOT_PUB="$ROOT/assets/trust/test-city-root.pub" \
  cargo test -p store --features release-root --locked --test release_root

step "fuzzing the list readers (csv, xlsx, xlsx parts, xls), bounded time"
FUZZ_SECONDS="${FUZZ_SECONDS:-45}" scripts/fuzz-lists.sh

step "end-to-end: the real app through WebDriver"
scripts/e2e.sh

step "all tests passed"
