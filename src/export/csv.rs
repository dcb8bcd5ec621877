//! CSV for graph databases: a node file and an edge file with the header
//! conventions of Neo4j's bulk import (`neo4j-admin database import`), and
//! a Cypher script that loads both into Kùzu.
//!
//! - Nodes: `id:ID`, `:LABEL` (the node type), then the GraphML columns
//!   (`label`, `subtype`, `aliases:string[]`, `mention_count:int`, …).
//!   Spans and unknown fields are JSON text, as in GraphML.
//! - Edges: `:START_ID`, `:END_ID`, `:TYPE` (the relation), `id`,
//!   `confidence:double`, evidence, and the end nodes' types as
//!   `source_type:IGNORE` / `target_type:IGNORE` (Neo4j skips them; the Kùzu
//!   script needs them to pick a relationship table's FROM/TO pair).
//! - Arrays use Neo4j's default delimiter `;`; a `;` inside an element
//!   becomes `；` (U+FF1B) because neither tool can escape it. Empty lists
//!   and absent fields are empty cells (null in both tools). NUL characters
//!   are dropped.
//! - Quoting is RFC 4180: a cell with a comma, quote, line break or outer
//!   space is quoted, quotes doubled. Quote text spans lines, so Neo4j
//!   needs `--multiline-fields=true` and Kùzu reads serially (`parallel=false`).
//! - The Kùzu script makes one node table per type (all with the same
//!   columns) and one relationship table per relation, holding every
//!   (source type, target type) pair found. Table names are
//!   case-insensitive in Kùzu, so a relation named like a node type
//!   (`location` vs `Location`) gets the table name `location_rel`.
//!   Neo4j keeps the relation name as it is.

use crate::error::Error;
use crate::graph::{Edge, Graph, Node, NodeType, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How a column is typed: in the Neo4j header and in the Kùzu table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Str,
    StrArray,
    Int,
    Double,
}

impl ColType {
    fn neo4j_suffix(self) -> &'static str {
        match self {
            ColType::Str => "",
            ColType::StrArray => ":string[]",
            ColType::Int => ":int",
            ColType::Double => ":double",
        }
    }

    fn kuzu(self) -> &'static str {
        match self {
            ColType::Str => "STRING",
            ColType::StrArray => "STRING[]",
            ColType::Int => "INT64",
            ColType::Double => "DOUBLE",
        }
    }
}

/// A property column: its name (the property name in both tools) and type.
pub type Column = (&'static str, ColType);

/// Node property columns after `id:ID` and `:LABEL`, in file order.
pub const NODE_COLUMNS: &[Column] = &[
    ("label", ColType::Str),
    ("subtype", ColType::Str),
    ("aliases", ColType::StrArray),
    ("mention_count", ColType::Int),
    ("mentions", ColType::Str),
    ("sameAs", ColType::StrArray),
    ("event_type", ColType::Str),
    ("modality", ColType::Str),
    ("trigger_text", ColType::Str),
    ("trigger", ColType::Str),
    ("value", ColType::Str),
    ("timex_type", ColType::Str),
    ("kind", ColType::Str),
    ("cue_text", ColType::Str),
    ("cue", ColType::Str),
    ("content_text", ColType::Str),
    ("content", ColType::Str),
    ("source_text", ColType::Str),
    ("source", ColType::Str),
    ("date", ColType::Str),
    ("title", ColType::Str),
    ("extra", ColType::Str),
];

/// Edge property columns after `:START_ID`, `:END_ID`, `:TYPE`.
pub const EDGE_COLUMNS: &[Column] = &[
    ("id", ColType::Str),
    ("confidence", ColType::Double),
    ("evidence_text", ColType::Str),
    ("evidence", ColType::Str),
    ("extra", ColType::Str),
];

/// The array delimiter (Neo4j's default), and what replaces it inside elements.
pub const ARRAY_DELIMITER: char = ';';
const DELIMITER_STAND_IN: char = '\u{FF1B}';

/// The three files of a CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFiles {
    pub nodes: PathBuf,
    pub edges: PathBuf,
    pub script: PathBuf,
}

impl CsvFiles {
    /// `-o NAME.csv` gives `NAME.nodes.csv`, `NAME.edges.csv` and
    /// `NAME.schema.cypher` beside it; any other path is a directory
    /// (made if missing) holding `nodes.csv`, `edges.csv`, `schema.cypher`.
    pub fn for_output(path: &Path) -> CsvFiles {
        let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv && !path.is_dir() {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let beside = |suffix: &str| path.with_file_name(format!("{stem}.{suffix}"));
            CsvFiles { nodes: beside("nodes.csv"), edges: beside("edges.csv"), script: beside("schema.cypher") }
        } else {
            CsvFiles {
                nodes: path.join("nodes.csv"),
                edges: path.join("edges.csv"),
                script: path.join("schema.cypher"),
            }
        }
    }

    fn name(p: &Path) -> String {
        p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Writes the node file, the edge file and the Kùzu script, each atomically
/// (the script last, so it never names a file that is not there yet).
pub fn write_files(files: &CsvFiles, g: &Graph) -> anyhow::Result<()> {
    if let Some(dir) = files.nodes.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    }
    super::write_atomic(&files.nodes, |w| {
        Ok(NodeCsvWriter::for_writer(w).serialize_graph(g)?.finish().map(|_| ())?)
    })?;
    super::write_atomic(&files.edges, |w| {
        Ok(EdgeCsvWriter::for_writer(w).serialize_graph(g)?.finish().map(|_| ())?)
    })?;
    let script = kuzu_script(g, &CsvFiles::name(&files.nodes), &CsvFiles::name(&files.edges));
    super::write_atomic(&files.script, |w| Ok(w.write_all(script.as_bytes())?))
}

/// Writes the node CSV.
pub struct NodeCsvWriter<W: Write> {
    w: W,
}

impl<W: Write> NodeCsvWriter<W> {
    pub fn for_writer(w: W) -> Self {
        NodeCsvWriter { w }
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let mut header = String::from("id:ID,:LABEL");
        for (name, ty) in NODE_COLUMNS {
            let _ = write!(header, ",{name}{}", ty.neo4j_suffix());
        }
        header.push('\n');
        self.w.write_all(header.as_bytes())?;
        let mut row = Row::default();
        for n in g.nodes() {
            node_row(&mut row, n)?;
            self.w.write_all(row.buf.as_bytes())?;
        }
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes the edge CSV.
pub struct EdgeCsvWriter<W: Write> {
    w: W,
}

impl<W: Write> EdgeCsvWriter<W> {
    pub fn for_writer(w: W) -> Self {
        EdgeCsvWriter { w }
    }

    pub fn serialize_graph(mut self, g: &Graph) -> io::Result<Self> {
        let mut header = String::from(":START_ID,:END_ID,:TYPE");
        for (name, ty) in EDGE_COLUMNS {
            let _ = write!(header, ",{name}{}", ty.neo4j_suffix());
        }
        header.push_str(",source_type:IGNORE,target_type:IGNORE\n");
        self.w.write_all(header.as_bytes())?;
        let mut row = Row::default();
        for e in g.edges() {
            // An edge always joins two nodes of the graph (`Graph::add_edge`).
            let (Some(s), Some(t)) = (g.node(&e.source), g.node(&e.target)) else {
                continue;
            };
            edge_row(&mut row, e, s.node_type, t.node_type)?;
            self.w.write_all(row.buf.as_bytes())?;
        }
        Ok(self)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// One CSV line being built; reused from row to row.
#[derive(Default)]
struct Row {
    buf: String,
    cells: usize,
}

impl Row {
    fn start(&mut self) {
        self.buf.clear();
        self.cells = 0;
    }

    fn sep(&mut self) {
        if self.cells > 0 {
            self.buf.push(',');
        }
        self.cells += 1;
    }

    fn empty(&mut self) {
        self.sep();
    }

    /// A text cell, quoted when it must be.
    fn text(&mut self, s: &str) {
        self.sep();
        push_cell(&mut self.buf, s);
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.empty(),
        }
    }

    fn array(&mut self, items: &[String]) {
        if items.is_empty() {
            return self.empty();
        }
        let mut joined = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                joined.push(ARRAY_DELIMITER);
            }
            joined.extend(item.chars().map(|c| if c == ARRAY_DELIMITER { DELIMITER_STAND_IN } else { c }));
        }
        self.text(&joined);
    }

    fn json<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> io::Result<()> {
        let s = serde_json::to_string(v)?;
        self.text(&s);
        Ok(())
    }

    fn span(&mut self, s: Option<&Span>) -> io::Result<()> {
        match s {
            Some(s) => self.json(s),
            None => {
                self.empty();
                Ok(())
            }
        }
    }

    fn end(&mut self) {
        self.buf.push('\n');
    }
}

/// Appends `s` as one RFC 4180 cell.
fn push_cell(out: &mut String, s: &str) {
    let needs_quotes =
        s.contains([',', '"', '\n', '\r']) || s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace);
    if !needs_quotes {
        out.extend(s.chars().filter(|&c| c != '\0'));
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('"');
}

fn node_row(r: &mut Row, n: &Node) -> io::Result<()> {
    r.start();
    r.text(&n.id);
    r.text(n.node_type.as_str());
    // The order of NODE_COLUMNS.
    r.text(&n.label);
    r.opt(n.subtype.as_deref());
    r.array(&n.aliases);
    r.text(&n.mentions.len().to_string());
    if n.mentions.is_empty() {
        r.empty();
    } else {
        r.json(&n.mentions)?;
    }
    r.array(&n.same_as);
    r.opt(n.event_type.as_deref());
    r.opt(n.modality.as_deref());
    r.opt(n.trigger.as_ref().map(|s| s.text.as_str()));
    r.span(n.trigger.as_ref())?;
    r.opt(n.value.as_deref());
    r.opt(n.timex_type.as_deref());
    r.opt(n.kind.as_deref());
    r.opt(n.cue.as_ref().map(|s| s.text.as_str()));
    r.span(n.cue.as_ref())?;
    r.opt(n.content.as_ref().map(|s| s.text.as_str()));
    r.span(n.content.as_ref())?;
    r.opt(n.source.span().map(|s| s.text.as_str()));
    r.span(n.source.span())?;
    r.opt(n.date.as_deref());
    r.opt(n.title.as_deref());
    if n.extra.is_empty() {
        r.empty();
    } else {
        r.json(&n.extra)?;
    }
    debug_assert_eq!(r.cells, 2 + NODE_COLUMNS.len());
    r.end();
    Ok(())
}

fn edge_row(r: &mut Row, e: &Edge, source: NodeType, target: NodeType) -> io::Result<()> {
    r.start();
    r.text(&e.source);
    r.text(&e.target);
    r.text(&e.relation);
    // The order of EDGE_COLUMNS.
    r.text(&e.id);
    if e.confidence.is_finite() {
        r.text(&format!("{:?}", e.confidence));
    } else {
        r.empty();
    }
    r.opt(e.evidence.first().map(|s| s.text.as_str()));
    if e.evidence.is_empty() {
        r.empty();
    } else {
        r.json(&e.evidence)?;
    }
    if e.extra.is_empty() {
        r.empty();
    } else {
        r.json(&e.extra)?;
    }
    r.text(source.as_str());
    r.text(target.as_str());
    debug_assert_eq!(r.cells, 5 + EDGE_COLUMNS.len());
    r.end();
    Ok(())
}

/// The Kùzu table name for a relation: letters, digits and `_` only, never
/// a node table's name (Kùzu compares table names without case).
pub fn kuzu_rel_table(relation: &str) -> String {
    let mut name: String =
        relation.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "r_");
    }
    if NodeType::ALL.iter().any(|t| t.as_str().eq_ignore_ascii_case(&name)) {
        name.push_str("_rel");
    }
    name
}

/// A Cypher string literal.
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

const CSV_OPTIONS: &str = "(header=true, delim=',', quote='\"', escape='\"', parallel=false)";

/// `LOAD WITH HEADERS (...) FROM 'file' (...)`: every column read as a
/// string (the typed Neo4j headers would otherwise make Kùzu parse `a;b`
/// as one of its own lists) and converted in the RETURN.
fn load_from(cols: &[&str], file: &str) -> String {
    let heads: Vec<String> = cols.iter().map(|c| format!("`{c}` STRING")).collect();
    format!("LOAD WITH HEADERS ({}) FROM {} {CSV_OPTIONS}", heads.join(", "), literal(file))
}

fn convert(name: &str, ty: ColType) -> String {
    match ty {
        ColType::Str => format!("`{name}`"),
        ColType::StrArray => format!("string_split(`{name}`, '{ARRAY_DELIMITER}')"),
        ColType::Int | ColType::Double => format!("CAST(`{name}` AS {})", ty.kuzu()),
    }
}

fn table_columns(cols: &[Column]) -> String {
    cols.iter().map(|(n, ty)| format!(", `{n}` {}", ty.kuzu())).collect()
}

/// A Cypher script for Kùzu that creates the tables and copies both files
/// in; run it from the directory that holds them.
pub fn kuzu_script(g: &Graph, nodes_file: &str, edges_file: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// newsgraph CSV export, loaded into a new Kùzu database from this directory:");
    let _ = writeln!(s, "//   kuzu DB_DIR < this-file   (Python: conn.execute(open(this-file).read()))");
    let _ = writeln!(s, "// The same CSV files go into Neo4j with:");
    let _ = writeln!(
        s,
        "//   neo4j-admin database import full --nodes={nodes_file} --relationships={edges_file} --multiline-fields=true DB"
    );
    for t in NodeType::ALL {
        let _ =
            writeln!(s, "CREATE NODE TABLE `{}`(`id` STRING PRIMARY KEY{});", t.as_str(), table_columns(NODE_COLUMNS));
    }
    // Relation → table, and the (source type, target type) pairs it joins.
    let mut tables: BTreeMap<String, (BTreeSet<&str>, BTreeSet<(NodeType, NodeType)>)> = BTreeMap::new();
    let mut present: BTreeSet<NodeType> = BTreeSet::new();
    for n in g.nodes() {
        present.insert(n.node_type);
    }
    for e in g.edges() {
        if let (Some(a), Some(b)) = (g.node(&e.source), g.node(&e.target)) {
            let t = tables.entry(kuzu_rel_table(&e.relation)).or_default();
            t.0.insert(&e.relation);
            t.1.insert((a.node_type, b.node_type));
        }
    }
    let rel_props: Vec<Column> = EDGE_COLUMNS.to_vec();
    for (table, (_, pairs)) in &tables {
        let from_to: Vec<String> =
            pairs.iter().map(|(a, b)| format!("FROM `{}` TO `{}`", a.as_str(), b.as_str())).collect();
        let _ = writeln!(s, "CREATE REL TABLE `{table}`({}{});", from_to.join(", "), table_columns(&rel_props));
    }
    let mut node_cols: Vec<&str> = vec!["id", "node_type"];
    node_cols.extend(NODE_COLUMNS.iter().map(|c| c.0));
    let node_load = load_from(&node_cols, nodes_file);
    let node_ret: Vec<String> =
        std::iter::once("`id`".to_string()).chain(NODE_COLUMNS.iter().map(|&(n, ty)| convert(n, ty))).collect();
    for t in present {
        let _ = writeln!(
            s,
            "COPY `{}` FROM ({node_load} WHERE `node_type` = {} RETURN {});",
            t.as_str(),
            literal(t.as_str()),
            node_ret.join(", ")
        );
    }
    let mut edge_cols: Vec<&str> = vec!["from_id", "to_id", "relation"];
    edge_cols.extend(EDGE_COLUMNS.iter().map(|c| c.0));
    edge_cols.extend(["from_type", "to_type"]);
    let edge_load = load_from(&edge_cols, edges_file);
    let edge_ret: Vec<String> = ["`from_id`".to_string(), "`to_id`".to_string()]
        .into_iter()
        .chain(EDGE_COLUMNS.iter().map(|&(n, ty)| convert(n, ty)))
        .collect();
    for (table, (relations, pairs)) in &tables {
        let rels: Vec<String> = relations.iter().map(|r| literal(r)).collect();
        for (a, b) in pairs {
            let _ = writeln!(
                s,
                "COPY `{table}` FROM ({edge_load} WHERE `relation` IN [{}] AND `from_type` = {} AND `to_type` = {} RETURN {}) (from={}, to={});",
                rels.join(", "),
                literal(a.as_str()),
                literal(b.as_str()),
                edge_ret.join(", "),
                literal(a.as_str()),
                literal(b.as_str())
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testkit::sample_graph;

    fn nodes_csv(g: &Graph) -> String {
        String::from_utf8(NodeCsvWriter::for_writer(Vec::new()).serialize_graph(g).unwrap().finish().unwrap()).unwrap()
    }

    fn edges_csv(g: &Graph) -> String {
        String::from_utf8(EdgeCsvWriter::for_writer(Vec::new()).serialize_graph(g).unwrap().finish().unwrap()).unwrap()
    }

    /// A strict RFC 4180 reader: rows of cells.
    fn parse(csv: &str) -> Vec<Vec<String>> {
        let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
        let mut chars = csv.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => quoted = false,
                    c => cell.push(c),
                }
                continue;
            }
            match c {
                '"' => {
                    assert!(cell.is_empty(), "quote inside an unquoted cell: {cell:?}");
                    quoted = true;
                }
                ',' => row.push(std::mem::take(&mut cell)),
                '\n' => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                c => cell.push(c),
            }
        }
        assert!(!quoted && cell.is_empty() && row.is_empty(), "unterminated last row");
        rows
    }

    #[test]
    fn snapshots() {
        let g = sample_graph();
        insta::assert_snapshot!("sample_nodes_csv", nodes_csv(&g));
        insta::assert_snapshot!("sample_edges_csv", edges_csv(&g));
        insta::assert_snapshot!("sample_kuzu_script", kuzu_script(&g, "g.nodes.csv", "g.edges.csv"));
    }

    #[test]
    fn neo4j_headers_and_every_node_and_edge_read_back() {
        let g = sample_graph();
        let nodes = parse(&nodes_csv(&g));
        assert!(nodes[0].starts_with(&["id:ID".to_string(), ":LABEL".into(), "label".into()]));
        assert!(nodes[0].contains(&"aliases:string[]".to_string()));
        assert!(nodes[0].contains(&"mention_count:int".to_string()));
        assert_eq!(nodes.len(), g.node_count() + 1);
        let col = |name: &str| nodes[0].iter().position(|h| h.split(':').next() == Some(name)).unwrap();
        for row in &nodes[1..] {
            assert_eq!(row.len(), nodes[0].len());
            let n = g.node(&row[0]).unwrap();
            assert_eq!(row[1], n.node_type.as_str());
            assert_eq!(row[col("label")], n.label);
            assert_eq!(row[col("aliases")], n.aliases.join(";"));
        }
        let ruiz = nodes.iter().find(|r| r[0] == "person:ana-ruiz").unwrap();
        assert_eq!(ruiz[col("mention_count")], "2");
        let st = nodes.iter().find(|r| r[col("kind")] == "indirect").unwrap();
        assert_eq!(st[col("source_text")], "Mayor Ana Ruiz");
        let edges = parse(&edges_csv(&g));
        assert_eq!(&edges[0][..3], [":START_ID", ":END_ID", ":TYPE"]);
        assert_eq!(edges.len(), g.edge_count() + 1);
        for row in &edges[1..] {
            assert_eq!(row.len(), edges[0].len());
            let e = g.edges().find(|e| e.id == row[3]).unwrap();
            assert_eq!((&row[0], &row[1], &row[2]), (&e.source, &e.target, &e.relation));
            assert_eq!(row[4].parse::<f64>().unwrap(), e.confidence);
            assert_eq!(row[row.len() - 2], g.node(&e.source).unwrap().node_type.as_str());
        }
    }

    #[test]
    fn quotes_commas_newlines_and_delimiters_survive() {
        let mut g = Graph::new();
        let nasty = "He said, \"no\"\nthen \"yes\"\r\n ok ";
        let mut n = Node::new("person:x,\"y\"", NodeType::Person, nasty);
        n.aliases = vec!["a;b".into(), "c".into(), "\0d".into()];
        g.add_node(n);
        g.add_node(Node::new("s", NodeType::Statement, " "));
        let mut e = Edge::new("s", "said, \"x\"", "person:x,\"y\"", f64::NAN);
        e.evidence.push(Span { doc: "d".into(), start: 0, end: 1, text: "\"".into(), kind: None });
        g.add_edge(e);
        let rows = parse(&nodes_csv(&g));
        assert_eq!(rows.len(), 3);
        let x = rows.iter().find(|r| r[0] == "person:x,\"y\"").unwrap();
        assert_eq!(x[2], nasty);
        assert_eq!(x[4], "a\u{FF1B}b;c;d");
        assert_eq!(rows.iter().find(|r| r[0] == "s").unwrap()[2], " ");
        let rows = parse(&edges_csv(&g));
        assert_eq!(rows[1][2], "said, \"x\"");
        assert_eq!(rows[1][4], "", "NaN confidence is an empty cell");
        assert_eq!(rows[1][5], "\"");
    }

    #[test]
    fn relation_tables_never_clash_with_node_tables() {
        assert_eq!(kuzu_rel_table("attributed_to"), "attributed_to");
        assert_eq!(kuzu_rel_table("location"), "location_rel");
        assert_eq!(kuzu_rel_table("TIME"), "TIME_rel");
        assert_eq!(kuzu_rel_table("has space`"), "has_space_");
        assert_eq!(kuzu_rel_table("1st"), "r_1st");
        assert_eq!(kuzu_rel_table(""), "r_");
        assert_eq!(literal("it's a \\ test"), "'it\\'s a \\\\ test'");
    }

    #[test]
    fn output_paths() {
        let f = CsvFiles::for_output(Path::new("out/graph.csv"));
        assert_eq!(f.nodes, Path::new("out/graph.nodes.csv"));
        assert_eq!(f.edges, Path::new("out/graph.edges.csv"));
        assert_eq!(f.script, Path::new("out/graph.schema.cypher"));
        let f = CsvFiles::for_output(Path::new("out/kuzu"));
        assert_eq!(f.nodes, Path::new("out/kuzu/nodes.csv"));
        assert_eq!(f.script, Path::new("out/kuzu/schema.cypher"));
    }

    #[test]
    fn write_files_makes_the_directory_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("new/sub");
        let files = CsvFiles::for_output(&out);
        write_files(&files, &sample_graph()).unwrap();
        let mut names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["edges.csv", "nodes.csv", "schema.cypher"]);
        let script = std::fs::read_to_string(&files.script).unwrap();
        assert!(script.contains("FROM 'nodes.csv'") && script.contains("FROM 'edges.csv'"));
    }

    #[test]
    fn empty_graph_has_headers_and_tables_only() {
        let g = Graph::new();
        assert_eq!(nodes_csv(&g).lines().count(), 1);
        assert_eq!(edges_csv(&g).lines().count(), 1);
        let script = kuzu_script(&g, "n.csv", "e.csv");
        assert!(!script.contains("COPY") && !script.contains("REL TABLE"));
    }
}
