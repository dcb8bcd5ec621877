#!/usr/bin/env python3
"""Hostile corpus through the real CLI, judged by Python: every per-document
graph validates against schema/newsgraph.schema.json, and every span's text
is its slice of the article as Python indexes a str (code points).

    python tests/interop/hostile.py NEWSGRAPH_BIN [--docs N] [--seed S] [--dir GRAPHS]

The corpus (N news-like articles mixed with junk: quotes of every kind,
controls, NUL, BOM, CR, emoji, combining marks, right-to-left text) is
generated from the seed, so a failure is reproducible. With --dir, the
*.json / *.jsonl graph files already in GRAPHS (e.g. dumped by the Rust fuzz
harness, NEWSGRAPH_FUZZ_DUMP) are validated instead.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "newsgraph.schema.json"

PIECES = [
    "Ana Ruiz", "Mr. O'Brien", "Zoë Ñúñez", "the Ministry of Defence", "Reuters", "Lisbon",
    "São Paulo", "a source in the government", "said", "told reporters", "according to",
    "denied", "warned that", "met", "was killed", "will visit", "on Tuesday", "last year",
    "Dec. 17, 2024", "2024-12-19", "at 3 p.m.", "for 48 hours", "every Monday", "the", "of",
    "in", ", ", ". ", "\"", "“", "”", "‘", "’", "'", "«", "»", "\n", "\n\n", "\r\n", "\r",
    "\t", "\x00", "\x01", "\x0b", "\x1b", "\ufeff", "\ufffe", "\uffff", "\u200d", "\u2028",
    "\u0301", "e\u0301\u0302", "👍🏽", "👨‍👩‍👧", "🇺🇦", "مرحبا", "שלום", "\u202e", "中文", "Москва",
    "<b>", "&amp;", "]]>", "...", "?!",
]


def article(rng):
    words = [rng.choice(PIECES) if rng.random() < 0.9 else chr(rng.randrange(0x20, 0x3000))
             for _ in range(rng.randrange(0, 120))]
    return " ".join(words) if rng.random() < 0.7 else "".join(words)


def spans(v, out):
    if isinstance(v, dict):
        if {"doc", "start", "end", "text"} <= v.keys() and isinstance(v["start"], int):
            out.append(v)
        for x in v.values():
            spans(x, out)
    elif isinstance(v, list):
        for x in v:
            spans(x, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20241219)
    ap.add_argument("--dir")
    a = ap.parse_args()
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    texts = {}
    graphs = []
    if a.dir:
        for p in sorted(Path(a.dir).glob("*.json*")):
            # split("\n"), not splitlines(): JSON text may carry U+2028, U+0085, ...
            for line in p.read_text(encoding="utf-8").split("\n") if p.suffix == ".jsonl" else [p.read_text(encoding="utf-8")]:
                if line.strip():
                    graphs.append((p.name, json.loads(line)))
    else:
        rng = random.Random(a.seed)
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "hostile.jsonl"
            with corpus.open("w", encoding="utf-8") as f:
                for i in range(a.docs):
                    texts[f"h{i}"] = article(rng)
                    f.write(json.dumps({"id": f"h{i}", "text": texts[f"h{i}"], "date": "2024-12-19"}) + "\n")
            out = subprocess.run([a.bin, "build", "--jsonl", str(corpus), "--per-document"],
                                 capture_output=True, text=True, encoding="utf-8")
            if out.returncode != 0 or "panicked" in out.stderr:
                print(f"FAIL build exited {out.returncode}: {out.stderr.strip()}")
                return 1
            graphs = [(f"line {n + 1}", json.loads(l)) for n, l in enumerate(out.stdout.split("\n")) if l.strip()]
        if len(graphs) != a.docs:
            print(f"FAIL {len(graphs)} graphs for {a.docs} documents")
            return 1
    failed = 0
    nspans = 0
    for where, g in graphs:
        errors = list(validator.iter_errors(g))
        if errors:
            failed += 1
            print(f"FAIL {where}: {errors[0].message} at {list(errors[0].path)}")
            continue
        found = []
        spans(g, found)
        nspans += len(found)
        for s in found:
            text = texts.get(s["doc"])
            if text is not None and text[s["start"]:s["end"]] != s["text"]:
                failed += 1
                print(f"FAIL {where}: span {s['start']}-{s['end']} is {text[s['start']:s['end']]!r}, not {s['text']!r}")
                break
    print(f"hostile: {len(graphs)} graphs, {nspans} spans, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
