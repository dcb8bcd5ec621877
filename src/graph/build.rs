//! One document's extraction → graph nodes and edges.

use super::{ids, DocumentInfo, Edge, Graph, MentionKind as SpanKind, Node, NodeType, SourceField, Span};
use crate::extract::{ByteSpan, EntityType, Extraction, MentionKind, Ref};
use crate::text::{CharMap, Document};
use std::collections::BTreeMap;

/// Converts byte spans of one document into contract spans.
pub struct SpanMaker<'a> {
    doc: &'a Document,
    chars: CharMap,
}

impl<'a> SpanMaker<'a> {
    pub fn new(doc: &'a Document) -> Self {
        SpanMaker { doc, chars: CharMap::new(&doc.text) }
    }

    pub fn span(&self, b: ByteSpan) -> Span {
        Span {
            doc: self.doc.id.clone(),
            start: self.chars.char_offset(b.start),
            end: self.chars.char_offset(b.end),
            text: self.doc.text[b.start..b.end].to_string(),
            kind: None,
        }
    }
}

fn node_type(t: EntityType) -> NodeType {
    match t {
        EntityType::Person => NodeType::Person,
        EntityType::Organization => NodeType::Organization,
        EntityType::Location => NodeType::Location,
        EntityType::Other => NodeType::Other,
    }
}

/// How a statement's label is cut: long enough to read, short enough for a viewer.
const LABEL_CHARS: usize = 80;

fn short_label(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= LABEL_CHARS {
        flat
    } else {
        let mut s: String = flat.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// The headline: the first non-empty line.
pub fn headline(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| !l.is_empty())
}

/// Builds the graph of one document.
pub fn build_document_graph(doc: &Document, ex: &Extraction) -> Graph {
    build_document_parts(doc, ex).into_graph()
}

/// One document's graph before it is a [`Graph`]: what [`DocumentParts::into_graph`]
/// adds to one, or [`DocumentParts::into_sorted`] lists in id order for writing
/// it out directly (a per-document run needs no Graph index, only its output).
pub struct DocumentParts {
    document: DocumentInfo,
    /// The document node; None for an empty article.
    doc_node: Option<Node>,
    nodes: NodeBuffer,
    edges: BTreeMap<String, Edge>,
}

/// The nodes and edges of one document, as [`build_document_parts`] collects them.
pub fn build_document_parts(doc: &Document, ex: &Extraction) -> DocumentParts {
    let sm = SpanMaker::new(doc);
    let text = doc.text.as_str();
    let date = doc.date.map(|d| d.format("%Y-%m-%d").to_string());
    let title = doc.title.clone().or_else(|| headline(text).map(str::to_string));
    let document = DocumentInfo {
        id: doc.id.clone(),
        title: title.clone(),
        date: date.clone(),
        source: doc.url.clone(),
    };
    if text.trim().is_empty() {
        // An empty article is listed, but has nothing to say.
        return DocumentParts { document, doc_node: None, nodes: NodeBuffer::default(), edges: BTreeMap::new() };
    }
    let doc_node_id = ids::document_id(&doc.id);
    let mut dn = Node::new(&doc_node_id, NodeType::Document, title.clone().unwrap_or_else(|| doc.id.clone()));
    dn.title = title;
    dn.date = date;

    let mut nodes = NodeBuffer::default();

    // Entities: one node per (type, canonical name).
    let mut entity_ids = Vec::with_capacity(ex.entities.len());
    for m in &ex.entities {
        let key = m.key(text);
        let tname = m.etype.as_str();
        // Unnamed means ("a bomb") are document-scoped: the same label in two
        // articles is two different objects.
        let id = if m.subtype.as_deref() == Some("instrument") && m.external_id.is_none() {
            ids::local_entity_id(tname, &doc.id, key)
        } else {
            ids::entity_id(tname, key, m.external_id.as_deref())
        };
        let mut n = Node::new(&id, node_type(m.etype), key.trim());
        let mut span = sm.span(m.span);
        match m.kind {
            MentionKind::Name => {
                if span.text != key {
                    n.aliases.push(span.text.clone());
                }
            }
            // "he", "the general": a mention of the node, never one of its names.
            MentionKind::Pronoun => span.kind = Some(SpanKind::Pronoun),
            MentionKind::Description => span.kind = Some(SpanKind::Description),
        }
        if span.kind.is_some() {
            n.references.push(span);
        } else {
            n.mentions.push(span);
        }
        n.subtype = m.subtype.clone();
        if let Some(x) = &m.external_id {
            if let Some(gid) = x.strip_prefix("geonames:") {
                n.same_as.push(format!("https://sws.geonames.org/{gid}/"));
            }
        }
        nodes.add(n);
        entity_ids.push(id);
    }

    let mut time_ids = Vec::with_capacity(ex.times.len());
    for t in &ex.times {
        let id = ids::time_id(&t.value);
        let mut n = Node::new(&id, NodeType::Time, &t.value);
        let surface = t.span.text(text);
        if surface != t.value {
            n.aliases.push(surface.to_string());
        }
        n.mentions.push(sm.span(t.span));
        n.value = Some(t.value.clone());
        n.timex_type = Some(t.timex_type.as_str().to_string());
        nodes.add(n);
        time_ids.push(id);
    }

    // Events: a coreference chain is one node, named by its first mention.
    let mut event_ids: Vec<String> = Vec::with_capacity(ex.events.len());
    for (i, e) in ex.events.iter().enumerate() {
        let root = e.coref.filter(|&c| c < i).map(|c| event_ids[c].clone());
        let trig = sm.span(e.trigger);
        // A chain anchored by type, date and participant/place gets an id every
        // document reporting that event shares (so graphs merge); else its span.
        let id = root.unwrap_or_else(|| match crate::extract::events::cross_document_key(text, ex, i) {
            Some(k) => ids::event_id(&k),
            None => ids::span_id("event", &doc.id, trig.start, trig.end),
        });
        let mut n = Node::new(&id, NodeType::Event, trig.text.to_lowercase());
        n.mentions.push(trig.clone());
        n.event_type = Some(e.event_type.clone());
        n.modality = Some(e.modality.as_str().to_string());
        n.trigger = Some(trig.clone());
        if nodes.contains(&id) {
            // Later mentions add their spans; the first mention's trigger and type stay.
            // The modality is the least of the chain's, as when graphs merge: an
            // event the article asserts once is asserted, even if first named in a report.
            nodes.add_mention(&id, trig);
            nodes.merge_modality(&id, e.modality.as_str());
        } else {
            nodes.add(n);
        }
        event_ids.push(id);
    }

    let mut statement_ids = Vec::with_capacity(ex.statements.len());
    for s in &ex.statements {
        let content = sm.span(s.content);
        let id = ids::span_id("statement", &doc.id, content.start, content.end);
        let mut n = Node::new(&id, NodeType::Statement, short_label(&content.text));
        n.mentions.push(content.clone());
        n.kind = Some(s.kind.as_str().to_string());
        n.cue = Some(sm.span(s.cue));
        n.content = Some(content.clone());
        n.source = s.source.map(|b| SourceField::Span(sm.span(b))).unwrap_or(SourceField::Null);
        n.modality = Some(s.modality.as_str().to_string());
        nodes.add(n);
        statement_ids.push(id);
    }

    let resolve = |r: Ref| -> Option<&String> {
        match r {
            Ref::Entity(i) => entity_ids.get(i),
            Ref::Time(i) => time_ids.get(i),
            Ref::Event(i) => event_ids.get(i),
            Ref::Statement(i) => statement_ids.get(i),
        }
    };
    // Edges are collected first so that their evidence merges in a fixed order.
    let mut edges: BTreeMap<String, Edge> = BTreeMap::new();
    let mut push = |from: &str, rel: &str, to: &str, ev: Option<ByteSpan>, conf: f64| {
        if from == to {
            return;
        }
        let mut e = Edge::new(from, rel, to, conf);
        e.evidence.extend(ev.map(|b| sm.span(b)));
        match edges.get_mut(&e.id) {
            Some(old) => old.merge_from(e),
            None => {
                edges.insert(e.id.clone(), e);
            }
        }
    };
    for (i, e) in ex.events.iter().enumerate() {
        for a in &e.args {
            if let Some(t) = resolve(a.target) {
                push(&event_ids[i], a.role.as_str(), t, Some(a.evidence), 0.8);
            }
        }
    }
    for (i, s) in ex.statements.iter().enumerate() {
        let sid = &statement_ids[i];
        if let Some(t) = s.speaker.and_then(resolve) {
            push(sid, "attributed_to", t, s.source.or(Some(s.cue)), 0.9);
        }
        // The evidence is where the content mentions the target, not the whole
        // content again (the Statement node has it): a long quote about many
        // things would otherwise repeat itself once per `about` edge.
        for &r in &s.about {
            if let Some(t) = resolve(r) {
                let at = match r {
                    Ref::Entity(i) => ex.entities.get(i).map(|m| m.span),
                    Ref::Event(i) => ex.events.get(i).map(|e| e.trigger),
                    Ref::Time(i) => ex.times.get(i).map(|m| m.span),
                    Ref::Statement(_) => None,
                };
                push(sid, "about", t, at.or(Some(s.content)), 0.8);
            }
        }
        if let Some(outer) = s.embedded_in.and_then(|o| statement_ids.get(o)) {
            push(sid, "embedded_in", outer, Some(s.cue), 0.9);
        }
    }
    for r in &ex.relations {
        if let (Some(a), Some(b)) = (resolve(r.from), resolve(r.to)) {
            push(a, r.relation, b, Some(r.evidence), f64::from(r.confidence));
        }
    }
    DocumentParts { document, doc_node: Some(dn), nodes, edges }
}

impl DocumentParts {
    /// The graph: the document, its node, every node with its `mentioned_in`
    /// edge, then the other edges, each merged by id.
    pub fn into_graph(self) -> Graph {
        // Each node comes with its `mentioned_in` edge.
        let nodes = self.nodes.nodes.len() + 1;
        let mut g = Graph::with_capacity(nodes, nodes + self.edges.len());
        g.add_document(self.document);
        if let Some(dn) = self.doc_node {
            let doc_node_id = dn.id.clone();
            g.add_node(dn);
            self.nodes.finish(&mut g, &doc_node_id);
            for (_, e) in self.edges {
                g.add_edge(e);
            }
        }
        g.link_surnames();
        g
    }

    /// What [`Self::into_graph`]'s graph lists, in the same (id) order and
    /// merged the same way, without building it: the document, its nodes and its edges.
    pub fn into_sorted(self) -> (DocumentInfo, Vec<Node>, Vec<Edge>) {
        let Some(dn) = self.doc_node else {
            return (self.document, Vec::new(), Vec::new());
        };
        let doc_node_id = dn.id.clone();
        let mut dn = Some(dn);
        let mut nodes: Vec<Node> = Vec::with_capacity(self.nodes.nodes.len() + 1);
        let mut mentioned: Vec<Edge> = Vec::with_capacity(self.nodes.nodes.len());
        for (id, (n, spans)) in self.nodes.nodes {
            let (n, e) = finish_node(&id, n, spans, &doc_node_id);
            // The document node was added first: a node with its id merges into it.
            if let Some(d) = dn.take_if(|d| d.id <= id) {
                if d.id == id {
                    let mut d = d;
                    d.merge_from(n);
                    nodes.push(d);
                    mentioned.push(e);
                    continue;
                }
                nodes.push(d);
            }
            nodes.push(n);
            mentioned.push(e);
        }
        nodes.extend(dn);
        // Edge ids are not in node id order ("a|…" sorts after "a-b|…").
        mentioned.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let exists = |id: &str| nodes.binary_search_by(|n| n.id.as_str().cmp(id)).is_ok();
        let mut edges: Vec<Edge> = Vec::with_capacity(mentioned.len() + self.edges.len());
        let mut m = mentioned.into_iter().peekable();
        for (_, mut e) in self.edges {
            while let Some(x) = m.next_if(|x| x.id < e.id) {
                edges.push(x);
            }
            // An edge with an existing id merges into it; a new one needs both ends.
            if let Some(mut x) = m.next_if(|x| x.id == e.id) {
                x.merge_from(e);
                edges.push(x);
            } else if exists(&e.source) && exists(&e.target) {
                super::sort_dedup(&mut e.evidence);
                edges.push(e);
            }
        }
        edges.extend(m);
        // Within one article, as `Graph::link_surnames` does for a whole graph.
        let links = super::surname_links(nodes.iter());
        if !links.is_empty() {
            edges.extend(links.into_iter().map(|mut e| {
                super::sort_dedup(&mut e.evidence);
                e
            }));
            edges.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        }
        (self.document, nodes, edges)
    }
}

/// Collects a document's nodes, so that an entity with thousands of mentions
/// costs one sort at the end rather than one per mention.
#[derive(Default)]
struct NodeBuffer {
    nodes: BTreeMap<String, (Node, Vec<Span>)>,
}

impl NodeBuffer {
    fn contains(&self, id: &str) -> bool {
        self.nodes.contains_key(id)
    }

    fn add(&mut self, mut n: Node) {
        let mentions = std::mem::take(&mut n.mentions);
        match self.nodes.get_mut(&n.id) {
            Some((old, spans)) => {
                spans.extend(mentions);
                old.merge_from(n);
            }
            None => {
                self.nodes.insert(n.id.clone(), (n, mentions));
            }
        }
    }

    fn add_mention(&mut self, id: &str, span: Span) {
        if let Some((_, spans)) = self.nodes.get_mut(id) {
            spans.push(span);
        }
    }

    fn merge_modality(&mut self, id: &str, modality: &str) {
        if let Some((n, _)) = self.nodes.get_mut(id) {
            super::merge_opt(&mut n.modality, Some(modality.to_string()));
        }
    }

    /// Adds every node with its sorted mentions, and its `mentioned_in` edge
    /// to the document with the first mention as evidence.
    fn finish(self, g: &mut Graph, doc_node_id: &str) {
        for (id, (n, spans)) in self.nodes {
            let (n, e) = finish_node(&id, n, spans, doc_node_id);
            g.add_node(n);
            g.add_edge(e);
        }
    }
}

/// A node with its sorted mentions and references, and its `mentioned_in`
/// edge to the document with the first mention as evidence.
fn finish_node(id: &str, mut n: Node, mut spans: Vec<Span>, doc_node_id: &str) -> (Node, Edge) {
    spans.sort();
    spans.dedup();
    super::sort_dedup(&mut n.references);
    let mut e = Edge::new(id, "mentioned_in", doc_node_id, 1.0);
    // A node only referred to ("the Russian capital") is evidenced by that.
    e.evidence.extend(spans.first().or(n.references.first()).cloned());
    n.mentions = spans;
    (n, e)
}
