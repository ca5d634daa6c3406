#!/usr/bin/env bash
# Fuzzes the list readers of crates/listimport (CSV, .xlsx, the XML parts of
# an .xlsx, .xls) through check_bytes, each target for a bounded time; exits
# non-zero when any target finds a crash, a timeout or a memory blow-up.
#
#   scripts/fuzz-lists.sh                 # 60 s per target
#   FUZZ_SECONDS=600 scripts/fuzz-lists.sh csv xlsx
#
# The xls target tolerates a panic of calamine's .xls parser that check_bytes
# catches (it answers list.corrupt); FUZZ_STRICT_PANICS=1 counts those too.
# A panic out of check_bytes, a timeout or more than 512 MB is always a finding.
#
# Runs on the stable toolchain: RUSTC_BOOTSTRAP=1 lets it accept the nightly
# flags cargo-fuzz passes. Seeds are made from tests/fixtures/lists at every
# run (nothing big is committed); findings land in
# crates/listimport/fuzz/artifacts/<target>/ (add each as a regression test).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/gdd-target-fuzz}"
export RUSTC_BOOTSTRAP=1
# AddressSanitizer keeps freed memory aside (256 MB by default), which would
# count against -rss_limit_mb below; a smaller quarantine keeps RSS honest.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=32}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

cd "$ROOT/crates/listimport"
FIX="$ROOT/tests/fixtures/lists"
CORPUS=fuzz/corpus
mkdir -p "$CORPUS"/{csv,xlsx,xlsx_parts,xls}
cp "$FIX"/*.csv "$CORPUS/csv/"
cp "$FIX"/*.xlsx "$CORPUS/xlsx/"
cp "$FIX"/*.xls "$CORPUS/xls/"
# xlsx_parts: sheet XML, 0xFF, shared strings, 0xFF, styles.
printf '%s\xff%s\xff%s' \
  '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Số CCCD</t></is></c><c r="C1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><r><t>Nguyễn </t></r><r><t>Văn An</t></r></is></c><c r="B2" t="str"><v>001090012345</v></c><c r="C2" s="1"><v>32999</v></c></row><row><c t="b"><v>1</v></c><c t="e"><v>#REF!</v></c><c><v>1e3</v></c></row></sheetData></worksheet>' \
  '<sst><si><t>Họ và tên</t></si><si><t xml:space="preserve"> Ngày_x0020_sinh </t><rPh><t>x</t></rPh></si></sst>' \
  '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>' \
  > "$CORPUS/xlsx_parts/list"
printf '%s\xff%s' '<worksheet><sheetData><row r="3"><c r="XFD3"><v>1</v></c></row></sheetData></worksheet>' \
  '<sst><si><t><![CDATA[a]]>&amp;&#x1EC5;</t></si></sst>' > "$CORPUS/xlsx_parts/edges"

declare -A MAX_LEN=([csv]=16384 [xlsx]=65536 [xlsx_parts]=32768 [xls]=65536)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv xlsx xlsx_parts xls)
failed=()
for t in "${targets[@]}"; do
  printf '\n=== fuzz %s for %s s\n' "$t" "$SECONDS_EACH"
  # -rss_limit_mb: a memory blow-up is a finding; -timeout: so is a hang.
  if ! cargo fuzz run --target-dir "$TARGET_DIR" "$t" "$CORPUS/$t" -- \
      -max_total_time="$SECONDS_EACH" -max_len="${MAX_LEN[$t]}" \
      -rss_limit_mb=512 -timeout=20 -print_final_stats=1; then
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (see crates/listimport/fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzzing: no crash in ${targets[*]}"
