#!/bin/bash
# Installs the Debian 12 packages purple-ucwa needs, by purpose.
#
#   tests/deps.sh [build] [run] [test] [demo] [pidgin]    (default: all but pidgin)
#
# Checks each package with dpkg-query. As root, missing packages are installed
# with apt-get (one `apt-get update` first); otherwise the exact command to
# run is printed and the script fails.
set -euo pipefail

declare -A group=(
  [build]="gcc pkg-config meson ninja-build libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libpurple-dev gettext"
  [run]="glib-networking"
  [test]="finch tmux valgrind appstream ca-certificates"
  [demo]="finch"
  [pidgin]="pidgin"
)

wanted=("$@")
if [ ${#wanted[@]} -eq 0 ]; then
  wanted=(build run test demo)
fi

packages=()
for name in "${wanted[@]}"; do
  if [ -z "${group[$name]+set}" ]; then
    echo "deps.sh: unknown group '$name' (known: ${!group[*]})" >&2
    exit 2
  fi
  for pkg in ${group[$name]}; do
    case " ${packages[*]} " in
      *" $pkg "*) ;;
      *) packages+=("$pkg") ;;
    esac
  done
done

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
