#!/usr/bin/env python3
"""Interop check: the same newsgraph graph as JSON, GraphML and JSON-LD must
load in the tools people use, and say the same thing.

    python tests/interop/check.py GRAPH.json GRAPH.graphml GRAPH.jsonld [--schema PATH]

- JSON: validates against schema/newsgraph.schema.json (jsonschema, 2020-12)
  and loads with networkx.node_link_graph(data, edges="edges").
- GraphML: loads with networkx.read_graphml and igraph; same node ids and
  edge count as the JSON; every node has `type` and `label`, every edge `relation`.
- JSON-LD: expands with pyld (offline: the context is inlined) without
  dropping a single key (no undefined term), every expanded property and
  type is an absolute IRI; parses with rdflib into > 0 triples, the same
  number pyld's toRdf gives (isomorphic graphs up to 20000 triples).
- Vocabulary: every ng: IRI of schema/context.jsonld is defined in
  schema/ng.ttl.

Prints one line per check and a closing "interop: N passed, M failed";
exits 1 if any check failed.
"""

import argparse
import json
import math
import sys
from pathlib import Path

import igraph
import jsonschema
import networkx as nx
import rdflib
from rdflib.compare import isomorphic
from pyld import jsonld

HERE = Path(__file__).resolve().parent
DEFAULT_SCHEMA = HERE.parent.parent / "schema" / "newsgraph.schema.json"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def no_network_loader(url, options=None):
    raise jsonld.JsonLdError(
        f"refusing to fetch {url}: the context must be inlined", "loading document failed"
    )


def count_keys(value):
    """Non-keyword keys in all objects (keywords start with '@')."""
    if isinstance(value, dict):
        return sum(
            (0 if k.startswith("@") else 1) + count_keys(v)
            for k, v in value.items()
            if k != "@context"
        )
    if isinstance(value, list):
        return sum(count_keys(v) for v in value)
    return 0


# Expansion resolves an undefined type or IRI against the base; with this
# base, anything that needed it stands out.
SENTINEL_BASE = "https://undefined.invalid/"


def relative_terms(value, found):
    """Keys, types and IRIs in expanded JSON-LD that are not absolute IRIs of our own."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not k.startswith("@") and (":" not in k or k.startswith(SENTINEL_BASE)):
                found.add(k)
            if k in ("@type", "@id") and "@value" not in value:
                for t in v if isinstance(v, list) else [v]:
                    if ":" not in t or t.startswith(SENTINEL_BASE):
                        found.add(t)
            relative_terms(v, found)
    elif isinstance(value, list):
        for v in value:
            relative_terms(v, found)
    return found


def check_json(path, schema_path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path)
    )
    detail = "; ".join(
        f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message[:200]}" for e in errors[:5]
    )
    check("JSON valid against newsgraph.schema.json", not errors, detail)
    g = nx.node_link_graph(data, edges="edges")
    check(
        "JSON loads in networkx.node_link_graph",
        g.number_of_nodes() == len(data["nodes"]) and g.number_of_edges() == len(data["edges"]),
        f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges",
    )
    return data, g


def check_graphml(path, data, g_json):
    g = nx.read_graphml(path, force_multigraph=True)
    check(
        "GraphML loads in networkx.read_graphml with the JSON's counts",
        g.number_of_nodes() == g_json.number_of_nodes()
        and g.number_of_edges() == g_json.number_of_edges(),
        f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
        f"(JSON: {g_json.number_of_nodes()}, {g_json.number_of_edges()})",
    )
    check("GraphML node ids are the JSON node ids", set(g.nodes) == set(g_json.nodes))
    json_edges = sorted((e["source"], e["target"], e["relation"]) for e in data["edges"])
    gm_edges = sorted((u, v, d.get("relation")) for u, v, d in g.edges(data=True))
    check("GraphML edges are the JSON edges (source, target, relation)", gm_edges == json_edges)
    missing = [n for n, d in g.nodes(data=True) if "type" not in d or "label" not in d]
    check("every GraphML node has type and label", not missing, f"missing on {missing[:3]}" if missing else "")
    bad_conf = [
        (u, v)
        for u, v, d in g.edges(data=True)
        if not isinstance(d.get("confidence"), float) or not math.isfinite(d["confidence"])
    ]
    check("every GraphML edge has a float confidence", not bad_conf, f"bad on {bad_conf[:3]}" if bad_conf else "")
    ig = igraph.Graph.Read_GraphML(str(path))
    check(
        "GraphML loads in igraph with the JSON's counts",
        ig.vcount() == g_json.number_of_nodes() and ig.ecount() == g_json.number_of_edges(),
        f"{ig.vcount()} vertices, {ig.ecount()} edges",
    )
    bad_ev = []
    for u, v, d in g.edges(data=True):
        try:
            if not isinstance(json.loads(d.get("evidence", "[]")), list):
                bad_ev.append((u, v))
        except ValueError:
            bad_ev.append((u, v))
    check("GraphML evidence is JSON text of a list", not bad_ev, f"bad on {bad_ev[:3]}" if bad_ev else "")


def check_vocabulary(context_path, ttl_path):
    """Every ng: IRI of the context is defined in schema/ng.ttl."""
    ctx = json.loads(Path(context_path).read_text(encoding="utf-8"))["@context"]
    ns = ctx["ng"]
    used = set()
    for v in ctx.values():
        iri = v.get("@id") if isinstance(v, dict) else v
        if isinstance(iri, str) and iri.startswith("ng:"):
            used.add(ns + iri[3:])
    g = rdflib.Graph().parse(str(ttl_path), format="turtle")
    defined = {str(s) for s in g.subjects() if str(s).startswith(ns)}
    missing = sorted(used - defined)
    check("schema/ng.ttl defines every ng: term of the context", not missing, f"{missing[:5]}" if missing else "")


def check_jsonld(path):
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    check("JSON-LD context is inlined", isinstance(doc.get("@context"), dict))
    options = {"documentLoader": no_network_loader, "base": SENTINEL_BASE}
    expanded = jsonld.expand(doc, options)
    before, after = count_keys(doc), count_keys(expanded)
    check(
        "pyld expand keeps every key (no undefined term)",
        before == after and before > 0,
        f"{before} keys written, {after} after expansion",
    )
    rel = relative_terms(expanded, set())
    detail = f"{sorted(rel)[:5]}" if rel else ""
    check("every expanded property, type and @id is an absolute IRI", not rel, detail)
    nquads = jsonld.to_rdf(doc, {**options, "format": "application/n-quads"})
    ref = rdflib.Graph()
    ref.parse(data=nquads, format="nquads")
    g = rdflib.Graph()
    g.parse(data=Path(path).read_text(encoding="utf-8"), format="json-ld")
    if len(g) <= 20000:
        # Same triples up to blank-node names: both processors read every term alike.
        same, how = isomorphic(g, ref), "isomorphic"
    else:  # canonicalisation is slow on big graphs; counts still catch dropped terms
        same, how = len(g) == len(ref), "same count"
    check(
        "rdflib parses JSON-LD into the same triples as pyld",
        len(g) > 0 and same,
        f"rdflib {len(g)} triples, pyld {len(ref)}, {how if same else 'different'}",
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json")
    ap.add_argument("graphml")
    ap.add_argument("jsonld")
    ap.add_argument("--schema", default=str(DEFAULT_SCHEMA))
    a = ap.parse_args()
    for name, fn in [
        ("JSON", lambda: check_json(a.json, a.schema)),
    ]:
        try:
            data, g_json = fn()
        except Exception as e:  # a crash is a failed check, with its reason
            check(f"{name} loads", False, f"{type(e).__name__}: {e}")
            data, g_json = None, None
    if data is not None:
        try:
            check_graphml(a.graphml, data, g_json)
        except Exception as e:
            check("GraphML loads", False, f"{type(e).__name__}: {e}")
    try:
        schema_dir = Path(a.schema).parent
        check_vocabulary(schema_dir / "context.jsonld", schema_dir / "ng.ttl")
    except Exception as e:
        check("vocabulary loads", False, f"{type(e).__name__}: {e}")
    try:
        check_jsonld(a.jsonld)
    except Exception as e:
        check("JSON-LD loads", False, f"{type(e).__name__}: {e}")
    passed = sum(results)
    print(f"interop: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
