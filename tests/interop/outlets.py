#!/usr/bin/env python3
"""Interop check of the outlets: each loaded by its real consumer and
compared with the JSON graph they were written from.

    python tests/interop/outlets.py --json G.json --jsonld G.jsonld --nt G.nt \
        --ttl G.ttl --csv-dir DIR --dot G.dot --yed G.yed.graphml \
        [--expect-said SPEAKER:WORDS ...]

- CSV: runs DIR/schema.cypher in a new Kùzu database (the `kuzu` package),
  checks node and relationship counts per type, then asks "who said what
  about whom" in Cypher (Statement -attributed_to-> speaker,
  Statement -about-> X) and compares every answer with the JSON graph.
  --expect-said SPEAKER:WORDS also requires a Person SPEAKER saying
  something that contains WORDS (real answers on a known article).
- RDF: rdflib reads the N-Triples, the Turtle and the JSON-LD; all three
  must be the same graph (isomorphic, i.e. equal up to blank-node names).
- DOT: `dot -Tsvg` renders it with one SVG node and edge group per graph
  node and edge; skipped (with a message) when Graphviz is not installed.
- yEd GraphML: NetworkX reads it with the JSON's nodes and edges, labels
  and relations, and yFiles shapes; every node has a y:ShapeNode whose
  NodeLabel is the node label and whose fill is its type's colour.

Prints one line per check and "outlets: N passed, M failed, K skipped";
exits 1 if any check failed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import rdflib
from rdflib.compare import isomorphic

results = []
skipped = []

# The palette of src/export/dot.rs (node_style), shared by DOT and yEd.
YED_STYLE = {
    "Person": ("ellipse", "#A6CEE3"),
    "Organization": ("rectangle", "#B2DF8A"),
    "Location": ("hexagon", "#FDBF6F"),
    "Other": ("octagon", "#CAB2D6"),
    "Event": ("diamond", "#FB9A99"),
    "Time": ("parallelogram", "#FFFF99"),
    "Statement": ("roundrectangle", "#E0E0E0"),
    "Document": ("rectangle3d", "#FFFFFF"),
}


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def skip(name, why):
    skipped.append(name)
    print(f"skip {name}: {why}")


def said_from_json(data, speaker_types=None):
    """(speaker label, statement content, sorted about-labels) from the JSON graph."""
    nodes = {n["id"]: n for n in data["nodes"]}
    about = {}
    for e in data["edges"]:
        if e["relation"] == "about":
            about.setdefault(e["source"], []).append(nodes[e["target"]]["label"])
    out = set()
    for e in data["edges"]:
        s, p = nodes[e["source"]], nodes[e["target"]]
        if e["relation"] != "attributed_to" or s["type"] != "Statement":
            continue
        if speaker_types and p["type"] not in speaker_types:
            continue
        content = (s.get("content") or {}).get("text")
        out.add((p["label"], content, tuple(sorted(about.get(s["id"], [])))))
    return out


def check_kuzu(csv_dir, data, expect_said):
    import kuzu

    script = (Path(csv_dir) / "schema.cypher").read_text(encoding="utf-8")
    # In memory: 3x faster than on disk, and loading is what is checked.
    db = kuzu.Database(":memory:")
    conn = kuzu.Connection(db)
    cwd = os.getcwd()
    os.chdir(csv_dir)  # the script names the CSV files relative to their directory
    try:
        conn.execute(script)
    finally:
        os.chdir(cwd)

    def rows(q):
        r = conn.execute(q)
        out = []
        while r.has_next():
            out.append(r.get_next())
        return out

    by_type = Counter(n["type"] for n in data["nodes"])
    got = Counter({t: c for t, c in rows("MATCH (n) RETURN label(n), count(*)")})
    check("Kùzu loads every node into its type's table", got == by_type, f"{dict(got)} vs JSON {dict(by_type)}")
    n_rels = rows("MATCH ()-[r]->() RETURN count(r)")[0][0]
    check("Kùzu loads every edge", n_rels == len(data["edges"]), f"{n_rels} vs JSON {len(data['edges'])}")
    # Who said what about whom, in Cypher.
    q = (
        "MATCH (s:Statement)-[:attributed_to]->(p) "
        "OPTIONAL MATCH (s)-[:about]->(x) "
        "RETURN p.label, s.content_text, collect(x.label)"
    )
    answers = {(p, c, tuple(sorted(x for x in a or [] if x is not None))) for p, c, a in rows(q)}
    want = said_from_json(data)
    check(
        "Kùzu answers who said what about whom as the JSON says",
        answers == want and len(want) > 0,
        f"{len(answers)} answers, JSON {len(want)}"
        + ("" if answers == want else f"; only Kùzu: {sorted(answers - want)[:2]}, only JSON: {sorted(want - answers)[:2]}"),
    )
    people = rows(
        "MATCH (s:Statement)-[r:attributed_to]->(p:Person) "
        "RETURN p.label, p.aliases, s.content_text, s.kind, r.confidence"
    )
    for spec in expect_said:
        speaker, _, words = spec.partition(":")
        hit = [r for r in people if speaker in [r[0]] + (r[1] or []) and words in (r[2] or "")]
        check(f"Kùzu: {speaker} said \"{words}\"", hit, f"{hit[0][3]}, confidence {hit[0][4]}" if hit else f"Person answers: {[(r[0], (r[2] or '')[:40]) for r in people][:4]}")
    # Arrays and typed columns come through typed.
    typed = rows("MATCH (n) WHERE n.mention_count > 0 RETURN n.id, n.mention_count, n.aliases")
    by_id = {n["id"]: n for n in data["nodes"]}
    # A ";" inside an alias is written as "；" (U+FF1B): ";" splits the array.
    want_aliases = {i: sorted(a.replace(";", "\uff1b") for a in n["aliases"]) for i, n in by_id.items()}
    bad = [r for r in typed if r[1] != len(by_id[r[0]]["mentions"]) or sorted(r[2] or []) != want_aliases[r[0]]]
    check("Kùzu has mention counts and alias lists typed", typed and not bad, f"bad: {bad[:2]}" if bad else f"{len(typed)} nodes")


def check_rdf(jsonld, nt, ttl):
    g_ld = rdflib.Graph().parse(jsonld, format="json-ld")
    g_nt = rdflib.Graph().parse(nt, format="nt")
    g_ttl = rdflib.Graph().parse(ttl, format="turtle")
    for name, g in [("N-Triples", g_nt), ("Turtle", g_ttl)]:
        ground_ld = {t for t in g_ld if not any(isinstance(x, rdflib.BNode) for x in t)}
        ground = {t for t in g if not any(isinstance(x, rdflib.BNode) for x in t)}
        diff = ""
        if ground != ground_ld:
            diff = f"; only {name}: {sorted(ground - ground_ld)[:2]}, only JSON-LD: {sorted(ground_ld - ground)[:2]}"
        if len(g) <= 20000:
            same, how = isomorphic(g, g_ld), "isomorphic"
        else:  # canonicalisation is slow on big graphs
            same, how = len(g) == len(g_ld), "same count"
        check(
            f"rdflib reads the {name} as the same triples as the JSON-LD",
            len(g) > 0 and same and ground == ground_ld,
            f"{len(g)} triples, JSON-LD {len(g_ld)}, {how if same else 'different'}{diff}",
        )


def find_dot():
    return shutil.which("dot")


def check_dot(path, data):
    dot = find_dot()
    if dot is None:
        skip("dot -Tsvg renders the DOT", "Graphviz is not installed (apt-get install graphviz)")
        return
    p = subprocess.run([dot, "-Tsvg", str(path)], capture_output=True, timeout=120)
    check("dot -Tsvg renders the DOT", p.returncode == 0 and p.stdout.startswith(b"<?xml"), p.stderr.decode()[:200])
    if p.returncode != 0:
        return
    svg = ET.fromstring(p.stdout)
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = Counter(g.get("class") for g in svg.iter("{http://www.w3.org/2000/svg}g"))
    check(
        "the SVG has one node and one edge per graph node and edge",
        groups["node"] == len(data["nodes"]) and groups["edge"] == len(data["edges"]),
        f"{groups['node']} nodes, {groups['edge']} edges (JSON: {len(data['nodes'])}, {len(data['edges'])})",
    )
    titles = {g.find("s:title", ns).text for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"}
    # Graphviz keeps a node name's backslashes as written: the name is the id with "\\" doubled.
    ids = {n["id"].replace("\\", "\\\\").replace("\n", "\\n") for n in data["nodes"]}
    check("SVG node titles are the node ids (quotes and backslashes intact)", titles == ids, f"{sorted(ids - titles)[:3]} vs {sorted(titles - ids)[:3]}" if titles != ids else "")
    labels = Counter(t.text for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node" for t in g.iter("{http://www.w3.org/2000/svg}text"))
    want = Counter(line for n in data["nodes"] for line in n["label"].split("\n") if line.strip())
    check("SVG node texts are the labels, unescaped", labels == want, f"{sorted((want - labels).elements())[:3]} vs {sorted((labels - want).elements())[:3]}" if labels != want else "")


def check_yed(path, data):
    g = nx.read_graphml(path, force_multigraph=True)
    nodes = {n["id"]: n for n in data["nodes"]}
    check(
        "yEd GraphML loads in networkx.read_graphml with the JSON's nodes and edges",
        set(g.nodes) == set(nodes) and g.number_of_edges() == len(data["edges"]),
        f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges",
    )
    bad = [n for n, d in g.nodes(data=True) if d.get("label") != nodes[n]["label"] or d.get("type") != nodes[n]["type"]]
    check("NetworkX sees every node's label and type", not bad, f"bad: {bad[:3]}" if bad else "")
    bad = [n for n, d in g.nodes(data=True) if d.get("shape_type") != YED_STYLE[nodes[n]["type"]][0]]
    check("NetworkX sees each type's yFiles shape", not bad, f"bad: {bad[:3]}" if bad else "")
    edges = sorted((u, v, d.get("relation"), d.get("label")) for u, v, d in g.edges(data=True))
    want = sorted((e["source"], e["target"], e["relation"], e["relation"]) for e in data["edges"])
    check("NetworkX sees every edge with its relation and label", edges == want)
    y = "{http://www.yworks.com/xml/graphml}"
    gml = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.parse(path).getroot()
    keys = {k.get("yfiles.type") for k in root.iter(f"{gml}key")}
    check("yFiles nodegraphics and edgegraphics keys are declared", {"nodegraphics", "edgegraphics"} <= keys)
    bad = []
    for n in root.iter(f"{gml}node"):
        shape = n.find(f".//{y}ShapeNode")
        want_shape, want_fill = YED_STYLE[nodes[n.get("id")]["type"]]
        if (
            shape is None
            or (shape.find(f"{y}NodeLabel").text or "") != nodes[n.get("id")]["label"]
            or shape.find(f"{y}Fill").get("color") != want_fill
            or shape.find(f"{y}Shape").get("type") != want_shape
        ):
            bad.append(n.get("id"))
    check("every node has a y:ShapeNode with its label, shape and type colour", not bad, f"bad: {bad[:3]}" if bad else "")
    labels = Counter(el.text for el in root.iter(f"{y}EdgeLabel"))
    check("every edge has a y:EdgeLabel naming its relation", labels == Counter(e["relation"] for e in data["edges"]))
    try:
        import igraph

        ig = igraph.Graph.Read_GraphML(str(path))
        check("igraph reads the yEd GraphML", ig.vcount() == len(nodes) and ig.ecount() == len(data["edges"]))
    except ImportError:
        skip("igraph reads the yEd GraphML", "igraph not installed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", required=True)
    ap.add_argument("--jsonld", required=True)
    ap.add_argument("--nt", required=True)
    ap.add_argument("--ttl", required=True)
    ap.add_argument("--csv-dir", required=True)
    ap.add_argument("--dot", required=True)
    ap.add_argument("--yed", required=True)
    ap.add_argument("--expect-said", action="append", default=[], metavar="SPEAKER:WORDS")
    a = ap.parse_args()
    data = json.loads(Path(a.json).read_text(encoding="utf-8"))
    for name, fn in [
        ("Kùzu", lambda: check_kuzu(a.csv_dir, data, a.expect_said)),
        ("RDF", lambda: check_rdf(a.jsonld, a.nt, a.ttl)),
        ("DOT", lambda: check_dot(a.dot, data)),
        ("yEd", lambda: check_yed(a.yed, data)),
    ]:
        try:
            fn()
        except Exception as e:  # a crash is a failed check, with its reason
            check(f"{name} loads", False, f"{type(e).__name__}: {e}")
    passed = sum(results)
    print(f"outlets: {passed} passed, {len(results) - passed} failed, {len(skipped)} skipped")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
