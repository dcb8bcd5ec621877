#!/usr/bin/env bash
# Interop check of the exporters: builds the same graph as JSON, GraphML and
# JSON-LD, then loads them with NetworkX, rdflib, pyld and jsonschema
# (tests/interop/check.py).
#
#   bash tests/interop/run.sh [ARTICLE.txt ...]
#
# Also checks tests/interop/sample.json (a hand-built graph) via merge.
# Without arguments it uses tests/interop/article.txt (invented) and, when
# present, the seed article ../shared/seed/article.txt beside the checkout.
# Env: NEWSGRAPH_BIN (default: cargo build, target/debug/newsgraph),
#      NEWSGRAPH_VENV (default: target/venv; created and filled from
#      requirements.txt when missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${NEWSGRAPH_VENV:-$root/target/venv}"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

bin="${NEWSGRAPH_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$root" && cargo build --quiet --bin newsgraph)
    bin="$root/target/debug/newsgraph"
fi

inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
    inputs=("$here/article.txt")
    seed="$root/../shared/seed/article.txt"
    [ -f "$seed" ] && inputs+=("$seed")
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
check() { # name, then build arguments
    local name="$1"; shift
    echo "== $name"
    for fmt in json graphml jsonld; do
        "$bin" build "$@" -o "$out/$name.$fmt"
    done
    "$venv/bin/python" "$here/check.py" "$out/$name.json" "$out/$name.graphml" "$out/$name.jsonld" || status=1
}
i=0
for f in "${inputs[@]}"; do
    i=$((i + 1))
    check "article$i" "$f" --date 2024-12-19
done
if [ ${#inputs[@]} -gt 1 ]; then
    check merged "${inputs[@]}" --date 2024-12-19
fi
# A hand-built graph with every node type, span field and an unknown
# relation and field (the exporters' test fixture, src/export/testkit.rs),
# converted by `newsgraph merge`.
echo "== sample (merge)"
for fmt in json graphml jsonld; do
    "$bin" merge "$here/sample.json" -o "$out/sample.$fmt"
done
"$venv/bin/python" "$here/check.py" "$out/sample.json" "$out/sample.graphml" "$out/sample.jsonld" || status=1
# A generated hostile corpus (tests/interop/hostile.py): every graph valid
# against the schema, every span its code-point slice, as Python sees it.
if [ $# -eq 0 ]; then
    echo "== hostile corpus"
    "$venv/bin/python" "$here/hostile.py" "$bin" || status=1
fi
exit $status
