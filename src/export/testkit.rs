//! A small hand-built graph (an invented article) that exercises every node
//! type, span field and relation kind, for the exporters' tests and snapshots.

use crate::graph::{ids, DocumentInfo, Edge, Graph, Node, NodeType, SourceField, Span};
use serde_json::{Map, Value};

pub const DOC: &str = "lisbon-bridge";

pub const TEXT: &str = "Lisbon bridge to reopen\n\n\
Mayor Ana Ruiz said on Tuesday that the Tagus bridge in Lisbon would reopen \
after repairs. \"We expect traffic by Friday,\" Ruiz told the Portuguese \
news agency Lusa.";

/// The span of the `nth` occurrence of `needle` in `TEXT`, in code points.
pub fn span(needle: &str, nth: usize) -> Span {
    let byte = TEXT.match_indices(needle).nth(nth).map(|(i, _)| i).unwrap_or(0);
    let start = TEXT[..byte].chars().count();
    Span { doc: DOC.to_string(), start, end: start + needle.chars().count(), text: needle.to_string(), kind: None }
}

pub fn sample_graph() -> Graph {
    let mut g = Graph::new();
    g.add_document(DocumentInfo {
        id: DOC.into(),
        title: Some("Lisbon bridge to reopen".into()),
        date: Some("2024-03-10".into()),
        source: Some("https://news.example/lisbon-bridge".into()),
    });
    let doc = ids::document_id(DOC);
    let mut d = Node::new(&doc, NodeType::Document, "Lisbon bridge to reopen");
    d.title = Some("Lisbon bridge to reopen".into());
    d.date = Some("2024-03-10".into());
    g.add_node(d);

    let mut ruiz = Node::new("person:ana-ruiz", NodeType::Person, "Ana Ruiz");
    ruiz.aliases = vec!["Ruiz".into()];
    ruiz.mentions = vec![span("Ana Ruiz", 0), span("Ruiz", 1)];
    g.add_node(ruiz);

    let mut lisbon = Node::new("location:geonames:2267057", NodeType::Location, "Lisbon");
    lisbon.subtype = Some("city".into());
    lisbon.same_as = vec!["https://sws.geonames.org/2267057/".into()];
    lisbon.mentions = vec![span("Lisbon", 0), span("Lisbon", 1)];
    g.add_node(lisbon);

    let mut lusa = Node::new("organization:lusa", NodeType::Organization, "Lusa");
    lusa.subtype = Some("agency".into());
    lusa.mentions = vec![span("Lusa", 0)];
    // A field from a newer version: kept through every format.
    lusa.extra.insert("wikidata".into(), serde_json::json!("Q1571839"));
    g.add_node(lusa);

    let mut pt = Node::new("other:portuguese", NodeType::Other, "Portuguese");
    pt.subtype = Some("nationality".into());
    pt.mentions = vec![span("Portuguese", 0)];
    g.add_node(pt);

    let mut tue = Node::new("time:2024-03-05", NodeType::Time, "2024-03-05");
    tue.aliases = vec!["Tuesday".into()];
    tue.mentions = vec![span("Tuesday", 0)];
    tue.value = Some("2024-03-05".into());
    tue.timex_type = Some("DATE".into());
    g.add_node(tue);

    let trig = span("reopen", 1);
    let ev_id = ids::span_id("event", DOC, trig.start, trig.end);
    let mut ev = Node::new(&ev_id, NodeType::Event, "reopen");
    ev.mentions = vec![trig.clone()];
    ev.trigger = Some(trig);
    ev.event_type = Some("Transport.Reopen".into());
    ev.modality = Some("planned".into());
    g.add_node(ev);

    let content = span("the Tagus bridge in Lisbon would reopen after repairs", 0);
    let st_id = ids::span_id("statement", DOC, content.start, content.end);
    let mut st = Node::new(&st_id, NodeType::Statement, "the Tagus bridge in Lisbon would reopen…");
    st.mentions = vec![content.clone()];
    st.kind = Some("indirect".into());
    st.cue = Some(span("said", 0));
    st.content = Some(content.clone());
    st.source = SourceField::Span(span("Mayor Ana Ruiz", 0));
    st.modality = Some("claimed".into());
    g.add_node(st);

    let quote = span("We expect traffic by Friday,", 0);
    let q_id = ids::span_id("statement", DOC, quote.start, quote.end);
    let mut q = Node::new(&q_id, NodeType::Statement, "We expect traffic by Friday,");
    q.mentions = vec![quote.clone()];
    q.kind = Some("direct".into());
    q.cue = Some(span("told", 0));
    q.content = Some(quote.clone());
    q.source = SourceField::Null;
    g.add_node(q);

    let mut edge = |from: &str, rel: &str, to: &str, ev: Vec<Span>, conf: f64| {
        let mut e = Edge::new(from, rel, to, conf);
        e.evidence = ev;
        g.add_edge(e);
    };
    edge(&st_id, "attributed_to", "person:ana-ruiz", vec![span("Mayor Ana Ruiz", 0)], 0.9);
    edge(&q_id, "attributed_to", "person:ana-ruiz", vec![span("Ruiz", 1)], 0.85);
    edge(&st_id, "about", &ev_id, vec![content.clone()], 0.8);
    edge(&st_id, "about", "location:geonames:2267057", vec![content], 0.8);
    edge(&ev_id, "location", "location:geonames:2267057", vec![span("in Lisbon", 0)], 0.8);
    edge(&ev_id, "time", "time:2024-03-05", vec![], 0.7);
    edge("organization:lusa", "affiliated_with", "other:portuguese", vec![span("Portuguese news agency Lusa", 0)], 0.6);
    // A relation outside the vocabulary: written under the ng: namespace.
    edge(
        "person:ana-ruiz",
        "quoted_by",
        "organization:lusa",
        vec![span("told the Portuguese news agency Lusa", 0)],
        0.5,
    );
    for id in
        ["person:ana-ruiz", "location:geonames:2267057", "organization:lusa", "time:2024-03-05", &ev_id, &st_id, &q_id]
    {
        edge(id, "mentioned_in", &doc, vec![], 1.0);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::json::JsonWriter;

    #[test]
    fn spans_are_code_point_slices() {
        for n in sample_graph().nodes() {
            for s in &n.mentions {
                let got: String = TEXT.chars().skip(s.start).take(s.end - s.start).collect();
                assert_eq!(got, s.text, "{}", n.id);
            }
        }
    }

    #[test]
    fn json_snapshot() {
        let g = sample_graph();
        let out = JsonWriter::for_writer(Vec::new()).pretty(true).serialize_graph(&g).unwrap().finish().unwrap();
        insta::assert_snapshot!("sample_json", String::from_utf8(out).unwrap());
    }

    /// The Python interop check's fixture is this graph.
    #[test]
    fn interop_fixture_is_the_sample_graph() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/sample.json");
        let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(fixture, serde_json::to_value(sample_graph().to_data()).unwrap(), "refresh {path}");
    }

    /// Every field the JSON writer emits is described in the JSON Schema, so
    /// a new field cannot land without its schema entry.
    #[test]
    fn schema_describes_every_written_field() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/newsgraph.schema.json")).unwrap();
        let data = serde_json::to_value(sample_graph().to_data()).unwrap();
        let defs = &schema["$defs"];
        let known = |def: &str, key: &str| defs[def]["properties"].get(key).is_some();
        for n in data["nodes"].as_array().unwrap() {
            for k in n.as_object().unwrap().keys() {
                // `wikidata` is the fixture's stand-in for a field from a newer version.
                assert!(known("Node", k) || k == "wikidata", "node field {k} missing from the schema");
            }
        }
        for e in data["edges"].as_array().unwrap() {
            for k in e.as_object().unwrap().keys() {
                assert!(known("Edge", k), "edge field {k} missing from the schema");
            }
        }
        for k in data.as_object().unwrap().keys() {
            assert!(schema["properties"].get(k).is_some(), "top-level field {k} missing from the schema");
        }
        for k in ["Event", "Time", "Statement"] {
            assert!(schema.to_string().contains(&format!("\"const\":\"{k}\"")), "no rule for {k}");
        }
    }
}

/// The IRI a key or type expands to under the inlined context, if any.
pub fn jsonld_expand(ctx: &Map<String, Value>, term: &str) -> Option<String> {
    let def = match ctx.get(term) {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Object(o)) => o.get("@id").and_then(Value::as_str),
        _ => None,
    };
    let compact = def.unwrap_or(term);
    let (prefix, suffix) = compact.split_once(':')?;
    if prefix.starts_with('@') || suffix.starts_with("//") {
        return None;
    }
    match ctx.get(prefix) {
        Some(Value::String(ns)) if ns.starts_with("http") => Some(format!("{ns}{suffix}")),
        _ => None,
    }
}

/// Checks every key and type against the context; returns how many triples
/// the node objects in `v` stand for, so a test can compare it with the
/// triples an RDF parser got (a dropped key shows as a shortfall).
pub fn jsonld_triples(ctx: &Map<String, Value>, v: &Value, bad: &mut Vec<String>) -> usize {
    match v {
        Value::Array(a) => a.iter().map(|x| jsonld_triples(ctx, x, bad)).sum(),
        Value::Object(o) => {
            let mut n = 0;
            for (k, val) in o {
                let vals: Vec<&Value> = match val {
                    Value::Array(a) => a.iter().collect(),
                    one => vec![one],
                };
                match k.as_str() {
                    "@id" | "@context" => {}
                    "@graph" => n += jsonld_triples(ctx, val, bad),
                    "@type" => {
                        for t in vals {
                            if jsonld_expand(ctx, t.as_str().unwrap_or_default()).is_none() {
                                bad.push(format!("type {t}"));
                            }
                            n += 1;
                        }
                    }
                    k if k.starts_with('@') => bad.push(format!("keyword {k}")),
                    k => {
                        if jsonld_expand(ctx, k).is_none() {
                            bad.push(format!("key {k}"));
                        }
                        for x in vals {
                            n += 1;
                            let is_ref = x.as_object().is_some_and(|m| m.len() == 1 && m.contains_key("@id"));
                            if x.is_object() && !is_ref {
                                n += jsonld_triples(ctx, x, bad);
                            }
                        }
                    }
                }
            }
            n
        }
        _ => 0,
    }
}
