#!/usr/bin/env bash
# System packages to build and run the desktop app (Tauri 2 on WebKitGTK 4.1) and its
# end-to-end test (WebKitWebDriver under Xvfb), on Debian 12+ / Ubuntu 22.04+.
# Idempotent: does nothing (and needs no root) when everything is present.
set -euo pipefail

PACKAGES=(
  # build
  build-essential pkg-config file patchelf
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev libxdo-dev
  # end-to-end test
  webkit2gtk-driver xvfb xauth
  # permitpdf tests: rasterize (pdftoppm, pdftotext, pdfinfo) and read QRs back (zbarimg)
  poppler-utils zbar-tools
)

missing=()
for p in "${PACKAGES[@]}"; do
  # `dpkg-query` prints "install ok installed" only for a fully installed package.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-app-deps: all ${#PACKAGES[@]} system packages present"
  exit 0
fi

echo "install-app-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-app-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
