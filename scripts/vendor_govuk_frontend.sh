#!/usr/bin/env bash
# Vendors a built GOV.UK Frontend release into static/govuk/, ready for whitenoise.
#
#   scripts/vendor_govuk_frontend.sh [path/to/govuk-frontend-X.Y.Z.tgz]
#
# Without an argument it runs `npm pack govuk-frontend@$GOVUK_FRONTEND_VERSION`.
# The precompiled CSS expects its assets at the site root (/assets/...); the rewrite
# makes those references relative so they resolve under /static/govuk/assets/.
# The portal is not a GOV.UK service, so the GDS Transport font (licensed for GOV.UK
# only) is left out, with the @font-face rules that would load it: pages use Arial,
# set in static/portal/portal.css.
set -euo pipefail

version="${GOVUK_FRONTEND_VERSION:-5.14.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/static/govuk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="${1:-}"
if [[ -z "$tarball" ]]; then
  (cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null)
  tarball="$work/govuk-frontend-$version.tgz"
fi
tar -xzf "$tarball" -C "$work"
dist="$work/package/dist/govuk"
packed_version="$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' "$work/package/package.json" | head -n 1)"

rm -rf "$target"
mkdir -p "$target"
cp -R "$dist/assets" "$target/assets"
rm -rf "$target/assets/fonts"

# Source maps are not shipped, so their comments go too: a manifest storage would
# otherwise fail collectstatic on the missing .map files.
sed -E \
  -e 's#@font-face\{[^}]*\}##g' \
  -e 's#url\(/assets/#url(assets/#g' \
  -e '/^\/\*# sourceMappingURL=.*\*\/$/d' \
  "$dist/govuk-frontend.min.css" >"$target/govuk-frontend.min.css"
sed -E 's#//\# sourceMappingURL=[^ ]*$##' "$dist/govuk-frontend.min.js" >"$target/govuk-frontend.min.js"

if grep -q 'url(/' "$target/govuk-frontend.min.css"; then
  echo "An absolute url(/...) is left in govuk-frontend.min.css" >&2
  exit 1
fi

# The npm package states its licence in README.md and ships no licence file.
cat >"$target/LICENSE.txt" <<LICENCE
GOV.UK Frontend $packed_version (https://github.com/alphagov/govuk-frontend)

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "$packed_version" >"$target/VERSION"
echo "Vendored GOV.UK Frontend $packed_version into static/govuk/"
