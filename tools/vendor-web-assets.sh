#!/usr/bin/env bash
# Vendors the portal's browser packages from npm into src/PenguinMails/wwwroot/lib/<package>/ (with their
# licences) and axe-core into the tests, so nothing is fetched from a CDN at run time. Rerun after changing a version.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

unpack() { # package@version -> ./<name>/package
  local tarball
  tarball=$(npm pack --silent "$1")
  mkdir -p "$2" && tar -xzf "$tarball" -C "$2"
}

unpack bootstrap@5.3.8 bootstrap
dest="$root/src/PenguinMails/wwwroot/lib/bootstrap"
rm -rf "$dest" && mkdir -p "$dest/css" "$dest/js"
cp bootstrap/package/LICENSE "$dest/"
cp bootstrap/package/dist/css/bootstrap.min.css "$dest/css/"
cp bootstrap/package/dist/js/bootstrap.bundle.min.js "$dest/js/"

unpack htmx.org@2.0.11 htmx
dest="$root/src/PenguinMails/wwwroot/lib/htmx.org"
rm -rf "$dest" && mkdir -p "$dest"
cp htmx/package/LICENSE "$dest/"
cp htmx/package/dist/htmx.min.js "$dest/"

unpack chart.js@4.5.1 chartjs
dest="$root/src/PenguinMails/wwwroot/lib/chart.js"
rm -rf "$dest" && mkdir -p "$dest"
cp chartjs/package/LICENSE.md "$dest/"
cp chartjs/package/dist/chart.umd.min.js "$dest/"

unpack axe-core@4.14.1 axe
dest="$root/tests/PenguinMails.Tests/Portal/axe-core"
rm -rf "$dest" && mkdir -p "$dest"
cp axe/package/LICENSE "$dest/"
cp axe/package/axe.min.js "$dest/"
echo "vendored into $root/src/PenguinMails/wwwroot/lib and tests/PenguinMails.Tests/Portal/axe-core" >&2
