//! Graphviz DOT: node types as shapes and colours, relations as edge labels.
//!
//! Render with `dot -Tsvg graph.dot > graph.svg`. Every id and label is a
//! quoted string: `"` and `\` are escaped, a line break becomes `\n`, and
//! other control characters are dropped (Graphviz has no way to show
//! them). Labels show the exact text; Graphviz keeps the backslashes of a
//! node *name* as written, so a name (the SVG `<title>`) is the id with
//! each `\` doubled, still one name per id. `mentioned_in` edges (to the
//! article) are dashed and grey so they do not crowd the facts. The
//! palette is shared with the yEd GraphML profile (`node_style`).

use crate::graph::{Graph, NodeType};
use std::io::{self, Write};

/// How a node type is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStyle {
    /// Graphviz `shape`.
    pub dot_shape: &'static str,
    /// yFiles `y:Shape type`.
    pub yed_shape: &'static str,
    /// Fill colour, `#RRGGBB`.
    pub fill: &'static str,
}

const fn style(dot_shape: &'static str, yed_shape: &'static str, fill: &'static str) -> NodeStyle {
    NodeStyle { dot_shape, yed_shape, fill }
}

/// The drawing of each node type (a ColorBrewer "Paired" palette, readable
/// with black text).
pub fn node_style(t: NodeType) -> NodeStyle {
    match t {
        NodeType::Person => style("ellipse", "ellipse", "#A6CEE3"),
        NodeType::Organization => style("box", "rectangle", "#B2DF8A"),
        NodeType::Location => style("hexagon", "hexagon", "#FDBF6F"),
        NodeType::Other => style("octagon", "octagon", "#CAB2D6"),
        NodeType::Event => style("diamond", "diamond", "#FB9A99"),
        NodeType::Time => style("parallelogram", "parallelogram", "#FFFF99"),
        NodeType::Statement => style("note", "roundrectangle", "#E0E0E0"),
        NodeType::Document => style("folder", "rectangle3d", "#FFFFFF"),
    }
}

pub struct DotWriter<W: Write> {
    w: W,
}

impl<W: Write> DotWriter<W> {
    pub fn for_writer(w: W) -> Self {
        DotWriter { w }
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let w = &mut self.w;
        w.write_all(b"digraph newsgraph {\n")?;
        w.write_all(b"  graph [rankdir=LR, fontname=\"Helvetica\", overlap=false];\n")?;
        w.write_all(b"  node [fontname=\"Helvetica\", fontsize=11, style=filled, color=\"#555555\"];\n")?;
        w.write_all(b"  edge [fontname=\"Helvetica\", fontsize=9, color=\"#444444\"];\n")?;
        for n in g.nodes() {
            let s = node_style(n.node_type);
            let tooltip = match &n.subtype {
                Some(sub) => format!("{} ({sub})", n.node_type.as_str()),
                None => n.node_type.as_str().to_string(),
            };
            writeln!(
                w,
                "  {} [label={}, shape={}, fillcolor=\"{}\", tooltip={}];",
                quote(&n.id),
                quote(&n.label),
                s.dot_shape,
                s.fill,
                quote(&tooltip)
            )?;
        }
        for e in g.edges() {
            let extra = if e.relation == "mentioned_in" { ", style=dashed, color=\"#AAAAAA\"" } else { "" };
            writeln!(w, "  {} -> {} [label={}{extra}];", quote(&e.source), quote(&e.target), quote(&e.relation))?;
        }
        w.write_all(b"}\n")?;
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// A DOT quoted string (used for ids too: the same escaping everywhere
/// keeps distinct ids distinct).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testkit::sample_graph;
    use crate::graph::{Edge, Node};

    fn dot(g: &Graph) -> String {
        String::from_utf8(DotWriter::for_writer(Vec::new()).serialize_graph(g).unwrap().finish().unwrap()).unwrap()
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!("sample_dot", dot(&sample_graph()));
    }

    #[test]
    fn every_node_and_edge_with_its_style() {
        let g = sample_graph();
        let out = dot(&g);
        assert_eq!(out.lines().filter(|l| l.contains(" -> ")).count(), g.edge_count());
        assert!(out.contains(
            "\"person:ana-ruiz\" [label=\"Ana Ruiz\", shape=ellipse, fillcolor=\"#A6CEE3\", tooltip=\"Person\"];"
        ));
        assert!(out.contains("tooltip=\"Location (city)\""));
        assert!(out.contains("[label=\"attributed_to\"]"));
        let types: std::collections::BTreeSet<_> = NodeType::ALL.iter().map(|&t| node_style(t).fill).collect();
        assert_eq!(types.len(), NodeType::ALL.len(), "one colour per type");
    }

    #[test]
    fn quotes_backslashes_and_line_breaks_are_escaped() {
        assert_eq!(quote("say \"hi\"\\\nbye\r\u{1}\tx"), "\"say \\\"hi\\\"\\\\\\nbye x\"");
        assert_eq!(quote("ends with \\"), "\"ends with \\\\\"");
        let mut g = Graph::new();
        g.add_node(Node::new("a\\", NodeType::Person, "A \"B\"\nC"));
        g.add_node(Node::new("a\\\\", NodeType::Statement, ""));
        g.add_edge(Edge::new("a\\\\", "said \"so\"", "a\\", 1.0));
        let out = dot(&g);
        // Each quoted string ends at an unescaped quote: an even run of backslashes before it.
        for line in out.lines().filter(|l| l.starts_with("  \"")) {
            let mut quotes = 0;
            let mut backslashes = 0;
            for c in line.chars() {
                match c {
                    '\\' => backslashes += 1,
                    '"' if backslashes % 2 == 0 => {
                        quotes += 1;
                        backslashes = 0;
                    }
                    _ => backslashes = 0,
                }
            }
            assert_eq!(quotes % 2, 0, "unbalanced quotes in {line}");
        }
    }
}
