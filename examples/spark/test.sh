#!/usr/bin/env bash
# Spark map-reduce equals a single-process build: runs examples/spark on a
# small invented corpus in Spark local mode and compares the merged graph
# with `newsgraph build --jsonl` of the same corpus, byte for byte.
# Skips (exit 0, with a message) where Java or pip/PySpark cannot be had.
# Usage (from the project root): bash examples/spark/test.sh [NEWSGRAPH_BIN]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-${NEWSGRAPH_BIN:-target/release/newsgraph}}"
here=examples/spark
venv="${NG_SPARK_VENV:-target/spark-venv}"

if ! command -v java >/dev/null 2>&1 || ! java -version >/dev/null 2>&1; then
  echo "SKIP spark test: no Java (PySpark needs Java 17+)"
  exit 0
fi
if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
  echo "setting up PySpark in $venv (once)..."
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q "pyspark>=3.5"; } >/dev/null 2>&1; then
    echo "SKIP spark test: cannot install PySpark with pip"
    exit 0
  fi
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$bin" build --jsonl "$here/corpus.jsonl" -o "$out/single.json"
"$venv/bin/python" "$here/newsgraph_spark.py" "$here/corpus.jsonl" "$out/spark.json" \
  --newsgraph "$bin" --partitions 3 2> "$out/spark.log" || { tail -20 "$out/spark.log"; exit 1; }
# The same reduce without Spark: Hadoop streaming runs exactly these two commands.
"$bin" build --jsonl - --per-document < "$here/corpus.jsonl" | "$bin" merge - > "$out/stream.json"
cmp "$out/single.json" "$out/spark.json"
cmp "$out/single.json" "$out/stream.json"
nodes=$(python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); print(len(g["nodes"]), "nodes,", len(g["graph"]["documents"]), "documents")' "$out/spark.json")
echo "spark test passed: Spark map-reduce = single-process build ($nodes)"
