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
    /// On a node's mentions: `pronoun` ("he", "its") or `description` ("the
    /// general", "the Russian capital"); absent for names and on evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MentionKind>,
}

/// How a mention that is not a name refers to its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Pronoun,
    Description,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Pronoun => "pronoun",
            MentionKind::Description => "description",
        }
    }
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
    /// Names of the node in the text: what entity scorers compare.
    #[serde(default)]
    pub mentions: Vec<Span>,
    /// Pronouns and definite descriptions that refer to the node ("he", "the
    /// Russian capital"), each with its `kind`; kept apart from `mentions` so
    /// that a node's mentions stay its names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Span>,
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
            references: Vec::new(),
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
        merge_sorted(&mut self.references, other.references);
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

    /// An empty graph with room for this many nodes and edges.
    pub fn with_capacity(nodes: usize, edges: usize) -> Graph {
        Graph { graph: StableDiGraph::with_capacity(nodes, edges), ..Graph::default() }
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
            sort_dedup(&mut node.references);
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
        // Into an empty graph (a run's first document) merging is a move:
        // every node and edge would otherwise be copied while both are held.
        if self.documents.is_empty() && self.node_index.is_empty() && self.edge_index.is_empty() {
            *self = other;
            return;
        }
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

/// The relation of the identity links [`Graph::link_surnames`] derives.
pub const SAME_AS: &str = "same_as";

/// The words of a person's name without leading titles ("Mr", "Gen.").
fn name_words(name: &str) -> Vec<&str> {
    let mut w: Vec<&str> = name.split_whitespace().collect();
    let titles = w.iter().take_while(|x| crate::extract::entities::is_title_head(x)).count();
    w.drain(..titles.min(w.len().saturating_sub(1)));
    w
}

impl Graph {
    /// Links each surname-only Person ("Putin": an article that never gave
    /// the full name) to the one Person whose full name (label or alias)
    /// ends in that surname, with a `same_as` edge, when exactly one such
    /// Person is in the graph. Two or more (Igor and Lyudmila Kirillov) or
    /// none: no link.
    ///
    /// The links are derived data: every `same_as` edge is removed first and
    /// the links recomputed from the nodes alone, so the result depends only
    /// on the node set. Merging unions nodes (associative, commutative,
    /// idempotent), so linking after each merge keeps those laws, and a link
    /// that a later shard makes ambiguous disappears. No id is rewritten:
    /// `person:putin` stays `person:putin` in every shard.
    pub fn link_surnames(&mut self) {
        let stale: Vec<String> = self.edges().filter(|e| e.relation == SAME_AS).map(|e| e.id.clone()).collect();
        for id in stale {
            if let Some(ix) = self.edge_index.remove(&id) {
                self.graph.remove_edge(ix);
            }
        }
        for e in surname_links(self.nodes()) {
            self.add_edge(e);
        }
    }
}


/// The `same_as` edges of [`Graph::link_surnames`], from the nodes alone.
pub(crate) fn surname_links<'a>(nodes: impl Iterator<Item = &'a Node>) -> Vec<Edge> {
    // Surname slug → the full-name Persons that end in it (id, first name span).
    let mut full: BTreeMap<String, Vec<(&str, Option<&Span>)>> = BTreeMap::new();
    let mut single: Vec<(&str, Option<&Span>, String)> = Vec::new();
    for n in nodes {
        if n.node_type != NodeType::Person || n.id.starts_with("person:anonymous:") {
            continue;
        }
        let label = name_words(&n.label);
        let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
        if label.len() == 1 && capital(&label[0]) {
            // "Charles" alone is as likely a first name as Ray Charles's surname.
            if label[0].chars().count() < 3 || crate::extract::coref::is_first_name(label[0]) {
                continue;
            }
            single.push((n.id.as_str(), n.mentions.first(), ids::slug(label[0])));
            continue;
        }
        let mut surnames: Vec<String> = std::iter::once(&n.label)
            .chain(&n.aliases)
            .map(|a| name_words(a))
            // "Ursula von der Leyen": first and last words capitalised.
            .filter(|w| w.len() >= 2 && w.first().is_some_and(capital) && w.last().is_some_and(capital))
            .filter_map(|w| w.last().map(|s| ids::slug(s)))
            .collect();
        surnames.sort();
        surnames.dedup();
        for s in surnames {
            full.entry(s).or_default().push((n.id.as_str(), n.mentions.first()));
        }
    }
    let mut links = Vec::new();
    for (id, first, surname) in single {
        if let Some(&[(target, target_first)]) = full.get(&surname).map(Vec::as_slice) {
            if target != id {
                let mut e = Edge::new(id, SAME_AS, target, 0.7);
                // Evidence: where each name is first used.
                e.evidence.extend(first.cloned());
                e.evidence.extend(target_first.cloned());
                links.push(e);
            }
        }
    }
    links
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
        n.mentions.push(Span { doc: "d".into(), start: at, end: at + label.len(), text: label.into(), kind: None });
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

    /// Merging into an empty graph moves the graph in: the result must be
    /// what folding its data in gives, and later merges must still fold.
    #[test]
    fn merge_into_empty_graph_equals_folding_its_data() {
        let mut g = Graph::new();
        g.add_node(person("Putin", &["Mr Putin"], 3));
        g.add_node(Node::new("b", NodeType::Location, "B"));
        g.add_edge(Edge::new("person:x", "leader_of", "b", 0.5));
        let mut moved = Graph::new();
        moved.merge(g.clone());
        let mut folded = Graph::new();
        folded.merge_data(g.to_data());
        assert_eq!(moved.to_data(), folded.to_data());
        let mut h = Graph::new();
        h.add_node(person("Putin", &["President Putin"], 1));
        moved.merge(h.clone());
        folded.merge_data(h.to_data());
        assert_eq!(moved.to_data(), folded.to_data());
        assert!(moved.node("person:x").is_some_and(|n| n.aliases.iter().any(|a| a == "President Putin")));
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
                n.mentions = spans.into_iter().map(|(d, s)| Span { doc: format!("d{d}"), start: s, end: s + 3, text: "abc".into(), kind: None }).collect();
                g.add_node(n);
            }
            for (a, rel, b, c) in edges {
                let mut e = Edge::new(&format!("n{a}"), rel, &format!("n{b}"), f64::from(c) / 10.0);
                e.evidence.push(Span { doc: "d0".into(), start: usize::from(c), end: usize::from(c) + 1, text: "x".into(), kind: None });
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

    fn person_node(id: &str, label: &str, doc: &str) -> Node {
        let mut n = Node::new(id, NodeType::Person, label);
        n.mentions.push(Span { doc: doc.into(), start: 0, end: label.chars().count(), text: label.into(), kind: None });
        n
    }

    fn same_as(g: &Graph) -> Vec<(String, String)> {
        g.edges().filter(|e| e.relation == SAME_AS).map(|e| (e.source.clone(), e.target.clone())).collect()
    }

    #[test]
    fn a_surname_links_to_the_one_full_name_and_unlinks_when_ambiguous() {
        let mut g = Graph::new();
        g.add_node(person_node("person:putin", "Putin", "b"));
        g.add_node(person_node("person:vladimir-putin", "Vladimir Putin", "a"));
        g.add_node(person_node("person:mr-putin", "Mr Putin", "c"));
        g.link_surnames();
        // "Mr Putin" is a surname with a title: linked too.
        let full = "person:vladimir-putin".to_string();
        assert_eq!(same_as(&g), [("person:mr-putin".to_string(), full.clone()), ("person:putin".to_string(), full)]);
        let e = g.edges().nth(1).unwrap();
        assert_eq!(e.evidence.iter().map(|s| s.doc.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        // A second full name with that surname makes "Putin" ambiguous: the link goes.
        g.add_node(person_node("person:igor-putin", "Igor Putin", "d"));
        g.link_surnames();
        assert!(same_as(&g).is_empty());
        // Linking twice changes nothing; nodes keep their ids.
        let mut h = Graph::new();
        h.add_node(person_node("person:kirillov", "Kirillov", "b"));
        // A known first name alone is no surname: "Charles" is not Ray Charles.
        h.add_node(person_node("person:charles", "Charles", "b"));
        h.add_node(person_node("person:ray-charles", "Ray Charles", "a"));
        let mut full = person_node("person:igor-kirillov", "Igor Kirillov", "a");
        full.aliases.push("Gen. Kirillov".into());
        h.add_node(full);
        h.link_surnames();
        let once = h.to_data();
        h.link_surnames();
        assert_eq!(h.to_data(), once);
        assert_eq!(same_as(&h).len(), 1);
        assert!(h.node("person:kirillov").is_some());
    }

    /// Random graphs of people sharing surnames, linked as the CLI writes them.
    fn arb_people() -> impl proptest::strategy::Strategy<Value = Graph> {
        use proptest::prelude::*;
        let names = vec!["Putin", "Vladimir Putin", "Igor Putin", "Mr Putin", "Kirillov", "Igor Kirillov", "Lena Okafor", "Okafor"];
        proptest::collection::vec((prop::sample::select(names), 0..3usize), 0..6).prop_map(|ns| {
            let mut g = Graph::new();
            for (label, d) in ns {
                g.add_node(person_node(&ids::entity_id("Person", label, None), label, &format!("d{d}")));
            }
            g.link_surnames();
            g
        })
    }

    /// What `newsgraph merge` writes: the union, then the links.
    fn merged_linked(gs: &[&Graph]) -> GraphData {
        let mut g = Graph::from_data(merged(gs));
        g.link_surnames();
        g.to_data()
    }

    proptest::proptest! {
        #[test]
        fn surname_links_keep_the_merge_laws(a in arb_people(), b in arb_people(), c in arb_people()) {
            proptest::prop_assert_eq!(merged_linked(&[&a, &b]), merged_linked(&[&b, &a]));
            let ab = Graph::from_data(merged_linked(&[&a, &b]));
            let bc = Graph::from_data(merged_linked(&[&b, &c]));
            proptest::prop_assert_eq!(merged_linked(&[&ab, &c]), merged_linked(&[&a, &bc]));
            proptest::prop_assert_eq!(merged_linked(&[&a, &a]), a.to_data());
        }

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
