#!/usr/bin/env bash
# Browser test of the HTML viewer (`newsgraph build --format html`): builds
# the example article's graph as JSON and as a page, opens the page in
# headless Chromium (Debian's package, driven by playwright-core from npm)
# and checks it the way a reader would use it (tests/viewer/check.js).
#
#   bash tests/viewer/run.sh
#
# Env: NEWSGRAPH_BIN (default: cargo build, target/debug/newsgraph),
#      CHROMIUM (default: /usr/bin/chromium, installed with apt-get when missing),
#      VIEWER_SCREENSHOT (where to save the screenshot; default: a temp dir;
#      docs/viewer.png is made with VIEWER_SCREENSHOT=docs/viewer.png).
# Skips, with a message, only when Chromium cannot be installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "viewer: installing chromium (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 || true
fi
if [ ! -x "$chromium" ]; then
    echo "viewer: SKIPPED: Chromium is not installed and could not be installed (apt-get install chromium); the HTML viewer was not tested in a browser"
    exit 0
fi

# playwright-core only: it downloads no browser. Reinstalled when the lock file changes.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed" 2>/dev/null; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed"
fi

bin="${NEWSGRAPH_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$root" && cargo build --quiet --bin newsgraph)
    bin="$root/target/debug/newsgraph"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
article="$root/examples/article.txt"
"$bin" build "$article" --date 2024-11-18 -o "$out/graph.json"
"$bin" build "$article" --date 2024-11-18 -o "$out/graph.html"
# Hostile text: markup in the article must stay text.
printf '%s\n' 'Mayor </script><script>window.pwned=1</script> quits' \
    'Mayor Ana Ruiz of Leeds said on Monday that she would resign. <img src=x onerror="window.pwned=2"> <!-- <script>' \
    | "$bin" build - --format html -o "$out/hostile.html"

screenshot="${VIEWER_SCREENSHOT:-$out/viewer.png}"
CHROMIUM="$chromium" node "$here/check.js" "$out/graph.html" "$out/graph.json" "$out/hostile.html" "$screenshot"
