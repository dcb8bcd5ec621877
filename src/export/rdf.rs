//! RDF as N-Triples or Turtle: exactly the triples of the JSON-LD output.
//!
//! Rather than a second mapping from the graph to RDF that could drift
//! from `jsonld.rs`, the graph is written as JSON-LD, read back with a
//! JSON-LD 1.1 processor (oxjsonld) and serialized with oxttl. Blank nodes
//! (spans, which have no identity of their own) are renamed `b0`, `b1`, …
//! in order of first appearance, so the output is deterministic. Turtle
//! uses the prefixes of `schema/context.jsonld` and lists each subject's
//! triples together.
//!
//! Memory: the JSON-LD text of the graph is held while converting.

use super::jsonld::{context, JsonLdWriter};
use crate::graph::Graph;
use oxjsonld::JsonLdParser;
use oxrdf::{BlankNode, NamedOrBlankNode, Term, Triple};
use oxttl::{NTriplesSerializer, TurtleSerializer};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{self, Write};

/// The syntax to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfSyntax {
    NTriples,
    Turtle,
}

pub struct RdfWriter<W: Write> {
    w: W,
    syntax: RdfSyntax,
}

impl<W: Write> RdfWriter<W> {
    pub fn for_writer(w: W, syntax: RdfSyntax) -> Self {
        RdfWriter { w, syntax }
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let ld = JsonLdWriter::for_writer(Vec::new()).pretty(false).serialize_graph(g)?.finish()?;
        let mut triples = Triples { quads: JsonLdParser::new().for_slice(&ld), names: HashMap::new() };
        match self.syntax {
            RdfSyntax::NTriples => {
                let mut s = NTriplesSerializer::new().for_writer(&mut self.w);
                for t in triples.by_ref() {
                    s.serialize_triple(&t?)?;
                }
                s.finish();
            }
            RdfSyntax::Turtle => {
                let mut ser = TurtleSerializer::new();
                for (prefix, iri) in prefixes()? {
                    ser = ser.with_prefix(prefix, iri).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                }
                // Turtle groups a subject's triples only when they are adjacent:
                // order by subject, in order of first appearance.
                let triples: Vec<Triple> = triples.by_ref().collect::<io::Result<_>>()?;
                let mut first: HashMap<&NamedOrBlankNode, usize> = HashMap::new();
                for t in &triples {
                    let next = first.len();
                    first.entry(&t.subject).or_insert(next);
                }
                let mut order: Vec<(usize, &Triple)> =
                    triples.iter().map(|t| (first.get(&t.subject).copied().unwrap_or(0), t)).collect();
                order.sort_by_key(|(k, _)| *k);
                let mut s = ser.for_writer(&mut self.w);
                for (_, t) in order {
                    s.serialize_triple(t)?;
                }
                s.finish()?;
            }
        }
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// The context's prefix definitions (`"schema": "https://schema.org/"`), in name order.
pub fn prefixes() -> io::Result<Vec<(&'static str, &'static str)>> {
    let ctx = context()?.as_object().into_iter().flatten();
    let mut out: Vec<_> = ctx
        .filter_map(|(k, v)| match v {
            Value::String(iri)
                if !k.starts_with('@') && iri.starts_with("http") && (iri.ends_with('/') || iri.ends_with('#')) =>
            {
                Some((k.as_str(), iri.as_str()))
            }
            _ => None,
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The parsed triples with blank nodes renamed in order of appearance.
struct Triples<I> {
    quads: I,
    names: HashMap<BlankNode, BlankNode>,
}

impl<I> Triples<I> {
    fn rename(&mut self, b: BlankNode) -> BlankNode {
        let next = self.names.len();
        self.names.entry(b).or_insert_with(|| BlankNode::new_unchecked(format!("b{next}"))).clone()
    }
}

impl<I, E> Iterator for Triples<I>
where
    I: Iterator<Item = Result<oxrdf::Quad, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    type Item = io::Result<Triple>;

    fn next(&mut self) -> Option<io::Result<Triple>> {
        let q = match self.quads.next()? {
            Ok(q) => q,
            Err(e) => return Some(Err(io::Error::new(io::ErrorKind::InvalidData, e))),
        };
        let subject = match q.subject {
            NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::BlankNode(self.rename(b)),
            s => s,
        };
        let object = match q.object {
            Term::BlankNode(b) => Term::BlankNode(self.rename(b)),
            o => o,
        };
        Some(Ok(Triple::new(subject, q.predicate, object)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testkit::sample_graph;
    use crate::graph::{Edge, Node, NodeType};
    use std::collections::BTreeSet;

    fn rdf(g: &Graph, syntax: RdfSyntax) -> String {
        String::from_utf8(RdfWriter::for_writer(Vec::new(), syntax).serialize_graph(g).unwrap().finish().unwrap())
            .unwrap()
    }

    /// The triples of a document, blank nodes by name.
    fn parsed(text: &str, syntax: RdfSyntax) -> BTreeSet<String> {
        let out: Vec<String> = match syntax {
            RdfSyntax::NTriples => {
                oxttl::NTriplesParser::new().for_slice(text.as_bytes()).map(|t| t.unwrap().to_string()).collect()
            }
            RdfSyntax::Turtle => {
                oxttl::TurtleParser::new().for_slice(text.as_bytes()).map(|t| t.unwrap().to_string()).collect()
            }
        };
        let set: BTreeSet<String> = out.iter().cloned().collect();
        assert_eq!(set.len(), out.len(), "duplicate triples");
        set
    }

    #[test]
    fn snapshots() {
        let g = sample_graph();
        insta::assert_snapshot!("sample_ntriples", rdf(&g, RdfSyntax::NTriples));
        insta::assert_snapshot!("sample_turtle", rdf(&g, RdfSyntax::Turtle));
    }

    /// Both syntaxes hold the same triples, as many as the JSON-LD expands to.
    #[test]
    fn turtle_and_ntriples_are_the_json_ld_triples() {
        let g = sample_graph();
        let nt = parsed(&rdf(&g, RdfSyntax::NTriples), RdfSyntax::NTriples);
        let ttl = parsed(&rdf(&g, RdfSyntax::Turtle), RdfSyntax::Turtle);
        assert_eq!(nt, ttl);
        let ld = JsonLdWriter::for_writer(Vec::new()).serialize_graph(&g).unwrap().finish().unwrap();
        assert_eq!(nt.len(), JsonLdParser::new().for_slice(&ld).count());
        assert!(nt.contains(
            "<https://newsgraph.dev/id/person:ana-ruiz> <http://www.w3.org/2000/01/rdf-schema#label> \"Ana Ruiz\""
        ));
        assert!(nt.iter().any(|t| t.starts_with("_:b0 ")), "blank nodes renamed");
        let ttl_text = rdf(&g, RdfSyntax::Turtle);
        assert!(ttl_text.contains("@prefix schema: <https://schema.org/> ."));
        assert!(ttl_text.contains("schema:Person"));
    }

    #[test]
    fn deterministic_and_odd_strings_round_trip() {
        let g = sample_graph();
        assert_eq!(rdf(&g, RdfSyntax::Turtle), rdf(&g, RdfSyntax::Turtle));
        let mut g = Graph::new();
        let label = "He said \"no\"\\\n\r\tthen 🚀 שלום e\u{301} \u{1}";
        g.add_node(Node::new("person:zoë o'brien/\"x\"#1", NodeType::Person, label));
        g.add_node(Node::new("s", NodeType::Statement, ""));
        g.add_edge(Edge::new("s", "has space", "person:zoë o'brien/\"x\"#1", 0.5));
        for syntax in [RdfSyntax::NTriples, RdfSyntax::Turtle] {
            let triples = parsed(&rdf(&g, syntax), syntax);
            let want = oxrdf::Literal::new_simple_literal(label).to_string();
            assert!(triples.iter().any(|t| t.ends_with(&want)), "{syntax:?}: {triples:?}");
        }
    }

    #[test]
    fn empty_graph() {
        assert_eq!(rdf(&Graph::new(), RdfSyntax::NTriples), "");
        assert!(parsed(&rdf(&Graph::new(), RdfSyntax::Turtle), RdfSyntax::Turtle).is_empty());
    }
}
