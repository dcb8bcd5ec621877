#!/usr/bin/env python3
"""A corpus → one merged graph, with Spark as the batch engine.

Map: each partition of the JSON Lines corpus is piped through
`newsgraph build --jsonl - --per-document` (one graph per article, as JSON
Lines). Reduce: all per-document graphs are piped through
`newsgraph merge -`, which merges them by node and edge id (ids are stable,
so the order and the partitioning do not matter).

    python newsgraph_spark.py CORPUS.jsonl OUT.json [--newsgraph PATH] [--partitions N] [--master local[2]]

Runs in Spark local mode by default; on a cluster, pass --master and make
the newsgraph binary available at the same path on every worker (or ship it
with --files and give its bare name).
"""
import argparse
import os
import shlex

from pyspark.sql import SparkSession


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="JSON Lines, one article per line: {id, text, date, title, url}")
    ap.add_argument("output", help="the merged graph (newsgraph JSON)")
    ap.add_argument("--newsgraph", default="target/release/newsgraph", help="path to the newsgraph binary")
    ap.add_argument("--partitions", type=int, default=4, help="map tasks (shards of the corpus)")
    ap.add_argument("--master", default="local[2]")
    a = ap.parse_args()

    ng = shlex.quote(os.path.abspath(a.newsgraph))
    spark = (
        SparkSession.builder.master(a.master)
        .appName("newsgraph")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        articles = spark.sparkContext.textFile(os.path.abspath(a.corpus), minPartitions=a.partitions)
        # One thread per task: Spark already runs a task per core.
        graphs = articles.pipe(f"{ng} build --jsonl - --per-document --threads 1")
        merged = graphs.coalesce(1).pipe(f"{ng} merge -").collect()
    finally:
        spark.stop()
    # pipe() hands back the reducer's output line by line, without the line ends.
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(merged) + "\n")
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
