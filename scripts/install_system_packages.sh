#!/bin/sh
# Install the Debian packages some tests need, when missing and when we can (root + apt).
# Elsewhere (macOS, no root) print what is missing; the tests that need it skip and say why.
set -eu
missing=""
command -v docker-compose >/dev/null 2>&1 || missing="$missing docker-compose"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "installing system packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "note: missing$missing (install them for the docker-compose and browser tests)"
fi
