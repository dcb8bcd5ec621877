//! The event knowledge graph: typed nodes and edges with stable string ids,
//! provenance spans on everything, and merging by id.
//!
//! petgraph holds the structure (for queries and algorithms); the string
//! ids are the identity, so graphs built apart merge by id.

pub mod build;
pub mod ids;
pub mod load;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use build::{build_document_graph, build_document_parts, DocumentParts};

/// A span of a document: code-point offsets, half-open, and the text itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NodeType {
    Person,
    Organization,
    Location,
    Other,
    Event,
    Time,
    Statement,
    Document,
}

impl NodeType {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeType::Person => "Person",
            NodeType::Organization => "Organization",
            NodeType::Location => "Location",
            NodeType::Other => "Other",
            NodeType::Event => "Event",
            NodeType::Time => "Time",
            NodeType::Statement => "Statement",
            NodeType::Document => "Document",
        }
    }

    pub const ALL: [NodeType; 8] = [
        NodeType::Person,
        NodeType::Organization,
        NodeType::Location,
        NodeType::Other,
        NodeType::Event,
        NodeType::Time,
        NodeType::Statement,
        NodeType::Document,
    ];
}

/// A node. Type-specific fields are present only on nodes of that type
/// (see the contract and `schema/newsgraph.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    #[serde(rename = "type")]
    pub node_type: NodeType,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub mentions: Vec<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// External identifiers (e.g. a GeoNames URI), for `sameAs`.
    #[serde(default, rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<String>,
    // Event
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
    // Time
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timex_type: Option<String>,
    // Statement
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Span>,
    /// Statement: the words naming the speaker (always present on Statements, maybe null).
    #[serde(default, skip_serializing_if = "SourceField::is_absent")]
    pub source: SourceField,
    // Document
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Fields this version does not know, kept so that merging never drops data.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A Statement's `source`: absent on other nodes, `null` or a span on Statements.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SourceField {
    #[default]
    Absent,
    Null,
    Span(Span),
}

impl SourceField {
    pub fn is_absent(&self) -> bool {
        matches!(self, SourceField::Absent)
    }
    pub fn span(&self) -> Option<&Span> {
        match self {
            SourceField::Span(s) => Some(s),
            _ => None,
        }
    }
}

impl Serialize for SourceField {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SourceField::Span(sp) => sp.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for SourceField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<Span>::deserialize(d)? {
            Some(sp) => SourceField::Span(sp),
            None => SourceField::Null,
        })
    }
}

impl Node {
    pub fn new(id: impl Into<String>, node_type: NodeType, label: impl Into<String>) -> Node {
        Node {
            id: id.into(),
            node_type,
            label: label.into(),
            aliases: Vec::new(),
            mentions: Vec::new(),
            subtype: None,
            same_as: Vec::new(),
            event_type: None,
            trigger: None,
            modality: None,
            value: None,
            timex_type: None,
            kind: None,
            cue: None,
            content: None,
            source: if node_type == NodeType::Statement { SourceField::Null } else { SourceField::Absent },
            date: None,
            title: None,
            extra: BTreeMap::new(),
        }
    }

    /// Folds `other` (same id) into `self`. The result depends only on the
    /// set of nodes merged, not their order, so merging is commutative,
    /// associative and idempotent.
    pub fn merge_from(&mut self, other: Node) {
        // The label is the longest of the merged labels (ties: alphabetical first);
        // every other name is an alias. Surface forms never displace a canonical label.
        let longer = |a: &String, b: &String| a.chars().count().cmp(&b.chars().count()).then(b.cmp(a));
        let mut names: Vec<String> = std::mem::take(&mut self.aliases);
        names.extend(other.aliases);
        names.push(other.label.clone());
        names.push(self.label.clone());
        let label = std::cmp::max_by(std::mem::take(&mut self.label), other.label, longer);
        names.sort();
        names.dedup();
        names.retain(|n| *n != label);
        self.label = label;
        self.aliases = names;
        merge_sorted(&mut self.mentions, other.mentions);
        self.same_as.extend(other.same_as);
        self.same_as.sort();
        self.same_as.dedup();
        merge_opt(&mut self.subtype, other.subtype);
        merge_opt(&mut self.event_type, other.event_type);
        merge_opt(&mut self.trigger, other.trigger);
        merge_opt(&mut self.modality, other.modality);
        merge_opt(&mut self.value, other.value);
        merge_opt(&mut self.timex_type, other.timex_type);
        merge_opt(&mut self.kind, other.kind);
        merge_opt(&mut self.cue, other.cue);
        merge_opt(&mut self.content, other.content);
        merge_opt(&mut self.date, other.date);
        merge_opt(&mut self.title, other.title);
        self.source = match (std::mem::take(&mut self.source), other.source) {
            (SourceField::Span(a), SourceField::Span(b)) => SourceField::Span(a.min(b)),
            (SourceField::Span(a), _) | (_, SourceField::Span(a)) => SourceField::Span(a),
            (SourceField::Null, _) | (_, SourceField::Null) => SourceField::Null,
            _ => SourceField::Absent,
        };
        for (k, v) in other.extra {
            match self.extra.get(&k) {
                Some(old) if old.to_string() <= v.to_string() => {}
                _ => {
                    self.extra.insert(k, v);
                }
            }
        }
    }
}

fn sort_dedup<T: Ord>(v: &mut Vec<T>) {
    if !v.is_sorted() {
        v.sort();
    }
    v.dedup();
}

/// Merges `b` into the sorted, deduplicated `a`, keeping it so, in linear
/// time: a node mentioned in every shard is merged thousands of times.
fn merge_sorted<T: Ord>(a: &mut Vec<T>, mut b: Vec<T>) {
    sort_dedup(&mut b);
    match (a.last(), b.first()) {
        (_, None) => return,
        (None, _) => {
            *a = b;
            return;
        }
        (Some(x), Some(y)) if x < y => {
            a.extend(b);
            return;
        }
        _ => {}
    }
    let old = std::mem::take(a);
    a.reserve(old.len() + b.len());
    let (mut i, mut j) = (old.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (i.peek(), j.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                std::cmp::Ordering::Less => i.next(),
                std::cmp::Ordering::Greater => j.next(),
                std::cmp::Ordering::Equal => {
                    j.next();
                    i.next()
                }
            },
            (Some(_), None) => i.next(),
            (None, Some(_)) => j.next(),
            (None, None) => break,
        };
        a.extend(next);
    }
}

/// Order-independent choice between two optional values: the smaller wins.
fn merge_opt<T: Ord>(a: &mut Option<T>, b: Option<T>) {
    if let Some(b) = b {
        match a {
            Some(x) if *x <= b => {}
            _ => *a = Some(b),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub id: String,
    pub source: String,
    pub target: String,
    pub relation: String,
    #[serde(default)]
    pub evidence: Vec<Span>,
    #[serde(default = "one")]
    pub confidence: f64,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn one() -> f64 {
    1.0
}

impl Edge {
    /// An edge whose id is derived from its ends and relation, so the same
    /// fact found in two shards is one edge.
    pub fn new(source: &str, relation: &str, target: &str, confidence: f64) -> Edge {
        Edge {
            id: ids::edge_id(source, relation, target),
            source: source.to_string(),
            target: target.to_string(),
            relation: relation.to_string(),
            evidence: Vec::new(),
            confidence,
            extra: BTreeMap::new(),
        }
    }

    /// An empty edge that allocates nothing (for moving edges out of a graph).
    fn placeholder() -> Edge {
        Edge {
            id: String::new(),
            source: String::new(),
            target: String::new(),
            relation: String::new(),
            evidence: Vec::new(),
            confidence: 0.0,
            extra: BTreeMap::new(),
        }
    }

    pub fn merge_from(&mut self, other: Edge) {
        merge_sorted(&mut self.evidence, other.evidence);
        self.confidence = self.confidence.max(other.confidence);
        for (k, v) in other.extra {
            self.extra.entry(k).or_insert(v);
        }
    }
}

/// Metadata of one article in the graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The graph. Nodes and edges are kept in petgraph with a string-id index;
/// iteration and output are in id order, never hash order.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    documents: BTreeMap<String, DocumentInfo>,
    graph: StableDiGraph<Node, Edge>,
    node_index: BTreeMap<String, NodeIndex>,
    edge_index: BTreeMap<String, EdgeIndex>,
}

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    pub fn add_document(&mut self, info: DocumentInfo) {
        match self.documents.get_mut(&info.id) {
            Some(old) => {
                merge_opt(&mut old.title, info.title);
                merge_opt(&mut old.date, info.date);
                merge_opt(&mut old.source, info.source);
            }
            None => {
                self.documents.insert(info.id.clone(), info);
            }
        }
    }

    /// Adds a node, merging it into the node with the same id if there is one.
    pub fn add_node(&mut self, node: Node) -> NodeIndex {
        if let Some(&ix) = self.node_index.get(&node.id) {
            self.graph[ix].merge_from(node);
            ix
        } else {
            let mut node = node;
            sort_dedup(&mut node.mentions);
            let id = node.id.clone();
            let ix = self.graph.add_node(node);
            self.node_index.insert(id, ix);
            ix
        }
    }

    /// Adds an edge between existing nodes, merging evidence into an edge
    /// with the same id. Returns false (and adds nothing) when an end is missing.
    pub fn add_edge(&mut self, edge: Edge) -> bool {
        if let Some(&ix) = self.edge_index.get(&edge.id) {
            self.graph[ix].merge_from(edge);
            return true;
        }
        let (Some(&a), Some(&b)) = (self.node_index.get(&edge.source), self.node_index.get(&edge.target)) else {
            return false;
        };
        let mut edge = edge;
        sort_dedup(&mut edge.evidence);
        let id = edge.id.clone();
        let ix = self.graph.add_edge(a, b, edge);
        self.edge_index.insert(id, ix);
        true
    }

    /// Folds another graph into this one by id.
    pub fn merge(&mut self, other: Graph) {
        self.merge_data(other.into_data());
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.node_index.get(id).map(|&ix| &self.graph[ix])
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        self.node_index.get(id).map(|&ix| &mut self.graph[ix])
    }

    /// Nodes in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.node_index.values().map(|&ix| &self.graph[ix])
    }

    /// Edges in id order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.edge_index.values().map(|&ix| &self.graph[ix])
    }

    pub fn documents(&self) -> impl Iterator<Item = &DocumentInfo> {
        self.documents.values()
    }

    pub fn node_count(&self) -> usize {
        self.node_index.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_index.len()
    }

    /// The petgraph structure and the id index, for algorithms.
    pub fn petgraph(&self) -> (&StableDiGraph<Node, Edge>, &BTreeMap<String, NodeIndex>) {
        (&self.graph, &self.node_index)
    }

    /// The serializable form (the contract's JSON graph).
    pub fn to_data(&self) -> GraphData {
        GraphData {
            format: FORMAT.to_string(),
            directed: true,
            multigraph: true,
            graph: GraphMeta { documents: self.documents.values().cloned().collect() },
            nodes: self.nodes().cloned().collect(),
            edges: self.edges().cloned().collect(),
        }
    }

    /// The serializable form, moving nodes and edges out instead of copying them.
    pub fn into_data(self) -> GraphData {
        let Graph { documents, mut graph, node_index, edge_index } = self;
        let nodes = node_index
            .values()
            .map(|&ix| std::mem::replace(&mut graph[ix], Node::new(String::new(), NodeType::Document, String::new())))
            .collect();
        let edges = edge_index
            .values()
            .map(|&ix| std::mem::replace(&mut graph[ix], Edge::placeholder()))
            .collect();
        GraphData {
            format: FORMAT.to_string(),
            directed: true,
            multigraph: true,
            graph: GraphMeta { documents: documents.into_values().collect() },
            nodes,
            edges,
        }
    }

    pub fn from_data(data: GraphData) -> Graph {
        let mut g = Graph::new();
        g.merge_data(data);
        g
    }

    /// Folds serialized graph data into this graph by id.
    pub fn merge_data(&mut self, data: GraphData) {
        for d in data.graph.documents {
            self.add_document(d);
        }
        for n in data.nodes {
            self.add_node(n);
        }
        for e in data.edges {
            self.add_edge(e);
        }
    }
}

pub const FORMAT: &str = "newsgraph/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphMeta {
    #[serde(default)]
    pub documents: Vec<DocumentInfo>,
}

/// The JSON graph of the contract, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphData {
    pub format: String,
    pub directed: bool,
    pub multigraph: bool,
    pub graph: GraphMeta,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(label: &str, alias: &[&str], at: usize) -> Node {
        let mut n = Node::new("person:x", NodeType::Person, label);
        n.aliases = alias.iter().map(|s| s.to_string()).collect();
        n.mentions.push(Span { doc: "d".into(), start: at, end: at + label.len(), text: label.into() });
        n
    }

    #[test]
    fn node_merge_is_commutative_associative_and_idempotent() {
        let (a, b, c) = (person("Putin", &[], 50), person("Vladimir Putin", &["President Putin"], 0), person("Putin", &["Mr Putin"], 90));
        let fold = |ns: &[&Node]| {
            let mut g = Graph::new();
            for n in ns {
                g.add_node((*n).clone());
            }
            g.to_data()
        };
        let abc = fold(&[&a, &b, &c]);
        assert_eq!(abc, fold(&[&c, &b, &a]));
        assert_eq!(abc, fold(&[&b, &a, &c, &a, &b]));
        let n = &abc.nodes[0];
        assert_eq!(n.label, "Vladimir Putin");
        assert_eq!(n.aliases, ["Mr Putin", "President Putin", "Putin"]);
        assert_eq!(n.mentions.len(), 3);
    }

    #[test]
    fn into_data_equals_to_data() {
        let mut g = Graph::new();
        g.add_node(person("Putin", &["Mr Putin"], 3));
        g.add_node(Node::new("b", NodeType::Location, "B"));
        g.add_edge(Edge::new("person:x", "leader_of", "b", 0.5));
        assert_eq!(g.to_data(), g.clone().into_data());
    }

    #[test]
    fn edges_need_both_ends_and_merge_evidence() {
        let mut g = Graph::new();
        g.add_node(Node::new("a", NodeType::Person, "A"));
        assert!(!g.add_edge(Edge::new("a", "leader_of", "b", 0.5)));
        g.add_node(Node::new("b", NodeType::Location, "B"));
        assert!(g.add_edge(Edge::new("a", "leader_of", "b", 0.5)));
        assert!(g.add_edge(Edge::new("a", "leader_of", "b", 0.9)));
        assert_eq!(g.edge_count(), 1);
        assert_eq!(g.edges().next().map(|e| e.confidence), Some(0.9));
    }

    fn arb_graph() -> impl proptest::strategy::Strategy<Value = Graph> {
        use proptest::prelude::*;
        let node = (0..6usize, prop::sample::select(vec!["Putin", "Vladimir Putin", "Mr Putin", "Kyiv"]), proptest::collection::vec((0..3usize, 0..40usize), 0..4), proptest::option::of(prop::sample::select(vec!["city", "country"])));
        let edge = (0..6usize, prop::sample::select(vec!["leader_of", "about", "located_in"]), 0..6usize, 0..10u8);
        (proptest::collection::vec(node, 0..8), proptest::collection::vec(edge, 0..8)).prop_map(|(nodes, edges)| {
            let mut g = Graph::new();
            for (id, label, spans, subtype) in nodes {
                let mut n = Node::new(format!("n{id}"), NodeType::Person, label);
                n.subtype = subtype.map(String::from);
                n.mentions = spans.into_iter().map(|(d, s)| Span { doc: format!("d{d}"), start: s, end: s + 3, text: "abc".into() }).collect();
                g.add_node(n);
            }
            for (a, rel, b, c) in edges {
                let mut e = Edge::new(&format!("n{a}"), rel, &format!("n{b}"), f64::from(c) / 10.0);
                e.evidence.push(Span { doc: "d0".into(), start: usize::from(c), end: usize::from(c) + 1, text: "x".into() });
                g.add_edge(e);
            }
            g
        })
    }

    fn merged(gs: &[&Graph]) -> GraphData {
        let mut out = Graph::new();
        for g in gs {
            out.merge((*g).clone());
        }
        out.to_data()
    }

    proptest::proptest! {
        #[test]
        fn graph_merge_laws_hold_on_random_graphs(a in arb_graph(), b in arb_graph(), c in arb_graph()) {
            proptest::prop_assert_eq!(merged(&[&a, &b]), merged(&[&b, &a]));
            let ab = Graph::from_data(merged(&[&a, &b]));
            let bc = Graph::from_data(merged(&[&b, &c]));
            proptest::prop_assert_eq!(merged(&[&ab, &c]), merged(&[&a, &bc]));
            proptest::prop_assert_eq!(merged(&[&a, &a]), a.to_data());
        }
    }
}
