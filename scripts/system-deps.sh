#!/bin/sh
# Installs the system libraries WeasyPrint needs (and, with --test, the tools the test suite
# uses) through apt when we are root on Debian; otherwise says what to install.
set -eu
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
# The spelling of check: Hunspell's dictionaries, read through libenchant-2 (pyenchant).
packages="$packages libenchant-2-2 hunspell-fr hunspell-en-gb"
if [ "${1:-}" = "--test" ]; then
  packages="$packages poppler-utils qpdf libreoffice-writer-nogui chromium chromium-driver"
fi
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation des paquets système :$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "Paquets système manquants :$missing" >&2
  echo "Installez-les avec : sudo apt-get install$missing" >&2
  echo "(libharfbuzz-subset0 rend la création des PDF environ 5 fois plus rapide.)" >&2
fi
