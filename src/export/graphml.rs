//! GraphML for NetworkX, igraph, Gephi, Cytoscape and yEd.
//!
//! Plain GraphML 1.0: every attribute is a declared `<key>` with a readable
//! id and an `attr.name`, node and edge keys kept apart, and only scalar
//! types (`string`, `int`, `double`), because most readers reject
//! list-valued keys. Lists and spans (aliases, mentions, evidence, …) are
//! written as JSON text. All keys are declared in every file, in a fixed
//! order, so tools see the same columns for every graph. Characters that
//! XML 1.0 cannot carry (C0 controls other than tab, newline and carriage
//! return; U+FFFE, U+FFFF) are removed from all text.
//! `schema/graphml.md` documents the keys.
//!
//! The yEd profile (`profile(GraphMlProfile::Yed)`) adds yFiles drawing
//! data: a `nodegraphics` and an `edgegraphics` key, and per node a
//! `y:ShapeNode` (shape and fill colour per type, the label, a grid
//! position) and per edge a `y:PolyLineEdge` labelled with the relation.
//! Readers that do not know yFiles skip those keys (they have no
//! `attr.name`); NetworkX reads them as `label`, `shape_type`, `x`, `y`.

use super::dot::node_style;
use super::GraphMlProfile;
use crate::graph::{Edge, Graph, Node, Span};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const GRAPHML_NS: &str = "http://graphml.graphdrawing.org/xmlns";
const SCHEMA_LOCATION: &str =
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";

/// A declared attribute: key id (unique in the file), `for`, `attr.name`, `attr.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub id: &'static str,
    pub domain: &'static str,
    pub name: &'static str,
    pub ty: &'static str,
}

const fn key(id: &'static str, domain: &'static str, name: &'static str, ty: &'static str) -> Key {
    Key { id, domain, name, ty }
}

/// Every key written, in declaration order.
pub const KEYS: &[Key] = &[
    key("format", "graph", "format", "string"),
    key("documents", "graph", "documents", "string"),
    key("label", "node", "label", "string"),
    key("type", "node", "type", "string"),
    key("subtype", "node", "subtype", "string"),
    key("aliases", "node", "aliases", "string"),
    key("mention_count", "node", "mention_count", "int"),
    key("mentions", "node", "mentions", "string"),
    key("references", "node", "references", "string"),
    key("sameAs", "node", "sameAs", "string"),
    key("event_type", "node", "event_type", "string"),
    key("modality", "node", "modality", "string"),
    key("trigger_text", "node", "trigger_text", "string"),
    key("trigger", "node", "trigger", "string"),
    key("value", "node", "value", "string"),
    key("timex_type", "node", "timex_type", "string"),
    key("kind", "node", "kind", "string"),
    key("cue_text", "node", "cue_text", "string"),
    key("cue", "node", "cue", "string"),
    key("content_text", "node", "content_text", "string"),
    key("content", "node", "content", "string"),
    key("source_text", "node", "source_text", "string"),
    key("source", "node", "source", "string"),
    key("date", "node", "date", "string"),
    key("title", "node", "title", "string"),
    key("extra", "node", "extra", "string"),
    key("relation", "edge", "relation", "string"),
    key("edge_label", "edge", "label", "string"),
    key("confidence", "edge", "confidence", "double"),
    key("evidence_text", "edge", "evidence_text", "string"),
    key("evidence", "edge", "evidence", "string"),
    key("edge_extra", "edge", "extra", "string"),
];

/// The yFiles namespace (prefix `y:`).
pub const YFILES_NS: &str = "http://www.yworks.com/xml/graphml";

/// Key ids of the yFiles drawing data (yEd profile).
pub const NODE_GRAPHICS_KEY: &str = "node_graphics";
pub const EDGE_GRAPHICS_KEY: &str = "edge_graphics";

pub struct GraphMlWriter<W: Write> {
    w: Writer<W>,
    profile: GraphMlProfile,
}

impl<W: Write> GraphMlWriter<W> {
    pub fn for_writer(w: W) -> Self {
        GraphMlWriter { w: Writer::new_with_indent(w, b' ', 2), profile: GraphMlProfile::Plain }
    }

    /// Plain GraphML (default) or with yFiles drawing data for yEd.
    pub fn profile(mut self, profile: GraphMlProfile) -> Self {
        self.profile = profile;
        self
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let yed = self.profile == GraphMlProfile::Yed;
        let w = &mut self.w;
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut root = BytesStart::new("graphml");
        root.push_attribute(("xmlns", GRAPHML_NS));
        root.push_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
        if yed {
            root.push_attribute(("xmlns:y", YFILES_NS));
        }
        root.push_attribute(("xsi:schemaLocation", SCHEMA_LOCATION));
        w.write_event(Event::Start(root))?;
        for k in KEYS {
            w.create_element("key")
                .with_attributes([("id", k.id), ("for", k.domain), ("attr.name", k.name), ("attr.type", k.ty)])
                .write_empty()?;
        }
        if yed {
            for (id, domain, ty) in
                [(NODE_GRAPHICS_KEY, "node", "nodegraphics"), (EDGE_GRAPHICS_KEY, "edge", "edgegraphics")]
            {
                w.create_element("key")
                    .with_attributes([("id", id), ("for", domain), ("yfiles.type", ty)])
                    .write_empty()?;
            }
        }
        // yEd has no layout of its own on load: a grid keeps nodes apart until one is applied.
        let columns = (g.node_count() as f64).sqrt().ceil().max(1.0) as usize;
        w.create_element("graph").with_attributes([("id", "G"), ("edgedefault", "directed")]).write_inner_content(
            |w| {
                data(w, "format", crate::graph::FORMAT)?;
                let docs: Vec<_> = g.documents().collect();
                if !docs.is_empty() {
                    data(w, "documents", &to_json(&docs)?)?;
                }
                for (i, n) in g.nodes().enumerate() {
                    let cell = yed.then_some((i % columns, i / columns));
                    write_node(w, n, cell)?;
                }
                for e in g.edges() {
                    write_edge(w, e, yed)?;
                }
                Ok(())
            },
        )?;
        w.write_event(Event::End(BytesEnd::new("graphml")))?;
        w.get_mut().write_all(b"\n")?;
        Ok(self)
    }

    pub fn finish(self) -> io::Result<W> {
        let mut w = self.w.into_inner();
        w.flush()?;
        Ok(w)
    }
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> io::Result<String> {
    // serde_json escapes C0 controls, so JSON text is XML-safe but for U+FFFE/U+FFFF.
    Ok(serde_json::to_string(v)?)
}

/// `s` without the characters XML 1.0 cannot represent, even as references.
pub fn xml_clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| xml_char(c)).collect())
    }
}

/// XML 1.0 `Char` (surrogates cannot occur in a Rust `str`).
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes element text; `\r` becomes a character reference so that XML
/// line-end normalisation does not turn it into `\n` on reading.
fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.contains(['<', '>', '&', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> io::Result<()> {
    let clean = xml_clean(value);
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::from_escaped(escape_text(&clean)))?;
    Ok(())
}

fn opt<W: Write>(w: &mut Writer<W>, key: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(v) => data(w, key, v),
        None => Ok(()),
    }
}

/// A span as `<key>_text` (its text, for display) and `<key>` (JSON, with offsets).
fn span<W: Write>(w: &mut Writer<W>, key: &str, text_key: &str, s: Option<&Span>) -> io::Result<()> {
    if let Some(s) = s {
        data(w, text_key, &s.text)?;
        data(w, key, &to_json(s)?)?;
    }
    Ok(())
}

fn extra<W: Write>(w: &mut Writer<W>, key: &str, extra: &BTreeMap<String, serde_json::Value>) -> io::Result<()> {
    if extra.is_empty() {
        return Ok(());
    }
    data(w, key, &to_json(extra)?)
}

/// An element with escaped text content.
fn text_element<W: Write>(w: &mut Writer<W>, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
    let clean = xml_clean(text);
    w.create_element(name)
        .with_attributes(attrs.iter().copied())
        .write_text_content(BytesText::from_escaped(escape_text(&clean)))?;
    Ok(())
}

/// yFiles node drawing: written before the `label` data, so that NetworkX
/// (which takes `label` from `y:NodeLabel`) ends with the exact label.
fn yed_node<W: Write>(w: &mut Writer<W>, n: &Node, (col, row): (usize, usize)) -> io::Result<()> {
    let style = node_style(n.node_type);
    let chars = n.label.chars().count().min(60) as f64;
    let width = format!("{:.1}", (chars * 7.0 + 24.0).max(60.0));
    let (x, y) = (format!("{:.1}", col as f64 * 480.0), format!("{:.1}", row as f64 * 90.0));
    w.create_element("data").with_attribute(("key", NODE_GRAPHICS_KEY)).write_inner_content(|w| {
        w.create_element("y:ShapeNode").write_inner_content(|w| {
            w.create_element("y:Geometry")
                .with_attributes([("height", "36.0"), ("width", width.as_str()), ("x", x.as_str()), ("y", y.as_str())])
                .write_empty()?;
            w.create_element("y:Fill")
                .with_attributes([("color", style.fill), ("transparent", "false")])
                .write_empty()?;
            w.create_element("y:BorderStyle")
                .with_attributes([("color", "#555555"), ("type", "line"), ("width", "1.0")])
                .write_empty()?;
            text_element(w, "y:NodeLabel", &[("fontSize", "12"), ("textColor", "#000000")], &n.label)?;
            w.create_element("y:Shape").with_attribute(("type", style.yed_shape)).write_empty()?;
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

fn yed_edge<W: Write>(w: &mut Writer<W>, e: &Edge) -> io::Result<()> {
    let dashed = e.relation == "mentioned_in";
    let (color, line) = if dashed { ("#AAAAAA", "dashed") } else { ("#444444", "line") };
    w.create_element("data").with_attribute(("key", EDGE_GRAPHICS_KEY)).write_inner_content(|w| {
        w.create_element("y:PolyLineEdge").write_inner_content(|w| {
            w.create_element("y:LineStyle")
                .with_attributes([("color", color), ("type", line), ("width", "1.0")])
                .write_empty()?;
            w.create_element("y:Arrows").with_attributes([("source", "none"), ("target", "standard")]).write_empty()?;
            text_element(w, "y:EdgeLabel", &[("fontSize", "10"), ("textColor", "#000000")], &e.relation)?;
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

fn write_node<W: Write>(w: &mut Writer<W>, n: &Node, yed_cell: Option<(usize, usize)>) -> io::Result<()> {
    let id = xml_clean(&n.id);
    w.create_element("node").with_attribute(("id", id.as_ref())).write_inner_content(|w| {
        if let Some(cell) = yed_cell {
            yed_node(w, n, cell)?;
        }
        data(w, "label", &n.label)?;
        data(w, "type", n.node_type.as_str())?;
        opt(w, "subtype", n.subtype.as_deref())?;
        if !n.aliases.is_empty() {
            data(w, "aliases", &to_json(&n.aliases)?)?;
        }
        data(w, "mention_count", &n.mentions.len().to_string())?;
        if !n.mentions.is_empty() {
            data(w, "mentions", &to_json(&n.mentions)?)?;
        }
        if !n.references.is_empty() {
            data(w, "references", &to_json(&n.references)?)?;
        }
        if !n.same_as.is_empty() {
            data(w, "sameAs", &to_json(&n.same_as)?)?;
        }
        opt(w, "event_type", n.event_type.as_deref())?;
        opt(w, "modality", n.modality.as_deref())?;
        span(w, "trigger", "trigger_text", n.trigger.as_ref())?;
        opt(w, "value", n.value.as_deref())?;
        opt(w, "timex_type", n.timex_type.as_deref())?;
        opt(w, "kind", n.kind.as_deref())?;
        span(w, "cue", "cue_text", n.cue.as_ref())?;
        span(w, "content", "content_text", n.content.as_ref())?;
        span(w, "source", "source_text", n.source.span())?;
        opt(w, "date", n.date.as_deref())?;
        opt(w, "title", n.title.as_deref())?;
        extra(w, "extra", &n.extra)
    })?;
    Ok(())
}

fn write_edge<W: Write>(w: &mut Writer<W>, e: &Edge, yed: bool) -> io::Result<()> {
    let (id, source, target) = (xml_clean(&e.id), xml_clean(&e.source), xml_clean(&e.target));
    w.create_element("edge")
        .with_attributes([("id", id.as_ref()), ("source", source.as_ref()), ("target", target.as_ref())])
        .write_inner_content(|w| {
            if yed {
                yed_edge(w, e)?;
            }
            data(w, "relation", &e.relation)?;
            data(w, "edge_label", &e.relation)?;
            if e.confidence.is_finite() {
                // `{:?}` always has a digit after the point ("1.0"), which every reader parses.
                data(w, "confidence", &format!("{:?}", e.confidence))?;
            }
            if let Some(first) = e.evidence.first() {
                data(w, "evidence_text", &first.text)?;
            }
            if !e.evidence.is_empty() {
                data(w, "evidence", &to_json(&e.evidence)?)?;
            }
            extra(w, "edge_extra", &e.extra)
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testkit::sample_graph;
    use crate::graph::NodeType;
    use quick_xml::events::Event as Ev;
    use quick_xml::{Reader, XmlVersion};
    use std::collections::{BTreeMap, BTreeSet};

    fn graphml(g: &Graph) -> String {
        let out = GraphMlWriter::for_writer(Vec::new()).serialize_graph(g).unwrap().finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    /// What a reader sees: declared keys, and per node / edge id its data values (unescaped).
    #[derive(Default)]
    struct Parsed {
        keys: BTreeMap<String, (String, String)>,
        nodes: BTreeMap<String, BTreeMap<String, String>>,
        edges: BTreeMap<String, BTreeMap<String, String>>,
    }

    fn parse(xml: &str) -> Parsed {
        let mut r = Reader::from_str(xml);
        let mut p = Parsed::default();
        let (mut cur, mut is_edge, mut key, mut text) = (String::new(), false, String::new(), String::new());
        let attr = |e: &BytesStart, name: &str| -> String {
            e.try_get_attribute(name)
                .unwrap()
                .map(|a| a.normalized_value(XmlVersion::Implicit1_0).unwrap().into_owned())
                .unwrap_or_default()
        };
        loop {
            match r.read_event().unwrap() {
                Ev::Start(e) | Ev::Empty(e) => match e.name().as_ref() {
                    "key" => {
                        let id = attr(&e, "id");
                        let old = p.keys.insert(id.clone(), (attr(&e, "for"), attr(&e, "attr.name")));
                        assert!(old.is_none(), "key {id} declared twice");
                    }
                    "node" => {
                        cur = attr(&e, "id");
                        is_edge = false;
                        assert!(p.nodes.insert(cur.clone(), BTreeMap::new()).is_none(), "node {cur} twice");
                    }
                    "edge" => {
                        cur = attr(&e, "id");
                        is_edge = true;
                        assert!(p.edges.insert(cur.clone(), BTreeMap::new()).is_none(), "edge {cur} twice");
                        let (s, t) = (attr(&e, "source"), attr(&e, "target"));
                        assert!(p.nodes.contains_key(&s) && p.nodes.contains_key(&t), "dangling edge {cur}");
                    }
                    "data" => {
                        key = attr(&e, "key");
                        text.clear();
                    }
                    _ => {}
                },
                Ev::Text(t) => text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
                Ev::GeneralRef(g) => match g.resolve_char_ref().unwrap() {
                    Some(c) => text.push(c),
                    None => text.push_str(quick_xml::escape::resolve_predefined_entity(&g).unwrap()),
                },
                Ev::End(e) if e.name().as_ref() == "data" => {
                    let domain = if is_edge { "edge" } else { "node" };
                    let target = if is_edge { p.edges.get_mut(&cur) } else { p.nodes.get_mut(&cur) };
                    if let Some(m) = target {
                        assert_eq!(p.keys.get(&key).map(|k| k.0.as_str()), Some(domain), "key {key} not for {domain}");
                        m.insert(std::mem::take(&mut key), std::mem::take(&mut text));
                    }
                }
                Ev::Eof => break,
                _ => {}
            }
        }
        p
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!("sample_graphml", graphml(&sample_graph()));
    }

    #[test]
    fn parses_back_with_every_node_edge_and_declared_key() {
        let g = sample_graph();
        let p = parse(&graphml(&g));
        assert_eq!(p.nodes.len(), g.node_count());
        assert_eq!(p.edges.len(), g.edge_count());
        let ids: BTreeSet<_> = p.keys.keys().cloned().collect();
        assert_eq!(ids.len(), KEYS.len());
        for n in g.nodes() {
            let d = &p.nodes[&n.id];
            assert_eq!(d["type"], n.node_type.as_str());
            assert_eq!(d["label"], n.label);
            let mentions: Vec<Span> = d.get("mentions").map_or(vec![], |m| serde_json::from_str(m).unwrap());
            assert_eq!(d["mention_count"], n.mentions.len().to_string());
            assert_eq!(mentions, n.mentions);
        }
        for e in g.edges() {
            let d = &p.edges[&e.id];
            assert_eq!(d["relation"], e.relation);
            assert_eq!(d["confidence"].parse::<f64>().unwrap(), e.confidence);
        }
        let st = g.nodes().find(|n| n.node_type == NodeType::Statement && n.source.span().is_some()).unwrap();
        assert_eq!(p.nodes[&st.id]["source_text"], "Mayor Ana Ruiz");
        assert_eq!(p.nodes["organization:lusa"]["extra"], r#"{"wikidata":"Q1571839"}"#);
    }

    #[test]
    fn illegal_xml_characters_are_removed_and_markup_escaped() {
        let mut g = sample_graph();
        let nasty = "A\u{1}B\u{0}C\u{1b}[0m <b>&amp;</b> \"q\" 'a'\tx\r\ny \u{FFFE}\u{FFFF}\u{7f} 🚀 שלום e\u{301}";
        g.node_mut("person:ana-ruiz").unwrap().label = nasty.to_string();
        g.node_mut("person:ana-ruiz").unwrap().aliases.push(nasty.to_string());
        let xml = graphml(&g);
        assert!(xml.chars().all(xml_char), "illegal character in output");
        let p = parse(&xml);
        let expected: String = nasty.chars().filter(|&c| xml_char(c)).collect();
        assert_eq!(p.nodes["person:ana-ruiz"]["label"], expected);
        // The JSON text of the aliases keeps the controls as \u escapes.
        let aliases: Vec<String> = serde_json::from_str(&p.nodes["person:ana-ruiz"]["aliases"]).unwrap();
        assert!(aliases.contains(&nasty.replace(['\u{FFFE}', '\u{FFFF}'], "")));
    }

    #[test]
    fn empty_graph_is_valid_graphml() {
        let xml = graphml(&Graph::new());
        let p = parse(&xml);
        assert!(p.nodes.is_empty() && p.edges.is_empty());
        assert!(xml.contains(r#"<graph id="G" edgedefault="directed">"#));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(graphml(&sample_graph()), graphml(&sample_graph()));
    }

    fn yed(g: &Graph) -> String {
        let w = GraphMlWriter::for_writer(Vec::new()).profile(GraphMlProfile::Yed);
        String::from_utf8(w.serialize_graph(g).unwrap().finish().unwrap()).unwrap()
    }

    #[test]
    fn yed_snapshot() {
        insta::assert_snapshot!("sample_graphml_yed", yed(&sample_graph()));
    }

    /// The yEd profile is the plain file plus yFiles drawing data: same keys
    /// and values, a ShapeNode per node with its type's shape, colour and
    /// label, an edge label per edge.
    #[test]
    fn yed_profile_adds_shapes_colours_and_labels() {
        let g = sample_graph();
        let xml = yed(&g);
        let p = parse(&xml);
        let plain = parse(&graphml(&g));
        assert_eq!(p.keys[NODE_GRAPHICS_KEY].0, "node");
        assert_eq!(p.keys[EDGE_GRAPHICS_KEY].0, "edge");
        assert_eq!(p.keys.len(), plain.keys.len() + 2);
        for (id, d) in &plain.nodes {
            for (k, v) in d {
                assert_eq!(&p.nodes[id][k], v, "{id} {k}");
            }
        }
        assert!(xml.contains(&format!("xmlns:y=\"{YFILES_NS}\"")));
        assert_eq!(xml.matches("<y:ShapeNode>").count(), g.node_count());
        assert_eq!(xml.matches("<y:PolyLineEdge>").count(), g.edge_count());
        assert!(xml.contains("<y:Fill color=\"#A6CEE3\" transparent=\"false\"/>"));
        assert!(xml.contains("<y:NodeLabel fontSize=\"12\" textColor=\"#000000\">Ana Ruiz</y:NodeLabel>"));
        assert!(xml.contains("<y:Shape type=\"ellipse\"/>"));
        assert!(xml.contains("<y:EdgeLabel fontSize=\"10\" textColor=\"#000000\">attributed_to</y:EdgeLabel>"));
        // The plain file has none of it.
        assert!(!graphml(&g).contains("yfiles") && !graphml(&g).contains("xmlns:y"));
    }

    #[test]
    fn yed_labels_are_escaped_and_clean() {
        let mut g = Graph::new();
        g.add_node(crate::graph::Node::new("a", NodeType::Person, "<b>&\u{1}\"x\"</b>"));
        let xml = yed(&g);
        assert!(xml.chars().all(xml_char));
        assert!(xml.contains(">&lt;b&gt;&amp;\"x\"&lt;/b&gt;</y:NodeLabel>"));
        assert_eq!(parse(&xml).nodes["a"]["label"], "<b>&\"x\"</b>");
    }

    proptest::proptest! {
        #[test]
        fn any_label_gives_well_formed_xml(label in "\\PC*|[\\x00-\\x20<>&\"']*", id in ".*") {
            let mut g = Graph::new();
            let mut n = crate::graph::Node::new(id.clone(), NodeType::Person, label);
            n.aliases.push(id.clone());
            g.add_node(n);
            let xml = graphml(&g);
            proptest::prop_assert!(xml.chars().all(xml_char));
            let p = parse(&xml);
            proptest::prop_assert_eq!(p.nodes.len(), 1);
        }
    }
}
