//! JSON-LD 1.1 (schema.org, PROV-O and the newsgraph vocabulary).
//!
//! The document is `{"@context": …, "@graph": […]}`. Every graph node is a
//! node object whose `@id` is built from its stable id; every edge appears
//! twice: as a direct property on its source node (`"about": {"@id": …}`) for
//! easy querying, and as a reified `Relation` node that keeps the evidence
//! spans and the confidence. The context is `schema/context.jsonld`, inlined
//! by default so the output expands offline; every key written is a term of
//! that context or a compact IRI with one of its prefixes, so no key is
//! dropped on expansion.

use crate::graph::{ids, DocumentInfo, Edge, Graph, Node, NodeType, Span};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::LazyLock;

/// The context document, the same bytes as `schema/context.jsonld`.
pub const CONTEXT_DOCUMENT: &str = include_str!("../../schema/context.jsonld");

/// Where `schema/context.jsonld` is published, for `context_iri`.
pub const CONTEXT_IRI: &str = "https://newsgraph.dev/ns/context.jsonld";

/// Node and edge IRIs: this base + the percent-encoded stable id.
pub const ID_BASE: &str = "https://newsgraph.dev/id/";

/// The project vocabulary namespace (prefix `ng:`).
pub const NS: &str = "https://newsgraph.dev/ns#";

/// Relations that have a term in the context; any other relation is written
/// as the compact IRI `ng:<percent-encoded relation>`.
pub const RELATIONS: [&str; 16] = [
    "attributed_to",
    "about",
    "embedded_in",
    "agent",
    "patient",
    "location",
    "time",
    "instrument",
    "located_in",
    "part_of",
    "member_of",
    "leader_of",
    "affiliated_with",
    "nationality",
    "mentioned_in",
    "same_as",
];

/// The parsed `@context` object (the value of the file's `@context` key).
static CONTEXT: LazyLock<Result<Value, String>> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(CONTEXT_DOCUMENT).map_err(|e| e.to_string())?;
    match doc.get("@context") {
        Some(c @ Value::Object(_)) => Ok(c.clone()),
        _ => Err("schema/context.jsonld has no @context object".to_string()),
    }
});

/// The inlined `@context` object.
pub fn context() -> io::Result<&'static Value> {
    CONTEXT.as_ref().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.clone()))
}

pub struct JsonLdWriter<W: Write> {
    w: W,
    pretty: bool,
    context_iri: Option<String>,
}

impl<W: Write> JsonLdWriter<W> {
    pub fn for_writer(w: W) -> Self {
        JsonLdWriter { w, pretty: true, context_iri: None }
    }

    /// Indented (default) or compact, one line.
    pub fn pretty(mut self, pretty: bool) -> Self {
        self.pretty = pretty;
        self
    }

    /// Refer to the context by IRI instead of inlining it (smaller output,
    /// but consumers must be able to fetch the IRI).
    pub fn context_iri(mut self, iri: Option<String>) -> Self {
        self.context_iri = iri;
        self
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let context = match &self.context_iri {
            Some(iri) => Value::String(iri.clone()),
            None => context()?.clone(),
        };
        let doc = LdDocument { context: &context, g };
        if self.pretty {
            serde_json::to_writer_pretty(&mut self.w, &doc)?;
        } else {
            serde_json::to_writer(&mut self.w, &doc)?;
        }
        self.w.write_all(b"\n")?;
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// The whole document; node objects are built one at a time while writing,
/// so memory stays at one node's worth beyond the graph itself.
struct LdDocument<'a> {
    context: &'a Value,
    g: &'a Graph,
}

impl Serialize for LdDocument<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("@context", self.context)?;
        m.serialize_entry("@graph", &LdItems(self.g))?;
        m.end()
    }
}

struct LdItems<'a>(&'a Graph);

impl Serialize for LdItems<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        // Direct properties: the edges leaving each node, grouped by source.
        let mut out_edges: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
        for e in g.edges() {
            out_edges.entry(e.source.as_str()).or_default().push(e);
        }
        let docs: BTreeMap<String, &DocumentInfo> = g.documents().map(|d| (ids::document_id(&d.id), d)).collect();
        let doc_only = docs.iter().filter(|(id, _)| g.node(id).is_none()).map(|(id, d)| document_object(id, d));
        let nodes = g.nodes().map(|n| {
            let edges = out_edges.get(n.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            node_object(n, edges, docs.get(&n.id).copied())
        });
        let relations = g.edges().map(relation_object);
        s.collect_seq(doc_only.chain(nodes).chain(relations))
    }
}

/// The IRI of a node or edge with stable id `id`.
pub fn id_iri(id: &str) -> String {
    let mut out = String::with_capacity(ID_BASE.len() + id.len());
    out.push_str(ID_BASE);
    percent_encode_into(id, true, &mut out);
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `:`
/// when `keep_colon`, which keeps `person:jane-doe` readable; `:` is a
/// legal path character).
fn percent_encode_into(s: &str, keep_colon: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_colon && b == b':') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// A compact IRI in the project namespace for a name the context lacks.
fn ng_key(name: &str) -> String {
    let mut out = String::with_capacity(3 + name.len());
    out.push_str("ng:");
    percent_encode_into(name, false, &mut out);
    out
}

/// The key (and `relation` value) for a relation name.
pub fn relation_term(relation: &str) -> String {
    if RELATIONS.contains(&relation) {
        relation.to_string()
    } else {
        ng_key(relation)
    }
}

fn type_terms(t: NodeType) -> Value {
    match t {
        NodeType::Person => json!("Person"),
        NodeType::Organization => json!("Organization"),
        NodeType::Location => json!("Place"),
        NodeType::Other => json!("Other"),
        NodeType::Event => json!("Event"),
        NodeType::Time => json!("Time"),
        NodeType::Statement => json!(["Statement", "Entity"]),
        NodeType::Document => json!("NewsArticle"),
    }
}

fn span_object(s: &Span) -> Value {
    let mut v = json!({
        "@type": "Span",
        "doc": id_iri(&ids::document_id(&s.doc)),
        "start": s.start,
        "end": s.end,
        "text": s.text,
    });
    if let (Some(kind), Value::Object(m)) = (s.kind, &mut v) {
        m.insert("mentionKind".into(), Value::String(kind.as_str().into()));
    }
    v
}

fn spans(list: &[Span]) -> Value {
    Value::Array(list.iter().map(span_object).collect())
}

fn reference(id: &str) -> Value {
    json!({ "@id": id_iri(id) })
}

/// Unknown fields kept from newer versions: scalars as they are, anything
/// else (and null, which JSON-LD would drop) as its JSON text.
fn put_extras(m: &mut Map<String, Value>, extra: &BTreeMap<String, Value>) {
    for (k, v) in extra {
        let v = match v {
            Value::String(_) | Value::Bool(_) => v.clone(),
            Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => v.clone(),
            other => Value::String(other.to_string()),
        };
        insert_or_append(m, ng_key(k), v);
    }
}

/// Inserts `v` under `k`; if the key is taken (an unknown field and an
/// unknown relation with the same name), keeps both values as an array.
fn insert_or_append(m: &mut Map<String, Value>, k: String, v: Value) {
    match m.get_mut(&k) {
        None => {
            m.insert(k, v);
        }
        Some(Value::Array(a)) => a.push(v),
        Some(old) => {
            let first = std::mem::take(old);
            *old = Value::Array(vec![first, v]);
        }
    }
}

fn put_str(m: &mut Map<String, Value>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        m.insert(key.to_string(), Value::String(v.clone()));
    }
}

fn put_span(m: &mut Map<String, Value>, key: &str, v: Option<&Span>) {
    if let Some(v) = v {
        m.insert(key.to_string(), span_object(v));
    }
}

/// A Document's metadata from the graph's `documents` list.
fn put_document_info(m: &mut Map<String, Value>, d: &DocumentInfo) {
    m.insert("identifier".into(), Value::String(d.id.clone()));
    if !m.contains_key("title") {
        put_str(m, "title", &d.title);
    }
    if !m.contains_key("date") {
        put_str(m, "date", &d.date);
    }
    put_str(m, "url", &d.source);
}

/// A document listed in the graph's metadata that has no Document node.
fn document_object(id: &str, d: &DocumentInfo) -> Value {
    let mut m = Map::new();
    m.insert("@id".into(), Value::String(id_iri(id)));
    m.insert("@type".into(), type_terms(NodeType::Document));
    put_document_info(&mut m, d);
    Value::Object(m)
}

fn node_object(n: &Node, out_edges: &[&Edge], doc: Option<&DocumentInfo>) -> Value {
    let mut m = Map::new();
    m.insert("@id".into(), Value::String(id_iri(&n.id)));
    m.insert("@type".into(), type_terms(n.node_type));
    m.insert("label".into(), Value::String(n.label.clone()));
    if !n.aliases.is_empty() {
        m.insert("aliases".into(), json!(n.aliases));
    }
    if !n.mentions.is_empty() {
        m.insert("mentions".into(), spans(&n.mentions));
    }
    if !n.references.is_empty() {
        m.insert("references".into(), spans(&n.references));
    }
    put_str(&mut m, "subtype", &n.subtype);
    if !n.same_as.is_empty() {
        m.insert("sameAs".into(), json!(n.same_as));
    }
    put_str(&mut m, "event_type", &n.event_type);
    put_span(&mut m, "trigger", n.trigger.as_ref());
    put_str(&mut m, "modality", &n.modality);
    put_str(&mut m, "value", &n.value);
    put_str(&mut m, "timex_type", &n.timex_type);
    put_str(&mut m, "kind", &n.kind);
    put_span(&mut m, "cue", n.cue.as_ref());
    put_span(&mut m, "content", n.content.as_ref());
    put_span(&mut m, "source_span", n.source.span());
    put_str(&mut m, "date", &n.date);
    put_str(&mut m, "title", &n.title);
    if let Some(d) = doc {
        put_document_info(&mut m, d);
    }
    put_extras(&mut m, &n.extra);
    // Edges are in id order; group by relation so each key appears once.
    let mut by_rel: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for e in out_edges {
        by_rel.entry(relation_term(&e.relation)).or_default().push(reference(&e.target));
    }
    for (k, mut v) in by_rel {
        let v = match v.len() {
            1 => v.pop().unwrap_or_default(),
            _ => Value::Array(v),
        };
        insert_or_append(&mut m, k, v);
    }
    Value::Object(m)
}

fn relation_object(e: &Edge) -> Value {
    let mut m = Map::new();
    m.insert("@id".into(), Value::String(id_iri(&e.id)));
    m.insert("@type".into(), json!("Relation"));
    m.insert("source".into(), Value::String(id_iri(&e.source)));
    m.insert("target".into(), Value::String(id_iri(&e.target)));
    m.insert("relation".into(), Value::String(relation_term(&e.relation)));
    if e.confidence.is_finite() {
        m.insert("confidence".into(), json!(e.confidence));
    }
    if !e.evidence.is_empty() {
        m.insert("evidence".into(), spans(&e.evidence));
    }
    put_extras(&mut m, &e.extra);
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testkit::{jsonld_triples, sample_graph};
    use oxjsonld::JsonLdParser;
    use oxrdf::{NamedNodeRef, Term};

    fn jsonld(g: &Graph) -> String {
        let out = JsonLdWriter::for_writer(Vec::new()).serialize_graph(g).unwrap().finish().unwrap();
        String::from_utf8(out).unwrap()
    }


    #[test]
    fn snapshot() {
        insta::assert_snapshot!("sample_jsonld", jsonld(&sample_graph()));
    }

    #[test]
    fn inlined_context_is_schema_context_jsonld() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/context.jsonld");
        let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let out: Value = serde_json::from_str(&jsonld(&sample_graph())).unwrap();
        assert_eq!(out["@context"], file["@context"]);
        let ctx = file["@context"].as_object().unwrap();
        for r in RELATIONS {
            assert!(ctx.contains_key(r), "relation {r} has no term");
        }
        assert_eq!(ctx["ng"], NS);
        assert_eq!(ctx["ngid"], ID_BASE);
    }

    /// Every `ng:` IRI the context uses is defined in the RDFS vocabulary.
    #[test]
    fn rdfs_vocabulary_defines_every_ng_term() {
        let ttl = include_str!("../../schema/ng.ttl");
        let ctx = context().unwrap().as_object().unwrap();
        for (term, def) in ctx {
            let iri = match def {
                Value::String(s) => s.as_str(),
                Value::Object(o) => o.get("@id").and_then(Value::as_str).unwrap_or_default(),
                _ => continue,
            };
            if let Some(local) = iri.strip_prefix("ng:") {
                assert!(ttl.contains(&format!("\nng:{local} a ")), "ng:{local} (term {term}) not in schema/ng.ttl");
            }
        }
    }

    #[test]
    fn vocabulary_page_lists_every_relation() {
        let page = include_str!("../../schema/vocabulary.md");
        for r in RELATIONS {
            assert!(page.contains(&format!("`{r}`")), "schema/vocabulary.md lacks {r}");
        }
    }

    /// No undefined term: every key and type expands to an absolute IRI, and
    /// a JSON-LD processor (oxjsonld) turns every value written into a triple.
    #[test]
    fn every_key_maps_to_an_iri_and_becomes_a_triple() {
        let text = jsonld(&sample_graph());
        let doc: Value = serde_json::from_str(&text).unwrap();
        let ctx = doc["@context"].as_object().unwrap();
        let mut bad = Vec::new();
        let expected = jsonld_triples(ctx, &doc, &mut bad);
        assert!(bad.is_empty(), "undefined: {bad:?}");
        let quads: Vec<_> = JsonLdParser::new().for_slice(&text).collect::<Result<_, _>>().unwrap();
        assert_eq!(quads.len(), expected, "a key was dropped on expansion");
        for q in &quads {
            assert!(q.predicate.as_str().starts_with("http"), "{q}");
        }
        let has = |p: &str, o: &str| {
            let (p, o) = (NamedNodeRef::new(p).unwrap(), Term::from(NamedNodeRef::new(o).unwrap().into_owned()));
            quads.iter().any(|q| q.predicate == p && q.object == o)
        };
        let rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
        assert!(has(rdf_type, "http://www.w3.org/ns/prov#Entity"));
        assert!(has(rdf_type, "https://schema.org/Place"));
        assert!(has(rdf_type, "https://schema.org/NewsArticle"));
        // The reified edge names the relation by the same IRI as the direct property.
        assert!(has("https://newsgraph.dev/ns#relation", "http://www.w3.org/ns/prov#wasAttributedTo"));
        assert!(has("http://www.w3.org/ns/prov#wasAttributedTo", "https://newsgraph.dev/id/person:ana-ruiz"));
        assert!(has("https://newsgraph.dev/ns#relation", "https://newsgraph.dev/ns#quoted_by"));
        assert!(has("https://schema.org/sameAs", "https://sws.geonames.org/2267057/"));
        assert!(has("https://newsgraph.dev/ns#doc", "https://newsgraph.dev/id/doc:lisbon-bridge"));
    }

    #[test]
    fn odd_ids_and_fields_stay_valid() {
        let mut g = Graph::new();
        let mut n = Node::new("person:zoë o'brien/\"x\"#1 \u{1}", NodeType::Person, "Zoë\u{0}");
        n.extra.insert("weird key: ∀".into(), json!({"nested": [1, null]}));
        n.extra.insert("null".into(), Value::Null);
        g.add_node(n);
        g.add_node(Node::new("@type", NodeType::Other, ""));
        g.add_edge(Edge::new("@type", "has space", "person:zoë o'brien/\"x\"#1 \u{1}", f64::NAN));
        g.add_document(DocumentInfo { id: "no node".into(), title: None, date: None, source: None });
        let text = jsonld(&g);
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut bad = Vec::new();
        let expected = jsonld_triples(doc["@context"].as_object().unwrap(), &doc, &mut bad);
        assert!(bad.is_empty(), "undefined: {bad:?}");
        let quads: Vec<_> = JsonLdParser::new().for_slice(&text).collect::<Result<_, _>>().unwrap();
        assert_eq!(quads.len(), expected);
        assert_eq!(id_iri("a b/ë:c"), "https://newsgraph.dev/id/a%20b%2F%C3%AB:c");
    }

    #[test]
    fn empty_graph_and_context_iri() {
        let text = jsonld(&Graph::new());
        assert!(JsonLdParser::new().for_slice(&text).next().is_none());
        let out = JsonLdWriter::for_writer(Vec::new())
            .pretty(false)
            .context_iri(Some(CONTEXT_IRI.into()))
            .serialize_graph(&Graph::new())
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{{\"@context\":\"{CONTEXT_IRI}\",\"@graph\":[]}}\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever the ids, names and field names, the output is JSON-LD
        /// that a processor reads without dropping anything.
        #[test]
        fn any_strings_give_complete_json_ld(id in "\\PC{0,12}|.{0,6}", label in ".{0,12}", rel in ".{0,8}", field in ".{0,8}") {
            let mut g = Graph::new();
            let mut n = Node::new(id.clone(), NodeType::Person, label.clone());
            n.aliases.push(label);
            n.extra.insert(field, json!([id.clone()]));
            g.add_node(n);
            g.add_node(Node::new("b", NodeType::Statement, "x"));
            g.add_edge(Edge::new("b", &rel, &id, 0.5));
            let text = jsonld(&g);
            let doc: Value = serde_json::from_str(&text).unwrap();
            let mut bad = Vec::new();
            let expected = jsonld_triples(doc["@context"].as_object().unwrap(), &doc, &mut bad);
            proptest::prop_assert!(bad.is_empty(), "undefined: {:?}", bad);
            let quads: Vec<_> = JsonLdParser::new().for_slice(&text).collect::<Result<_, _>>().unwrap();
            proptest::prop_assert_eq!(quads.len(), expected);
        }
    }
}
