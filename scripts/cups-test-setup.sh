#!/usr/bin/env bash
# A real CUPS PDF printer for the printing tests: installs CUPS + cups-pdf + poppler/zbar tools,
# starts cupsd when it is not running (CI containers have no systemd), and creates the queue
# GDD-PDF whose output goes to a fixed folder. Safe to run any number of times.
#
#   scripts/cups-test-setup.sh          set up (or check) and print where the PDFs go
#   scripts/cups-test-setup.sh stop     remove the queue and stop the cupsd this script started
#
# The queue uses its own cups-pdf instance (device URI cups-pdf:/gdd → /etc/cups/cups-pdf-gdd.conf),
# so the system's /etc/cups/cups-pdf.conf and any other PDF queue are left untouched.
set -euo pipefail

QUEUE=GDD-PDF
INSTANCE=gdd
CONF=/etc/cups/cups-pdf-${INSTANCE}.conf
# Every user's jobs (root's and anonymous ones too) land in this one folder, named
# "<title>-job_<id>.pdf" (Label 2), so a test finds its output by job id.
OUT_DIR=/var/spool/cups-pdf-gdd
PIDFILE=/run/gdd-cupsd.pid

PACKAGES=(cups printer-driver-cups-pdf poppler-utils zbar-tools)

log() { echo "cups-test-setup: $*"; }

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  SUDO=(false)
fi

cups_running() { LC_ALL=C lpstat -r 2>/dev/null | grep -q 'scheduler is running'; }

if [ "${1:-}" = "stop" ]; then
  if command -v lpadmin >/dev/null 2>&1 && cups_running; then
    "${SUDO[@]}" lpadmin -x "$QUEUE" 2>/dev/null && log "queue $QUEUE removed" || true
  fi
  if [ -f "$PIDFILE" ]; then
    pid="$(cat "$PIDFILE")"
    # Only the cupsd this script started (its pid recorded at start), never another one.
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "cupsd" ]; then
      "${SUDO[@]}" kill "$pid" && log "cupsd (pid $pid) stopped"
    fi
    "${SUDO[@]}" rm -f "$PIDFILE"
  else
    log "cupsd was not started by this script; left running"
  fi
  exit 0
fi

# 1. packages (nothing to do, and no root needed, when all are present)
missing=()
for p in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "all ${#PACKAGES[@]} packages present"
fi

# 2. the scheduler
if cups_running; then
  log "cupsd is running"
else
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${SUDO[@]}" systemctl start cups
  else
    # No systemd: run cupsd directly; it daemonizes. Its own pid file is not written in this
    # mode, so record the daemon's pid for `stop`.
    "${SUDO[@]}" /usr/sbin/cupsd
    for _ in $(seq 1 50); do cups_running && break; sleep 0.1; done
    pid="$(pgrep -x -n cupsd || true)"
    [ -n "$pid" ] && echo "$pid" | "${SUDO[@]}" tee "$PIDFILE" >/dev/null
  fi
  if ! cups_running; then
    log "cupsd did not start; see /var/log/cups/error_log" >&2
    exit 1
  fi
  log "cupsd started"
fi

# 3. the cups-pdf instance's configuration (rewritten each time: same content, idempotent)
"${SUDO[@]}" mkdir -p "$OUT_DIR"
# cups-pdf writes as the job's user; the folder is world-writable and sticky like /tmp.
"${SUDO[@]}" chmod 1777 "$OUT_DIR"
"${SUDO[@]}" tee "$CONF" >/dev/null <<EOF
# Written by scripts/cups-test-setup.sh for the test queue $QUEUE.
Out $OUT_DIR
AnonDirName $OUT_DIR
Label 2
TitlePref 1
UserUMask 0022
Grp lpadmin
DecodeHexStrings 1
EOF

# 4. the queue
PPD=""
for f in /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/*.ppd; do
  if [ -f "$f" ]; then PPD="$f"; break; fi
done
if [ -z "$PPD" ]; then
  log "no CUPS-PDF PPD under /usr/share/ppd/cups-pdf/ (is printer-driver-cups-pdf installed?)" >&2
  exit 1
fi
# cups-pdf (Ghostscript) ignores the copies a PostScript job asks for; cupsManualCopies makes
# CUPS's own filter repeat the pages, so the PDF shows every copy like paper would.
QUEUE_PPD="$(mktemp)"
trap 'rm -f "$QUEUE_PPD"' EXIT
sed 's/^\*ColorDevice:/*cupsManualCopies: True\n*ColorDevice:/' "$PPD" >"$QUEUE_PPD"
if LC_ALL=C lpstat -v "$QUEUE" 2>/dev/null | grep -q "cups-pdf:/$INSTANCE"; then
  state=updated
else
  state=created
fi
# lpadmin on an existing queue just sets the same values again. Its warning that printer
# drivers are deprecated is noise here.
"${SUDO[@]}" lpadmin -p "$QUEUE" -E -v "cups-pdf:/$INSTANCE" -P "$QUEUE_PPD" \
  -D "GDD test PDF printer" -o media=A4 2> >(grep -v 'drivers are deprecated' >&2)
log "queue $QUEUE $state (PPD $PPD, manual copies)"
# A previous test run may have left it disabled or rejecting.
"${SUDO[@]}" cupsenable "$QUEUE"
"${SUDO[@]}" cupsaccept "$QUEUE"

log "ready: queue $QUEUE, PDFs go to $OUT_DIR (named <title>-job_<id>.pdf)"
