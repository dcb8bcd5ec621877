#!/usr/bin/env bash
# Interop check of the exporters: builds the same graph as JSON, GraphML and
# JSON-LD, then loads them with NetworkX, rdflib, pyld and jsonschema
# (tests/interop/check.py); then converts it to the outlets (CSV, N-Triples,
# Turtle, DOT, yEd GraphML) and loads those in Kùzu, rdflib, Graphviz and
# NetworkX (tests/interop/outlets.py).
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

# Graphviz for the DOT check: installed when missing and possible (root with
# apt-get); otherwise outlets.py skips that check with a message.
if ! command -v dot >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing graphviz (apt-get) for the DOT check"
    apt_install() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends graphviz >/dev/null 2>&1; }
    apt_install || { apt-get -o DPkg::Lock::Timeout=120 update >/dev/null 2>&1 && apt_install; } || echo "   (could not install graphviz; the DOT check will be skipped)"
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
outlets() { # name, then outlets.py options; converts $out/$name.json with merge
    local name="$1"; shift
    echo "== $name: outlets"
    for ext in nt ttl dot; do
        "$bin" merge "$out/$name.json" -o "$out/$name.$ext"
    done
    "$bin" merge "$out/$name.json" --graphml-profile yed -o "$out/$name.yed.graphml"
    "$bin" merge "$out/$name.json" --format csv -o "$out/$name-csv"
    "$venv/bin/python" "$here/outlets.py" --json "$out/$name.json" --jsonld "$out/$name.jsonld" \
        --nt "$out/$name.nt" --ttl "$out/$name.ttl" --csv-dir "$out/$name-csv" \
        --dot "$out/$name.dot" --yed "$out/$name.yed.graphml" "$@" || status=1
}
i=0
for f in "${inputs[@]}"; do
    i=$((i + 1))
    check "article$i" "$f" --date 2024-12-19
    expect=()
    # Real answers on the invented article (who said what, as Kùzu returns it).
    [ "$f" -ef "$here/article.txt" ] && expect=(--expect-said "Marieke de Vries:We are not going back")
    outlets "article$i" "${expect[@]}"
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
outlets sample --expect-said "Ana Ruiz:We expect traffic by Friday"
# Hand-written odd strings (quotes, commas, line breaks, backslashes, ";" in
# aliases, RTL, emoji, relations named like node types) through every outlet.
echo "== odd strings (merge)"
for fmt in json graphml jsonld; do
    "$bin" merge "$here/odd.json" -o "$out/odd.$fmt"
done
"$venv/bin/python" "$here/check.py" "$out/odd.json" "$out/odd.graphml" "$out/odd.jsonld" || status=1
outlets odd --expect-said "Zoë \"Z\" O'Brien-Nakamura:rates; up"
# A generated hostile corpus (tests/interop/hostile.py): every graph valid
# against the schema, every span its code-point slice, as Python sees it.
if [ $# -eq 0 ]; then
    echo "== hostile corpus"
    "$venv/bin/python" "$here/hostile.py" "$bin" || status=1
fi
exit $status
