//! The graph as one self-contained HTML page: an interactive viewer
//! (force layout, colour by type, search, type filters, and a details panel
//! that highlights a node's mentions in the article text and lists its
//! statements).
//!
//! Everything the page needs is inside it: the graph library (Cytoscape.js,
//! vendored under `assets/viewer/` with its licence), the viewer script and
//! style, and the data. The page loads nothing from the network; its
//! Content-Security-Policy forbids it.
//!
//! The graph does not keep article text, so the caller passes it
//! ([`HtmlWriter::texts`]); without it the page still shows the graph and
//! each mention's own words.

use crate::graph::Graph;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Cytoscape.js, minified, exactly as published on the npm registry.
const CYTOSCAPE_JS: &str = include_str!("../../assets/viewer/cytoscape.min.js");
const CYTOSCAPE_VERSION: &str = "3.34.4";
const VIEWER_JS: &str = include_str!("../../assets/viewer/viewer.js");
const VIEWER_CSS: &str = include_str!("../../assets/viewer/viewer.css");

/// Node types in the order the filter boxes show them.
const TYPES: [&str; 8] = ["Person", "Organization", "Location", "Other", "Event", "Time", "Statement", "Document"];

pub struct HtmlWriter<'t, W: Write> {
    w: W,
    texts: Option<&'t BTreeMap<String, String>>,
}

/// What the page's script reads: the contract's graph and the article texts by document id.
#[derive(Serialize)]
struct Payload<'a> {
    graph: crate::graph::GraphData,
    texts: BTreeMap<&'a str, &'a str>,
}

impl<'t, W: Write> HtmlWriter<'t, W> {
    pub fn for_writer(w: W) -> Self {
        HtmlWriter { w, texts: None }
    }

    /// The article texts by document id (the `doc` of every span), so the
    /// page can show mentions in context.
    pub fn texts(mut self, texts: &'t BTreeMap<String, String>) -> Self {
        self.texts = Some(texts);
        self
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let data = g.to_data();
        let title = page_title(&data);
        let (nodes, edges) = (data.nodes.len(), data.edges.len());
        let mut type_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for n in &data.nodes {
            *type_counts.entry(n.node_type.as_str()).or_default() += 1;
        }
        // Only the texts of documents in this graph: a caller's map may hold more.
        let texts: BTreeMap<&str, &str> = match self.texts {
            Some(t) => data
                .graph
                .documents
                .iter()
                .filter_map(|d| t.get_key_value(&d.id).map(|(k, v)| (k.as_str(), v.as_str())))
                .collect(),
            None => BTreeMap::new(),
        };
        // Collect the type filters before `data` moves into the payload.
        let mut filters = String::new();
        // Document nodes start hidden: every node links to its article, so
        // they would pull the whole drawing into one star.
        for t in TYPES {
            let n = type_counts.get(t).copied().unwrap_or(0);
            let checked = if t == "Document" { "" } else { " checked" };
            filters.push_str(&format!(
                "<label class=\"type\" data-type=\"{t}\"><input type=\"checkbox\" value=\"{t}\"{checked}><span class=\"swatch t-{t}\"></span>{t} <span class=\"n\">{n}</span></label>\n"
            ));
        }
        let json = serde_json::to_string(&Payload { graph: data, texts })?;
        let w = &mut self.w;
        write!(
            w,
            r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="newsgraph {version}">
<title>{title} — newsgraph</title>
<style>
{css}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="controls">
<input id="search" type="search" placeholder="Search names…" autocomplete="off" aria-label="Search nodes by name">
<span id="search-result" aria-live="polite"></span>
<span id="counts"><span id="node-count" data-count="{nodes}">{nodes}</span> nodes · <span id="edge-count" data-count="{edges}">{edges}</span> edges<span id="shown"></span></span>
</div>
<fieldset id="filters"><legend>Types</legend>
{filters}</fieldset>
</header>
<main>
<div id="cy" aria-label="Graph"></div>
<aside id="details">
<p class="hint">Click a node to see where the article mentions it and what was said by or about it.</p>
</aside>
</main>
<footer>Made by newsgraph {version}. Graph drawn with <a href="https://js.cytoscape.org/">Cytoscape.js</a> {cy_version}, © The Cytoscape Consortium, MIT licence (included in the script below).</footer>
<script type="application/json" id="newsgraph-data">{json}</script>
<script>
{cytoscape}
</script>
<script>
{viewer}</script>
</body>
</html>
"#,
            version = env!("CARGO_PKG_VERSION"),
            title = escape_html(&title),
            css = VIEWER_CSS,
            json = escape_script_json(&json),
            cytoscape = CYTOSCAPE_JS,
            cy_version = CYTOSCAPE_VERSION,
            viewer = VIEWER_JS,
        )?;
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// The page title: the one article's title, or how many articles there are.
fn page_title(data: &crate::graph::GraphData) -> String {
    match data.graph.documents.as_slice() {
        [d] => d.title.clone().unwrap_or_else(|| d.id.clone()),
        [] => "Empty graph".to_string(),
        ds => format!("{} articles", ds.len()),
    }
}

/// Text for HTML element content and attribute values.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON made safe inside `<script>`: `<`, `>` and `&` only occur inside JSON
/// strings, where `\u003c` etc. mean the same, so no `</script>` or `<!--` can
/// end or confuse the script element.
fn escape_script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{DocumentInfo, Node, NodeType, Span};

    fn graph() -> Graph {
        let mut g = Graph::new();
        g.add_document(DocumentInfo {
            id: "d1".into(),
            title: Some("Mayor <b>quits</b> & \"leaves\"".into()),
            date: Some("2024-03-01".into()),
            source: None,
        });
        let mut p = Node::new("person:ana-ruiz", NodeType::Person, "Ana Ruiz</script><script>alert(1)</script>");
        p.mentions.push(Span { doc: "d1".into(), start: 0, end: 8, text: "Ana Ruiz".into(), kind: None });
        g.add_node(p);
        g.add_node(Node::new("location:leeds", NodeType::Location, "Leeds"));
        g
    }

    fn page(g: &Graph, texts: &BTreeMap<String, String>) -> String {
        let buf = HtmlWriter::for_writer(Vec::new())
            .texts(texts)
            .serialize_graph(g)
            .and_then(HtmlWriter::finish)
            .expect("writes to memory");
        String::from_utf8(buf).expect("utf-8")
    }

    fn data_of(html: &str) -> serde_json::Value {
        let start = html.find("id=\"newsgraph-data\">").expect("data script") + "id=\"newsgraph-data\">".len();
        let end = start + html[start..].find("</script>").expect("end of data");
        serde_json::from_str(&html[start..end]).expect("embedded data is JSON")
    }

    #[test]
    fn embedded_data_cannot_close_the_script_and_round_trips() {
        let texts = BTreeMap::from([("d1".to_string(), "Ana Ruiz said </script><!-- no & more".to_string())]);
        let html = page(&graph(), &texts);
        // The only closing tags are the page's own three scripts.
        assert_eq!(html.matches("</script>").count(), 3);
        assert!(!html.contains("<script>alert(1)"));
        let v = data_of(&html);
        assert_eq!(v["graph"]["nodes"].as_array().map(Vec::len), Some(2));
        let label = v["graph"]["nodes"].as_array().into_iter().flatten().find(|n| n["id"] == "person:ana-ruiz").map(|n| n["label"].clone());
        assert_eq!(label, Some(serde_json::json!("Ana Ruiz</script><script>alert(1)</script>")));
        assert_eq!(v["texts"]["d1"], "Ana Ruiz said </script><!-- no & more");
    }

    #[test]
    fn page_shows_counts_and_escaped_title() {
        let html = page(&graph(), &BTreeMap::new());
        assert!(html.contains(r#"<span id="node-count" data-count="2">2</span> nodes"#), "node count on the page");
        assert!(html.contains(r#"<span id="edge-count" data-count="0">0</span> edges"#));
        assert!(html.contains("<title>Mayor &lt;b&gt;quits&lt;/b&gt; &amp; &quot;leaves&quot; — newsgraph</title>"));
        assert!(html.contains(r#"data-type="Person"><input type="checkbox" value="Person" checked><span class="swatch t-Person"></span>Person <span class="n">1</span>"#));
        // Nothing is fetched: no external script or style, a policy that forbids it.
        assert!(!html.contains("<script src") && !html.contains("<link"));
        assert!(html.contains("default-src 'none'"));
    }

    #[test]
    fn only_texts_of_the_graph_documents_are_embedded() {
        let texts = BTreeMap::from([("d1".to_string(), "Ana Ruiz".to_string()), ("other".to_string(), "secret".to_string())]);
        let v = data_of(&page(&graph(), &texts));
        assert_eq!(v["texts"], serde_json::json!({"d1": "Ana Ruiz"}));
    }

    #[test]
    fn empty_graph_is_a_page() {
        let html = page(&Graph::new(), &BTreeMap::new());
        assert!(html.contains("<title>Empty graph — newsgraph</title>"));
        assert!(html.contains(r#"data-count="0">0</span> nodes"#));
    }

    #[test]
    fn vendored_scripts_cannot_end_their_script_element() {
        for js in [CYTOSCAPE_JS, VIEWER_JS] {
            let lower = js.to_ascii_lowercase();
            assert!(!lower.contains("</script") && !lower.contains("<!--"));
        }
        assert!(CYTOSCAPE_JS.contains(&format!("\"{CYTOSCAPE_VERSION}\"")), "version named in the footer is the vendored one");
    }
}
