#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages Mailroom needs that are not installed yet.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-context-dev libmimalloc-dev
  qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtquick-shapes
  qml6-module-qtquick-dialogs qml6-module-qtqml qml6-module-qtqml-workerscript
  qml6-module-qt-labs-settings qml6-module-qttest qml6-module-qt-labs-platform
  qml6-module-qtqml-models qt6-svg-dev libgl-dev libxkbcommon-dev
  # Qt Quick's own file dialog (used where the desktop offers none, as under a bare X server
  # or offscreen) is built on it: without it, opening a file dialog crashes the app.
  qml6-module-qt-labs-folderlistmodel
  elixir
)
if [ "${MAILROOM_BOOTSTRAP_EXTRA:-}" != "" ]; then
  read -r -a extra <<<"$MAILROOM_BOOTSTRAP_EXTRA"
  packages+=("${extra[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
