#!/bin/sh
# Install the Debian packages phaen needs, and only those that are missing.
# Idempotent: when everything is present it runs no apt-get at all.
# The one list of packages for the project lives here.
set -eu

PACKAGES="
build-essential pkg-config clang libclang-rt-14-dev
libsqlite3-dev sqlite3
libthai-dev libjansson-dev libmimalloc-dev
libpango1.0-dev libcairo2-dev libharfbuzz-dev fonts-tlwg-laksaman
libxlsxwriter-dev libzip-dev libexpat1-dev zlib1g-dev
libmicrohttpd-dev libsodium-dev libcurl4-openssl-dev curl
libcmocka-dev poppler-utils libreoffice-calc-nogui
time
chromium nodejs npm
wrk nginx-light
"

missing=""
for p in $PACKAGES; do
    # npm also comes inside other builds of nodejs (NodeSource's conflicts with Debian's npm)
    [ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
