#!/usr/bin/env bash
# Installs the Debian 12 packages Tickmark builds with (only when something is missing), then
# configures and builds into ./build. Run as root, or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libsqlite3-dev sqlite3 libpq-dev postgresql libhowardhinnant-date-dev tzdata libboost-dev libboost-random-dev libboost-math-dev libssl-dev
  libzip-dev libexpat1-dev liblz4-dev
  nlohmann-json3-dev libcli11-dev catch2
  libwxgtk3.2-dev libxlsxwriter-dev libpodofo-dev libkainjow-mustache-dev fonts-dejavu-core
  python3-openpyxl python3-lz4 python3-docx python3-cryptography xvfb xauth poppler-utils qpdf
  openbox xdotool clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  # With recommends, as the stack was tested (GTK under Xvfb wants some of them); xauth is listed too.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build
