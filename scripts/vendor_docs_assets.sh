#!/usr/bin/env bash
# Refreshes the documentation assets the server embeds: Swagger UI from the
# npm package swagger-ui-dist and ReDoc from the npm package redoc. Only the
# npm registry is contacted. The files are committed under assets/docs, so
# builds need no network.
#
# Usage: scripts/vendor_docs_assets.sh [SWAGGER_UI_VERSION] [REDOC_VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."

swagger_version="${1:-5.35.0}"
redoc_version="${2:-2.5.4}"
target=assets/docs
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "swagger-ui-dist@$swagger_version" "redoc@$redoc_version" >/dev/null)
tar -xzf "$work/swagger-ui-dist-$swagger_version.tgz" -C "$work"
mkdir -p "$target"
for file in swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css; do
    cp "$work/package/$file" "$target/$file"
done
cp "$work/package/LICENSE" "$target/swagger-ui-LICENSE"
cp "$work/package/NOTICE" "$target/swagger-ui-NOTICE"
rm -rf "$work/package"
tar -xzf "$work/redoc-$redoc_version.tgz" -C "$work"
cp "$work/package/bundles/redoc.standalone.js" "$target/redoc.standalone.js"
# The sidebar's "API docs by Redocly" logo is loaded from Redocly's CDN. Point
# it at an empty data: URL instead: the image fails to load, ReDoc hides it,
# and the page makes no request to another host.
sed -i 's#src:"https://cdn.redoc.ly/redoc/logo-mini.svg"#src:"data:,"#' "$target/redoc.standalone.js"
grep -q 'cdn.redoc.ly' "$target/redoc.standalone.js" && { echo "redoc still refers to cdn.redoc.ly" >&2; exit 1; }
cp "$work/package/LICENSE" "$target/redoc-LICENSE"

printf 'swagger-ui-dist %s\nredoc %s\n' "$swagger_version" "$redoc_version" > "$target/VERSIONS"
ls -l "$target"
