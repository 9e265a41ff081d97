#!/usr/bin/env bash
# Refresh the vendored browser assets in book/_vendor from the npm registry (needs npm).
# Not part of the build: the vendored copies are committed so the book builds without node.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mathjax@3.2.2 @jupyter-widgets/html-manager@1.0.15 >/dev/null && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
mj="$tmp/mathjax-3.2.2/package"
hm="$tmp/jupyter-widgets-html-manager-1.0.15/package/dist"
rm -rf book/_vendor/mathjax book/_vendor/html-manager
mkdir -p book/_vendor/mathjax/es5/output/chtml/fonts book/_vendor/html-manager
cp "$mj/es5/tex-chtml.js" book/_vendor/mathjax/es5/
cp -r "$mj/es5/output/chtml/fonts/woff-v2" book/_vendor/mathjax/es5/output/chtml/fonts/
cp -r "$mj/es5/input" "$mj/es5/ui" book/_vendor/mathjax/es5/
cp "$mj/LICENSE" book/_vendor/mathjax/
cp "$hm/embed.js" "$hm/embed.js.LICENSE.txt" "$hm"/*.woff* book/_vendor/html-manager/
echo "vendored: $(du -sh book/_vendor | cut -f1)"
