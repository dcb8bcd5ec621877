//! Answers questions over a graph: entities, relations, who said what,
//! what happened where and when, neighbourhoods and paths. Results are
//! [`Table`]s, which the CLI prints as aligned text, JSON or CSV.

mod table;

pub use table::{OutputFormat, Table};

use crate::graph::{Edge, Graph, Node, NodeType, SAME_AS};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeRef, NodeIndexable};
use petgraph::Direction;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum QueryError {
    #[error("no node named {name:?}{}", did_you_mean(.suggestions))]
    UnknownName { name: String, suggestions: Vec<String> },
    #[error("bad date {0:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
    BadDate(String),
    #[error("no path between {0:?} and {1:?}")]
    NoPath(String, String),
}

fn did_you_mean(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(" or "))
    }
}

/// Relations that tie things to where they were said, not to each other:
/// left out of neighbourhoods and paths, or every node would be two steps from every other.
const PROVENANCE: &str = "mentioned_in";

fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(fold).collect()
}

/// A name as the user typed it, folded once so that scoring every node of a
/// large graph allocates nothing but one reused buffer.
struct NameQuery {
    folded: String,
    words: Vec<String>,
}

impl NameQuery {
    fn new(query: &str) -> Self {
        NameQuery { folded: fold(query.trim()), words: words(query) }
    }

    /// How well this names `node`: 3 exact name, 2 every query word starts a word of a name, 1 substring.
    fn score(&self, node: &Node, buf: &mut String) -> u8 {
        let mut best = 0;
        for name in std::iter::once(&node.label).chain(&node.aliases) {
            buf.clear();
            buf.extend(name.chars().flat_map(char::to_lowercase));
            let n = buf.as_str();
            // Every non-zero score needs the first query word (or the whole query) inside the name.
            let needle = self.words.first().unwrap_or(&self.folded);
            if needle.is_empty() || !n.contains(needle.as_str()) {
                continue;
            }
            let score = if n == self.folded {
                3
            } else if !self.words.is_empty()
                && self.words.iter().all(|w| {
                    n.split(|c: char| !c.is_alphanumeric()).any(|x| !x.is_empty() && x.starts_with(w.as_str()))
                })
            {
                2
            } else if self.folded.len() >= 3 && n.contains(&self.folded) {
                1
            } else {
                0
            };
            best = best.max(score);
        }
        best
    }
}

/// A query engine over one loaded graph.
pub struct Query<'g> {
    g: &'g Graph,
    /// The surname links of the whole graph, both ways, made on first use:
    /// a graph read from per-document JSON Lines has only each document's.
    surname_links: OnceCell<BTreeMap<&'g str, Vec<&'g str>>>,
}

impl<'g> Query<'g> {
    pub fn new(g: &'g Graph) -> Self {
        Query { g, surname_links: OnceCell::new() }
    }

    fn surname_links(&self) -> &BTreeMap<&'g str, Vec<&'g str>> {
        self.surname_links.get_or_init(|| {
            let mut m: BTreeMap<&'g str, Vec<&'g str>> = BTreeMap::new();
            for e in crate::graph::surname_links(self.g.nodes()) {
                if let (Some(a), Some(b)) = (self.g.node(&e.source), self.g.node(&e.target)) {
                    m.entry(a.id.as_str()).or_default().push(b.id.as_str());
                    m.entry(b.id.as_str()).or_default().push(a.id.as_str());
                }
            }
            m
        })
    }

    /// Nodes a name refers to (best match class only), or an error with suggestions.
    pub fn resolve(&self, name: &str) -> Result<Vec<&'g Node>, QueryError> {
        let query = NameQuery::new(name);
        let mut buf = String::new();
        let mut scored: Vec<(u8, &Node)> = self
            .g
            .nodes()
            .filter(|n| !matches!(n.node_type, NodeType::Statement | NodeType::Document))
            .map(|n| (query.score(n, &mut buf), n))
            .filter(|(s, _)| *s > 0)
            .collect();
        let top = scored.iter().map(|(s, _)| *s).max().unwrap_or(0);
        scored.retain(|(s, _)| *s == top);
        if scored.is_empty() {
            return Err(QueryError::UnknownName { name: name.to_string(), suggestions: self.suggest(name) });
        }
        Ok(scored.into_iter().map(|(_, n)| n).collect())
    }

    fn suggest(&self, name: &str) -> Vec<String> {
        let q = fold(name);
        let mut cands: Vec<(u32, String)> = self
            .g
            .nodes()
            .filter(|n| !matches!(n.node_type, NodeType::Statement | NodeType::Document | NodeType::Time))
            .flat_map(|n| std::iter::once(&n.label).chain(&n.aliases))
            .filter_map(|l| {
                let whole = strsim::jaro_winkler(&q, &fold(l));
                let part = words(l).iter().map(|w| strsim::jaro_winkler(&q, w)).fold(0.0, f64::max);
                let s = whole.max(part);
                (s >= 0.8).then(|| ((s * 1000.0) as u32, l.clone()))
            })
            .collect();
        cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        cands.dedup_by(|a, b| a.1 == b.1);
        cands.into_iter().take(3).map(|(_, l)| l).collect()
    }

    /// The ids a name refers to, with every node `same_as` links to them, so
    /// that "Vladimir Putin" also finds what an article gave only as "Putin".
    fn ids(&self, name: Option<&str>) -> Result<Option<BTreeSet<&'g str>>, QueryError> {
        name.map(|n| self.resolve(n).map(|ns| self.with_same_as(ns.into_iter().map(|n| n.id.as_str()).collect())))
            .transpose()
    }

    /// `ids` and the nodes joined to them by `same_as` edges or by the
    /// graph's surname links, either way and transitively (a surname-only
    /// node links to a full name, which others may link to). The graph's own
    /// edges are kept as they are: a link made another way is followed too.
    fn with_same_as(&self, mut ids: BTreeSet<&'g str>) -> BTreeSet<&'g str> {
        let (pg, index) = self.g.petgraph();
        let derived = self.surname_links();
        let mut todo: Vec<&'g str> = ids.iter().copied().collect();
        let mut linked: Vec<&'g str> = Vec::new();
        while let Some(id) = todo.pop() {
            linked.clear();
            if let Some(&ix) = index.get(id) {
                linked.extend(
                    pg.edges_directed(ix, Direction::Outgoing)
                        .chain(pg.edges_directed(ix, Direction::Incoming))
                        .filter(|e| e.weight().relation == SAME_AS)
                        .map(|e| pg[if e.source() == ix { e.target() } else { e.source() }].id.as_str()),
                );
            }
            linked.extend(derived.get(id).into_iter().flatten().copied());
            for &other in &linked {
                if ids.insert(other) {
                    todo.push(other);
                }
            }
        }
        ids
    }

    fn label(&self, id: &str) -> String {
        self.g.node(id).map(|n| n.label.clone()).unwrap_or_else(|| id.to_string())
    }

    fn out_edges(&self, id: &str) -> Vec<&'g Edge> {
        let (pg, index) = self.g.petgraph();
        let Some(&ix) = index.get(id) else { return Vec::new() };
        let mut v: Vec<&Edge> = pg.edges_directed(ix, Direction::Outgoing).map(|e| e.weight()).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Entities by type and (fuzzy, alias-aware) name.
    pub fn entities(&self, types: &[NodeType], name: Option<&str>) -> Result<Table, QueryError> {
        let matched = self.ids(name)?;
        let mut t = Table::new(&["id", "type", "subtype", "label", "aliases", "mentions"]);
        for n in self.g.nodes() {
            if (!types.is_empty() && !types.contains(&n.node_type))
                || (types.is_empty()
                    && !matches!(n.node_type, NodeType::Person | NodeType::Organization | NodeType::Location | NodeType::Other))
                || matched.as_ref().is_some_and(|m| !m.contains(n.id.as_str()))
            {
                continue;
            }
            t.push(vec![
                n.id.clone(),
                n.node_type.as_str().to_string(),
                n.subtype.clone().unwrap_or_default(),
                n.label.clone(),
                n.aliases.join("; "),
                n.mentions.len().to_string(),
            ]);
        }
        Ok(t)
    }

    /// Relations between entities, optionally of one kind, from and to named nodes.
    pub fn relations(&self, relation: Option<&str>, from: Option<&str>, to: Option<&str>) -> Result<Table, QueryError> {
        let (from, to) = (self.ids(from)?, self.ids(to)?);
        let mut t = Table::new(&["source", "relation", "target", "confidence", "evidence"]);
        for e in self.g.edges() {
            let keep = relation.map_or(e.relation != PROVENANCE, |r| e.relation == r)
                && from.as_ref().is_none_or(|f| f.contains(e.source.as_str()))
                && to.as_ref().is_none_or(|f| f.contains(e.target.as_str()));
            if keep {
                t.push(vec![
                    self.label(&e.source),
                    e.relation.clone(),
                    self.label(&e.target),
                    format!("{:.2}", e.confidence),
                    e.evidence.first().map(|s| s.text.clone()).unwrap_or_default(),
                ]);
            }
        }
        Ok(t)
    }

    /// Who said what: statements by a speaker and/or about someone or something.
    pub fn statements(&self, by: Option<&str>, about: Option<&str>) -> Result<Table, QueryError> {
        let by_ids = self.ids(by)?;
        let about_nodes: Option<Vec<&Node>> = self.ids(about)?.map(|ids| ids.into_iter().filter_map(|id| self.g.node(id)).collect());
        let mut t = Table::new(&["speaker", "kind", "cue", "content", "document", "start", "end"]);
        // In reading order: by document, then where the content stands.
        let mut rows: Vec<((bool, &str, usize, usize), Vec<String>)> = Vec::new();
        for n in self.g.nodes().filter(|n| n.node_type == NodeType::Statement) {
            let edges = self.out_edges(&n.id);
            let speakers: Vec<&str> =
                edges.iter().filter(|e| e.relation == "attributed_to").map(|e| e.target.as_str()).collect();
            if by_ids.as_ref().is_some_and(|b| !speakers.iter().any(|s| b.contains(s))) {
                continue;
            }
            if let Some(about) = &about_nodes {
                let content = n.content.as_ref().map(|c| fold(&c.text)).unwrap_or_default();
                let hit = about.iter().any(|a| {
                    edges.iter().any(|e| e.relation == "about" && e.target == a.id)
                        || std::iter::once(&a.label).chain(&a.aliases).any(|l| content.contains(&fold(l)))
                });
                if !hit {
                    continue;
                }
            }
            let speaker = if speakers.is_empty() {
                n.source.span().map(|s| s.text.clone()).unwrap_or_default()
            } else {
                speakers.iter().map(|s| self.label(s)).collect::<Vec<_>>().join("; ")
            };
            let content = n.content.as_ref();
            // A statement without content (none in our graphs, but other writers') goes last.
            let at = content.map_or((true, "", 0, 0), |c| (false, c.doc.as_str(), c.start, c.end));
            rows.push((at, vec![
                speaker,
                n.kind.clone().unwrap_or_default(),
                n.cue.as_ref().map(|c| c.text.clone()).unwrap_or_default(),
                content.map(|c| c.text.clone()).unwrap_or_default(),
                content.map(|c| c.doc.clone()).unwrap_or_default(),
                content.map(|c| c.start.to_string()).unwrap_or_default(),
                content.map(|c| c.end.to_string()).unwrap_or_default(),
            ]));
        }
        // Stable: statements at the same place keep the graph's (id) order.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, row) in rows {
            t.push(row);
        }
        Ok(t)
    }

    /// What happened: events involving someone, in a place, within dates, as a timeline.
    pub fn events(
        &self,
        involving: Option<&str>,
        place: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<Table, QueryError> {
        let involving = self.ids(involving)?;
        let places = self.ids(place)?.map(|p| self.with_contained_places(p));
        let since = since.map(|s| date_range(s).map(|r| r.0).ok_or_else(|| QueryError::BadDate(s.into()))).transpose()?;
        let until = until.map(|s| date_range(s).map(|r| r.1).ok_or_else(|| QueryError::BadDate(s.into()))).transpose()?;
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        for n in self.g.nodes().filter(|n| n.node_type == NodeType::Event) {
            let edges = self.out_edges(&n.id);
            let targets = |rel: &[&str]| -> Vec<&str> {
                edges.iter().filter(|e| rel.contains(&e.relation.as_str())).map(|e| e.target.as_str()).collect()
            };
            let when: Vec<String> =
                targets(&["time"]).iter().filter_map(|t| self.g.node(t)).filter_map(|t| t.value.clone()).collect();
            let wheres = targets(&["location"]);
            let who = targets(&["agent", "patient", "instrument"]);
            if involving.as_ref().is_some_and(|i| !who.iter().chain(&wheres).any(|w| i.contains(w))) {
                continue;
            }
            if places.as_ref().is_some_and(|p| !wheres.iter().any(|w| p.contains(*w))) {
                continue;
            }
            if since.is_some() || until.is_some() {
                let in_range = when.iter().filter_map(|v| date_range(v)).any(|(a, b)| {
                    since.as_ref().is_none_or(|s| &b >= s) && until.as_ref().is_none_or(|u| &a <= u)
                });
                if !in_range {
                    continue;
                }
            }
            let participants: Vec<String> = edges
                .iter()
                .filter(|e| matches!(e.relation.as_str(), "agent" | "patient" | "instrument"))
                .map(|e| format!("{}={}", e.relation, self.label(&e.target)))
                .collect();
            let trig = n.trigger.as_ref();
            let time = when.first().cloned().unwrap_or_default();
            rows.push((
                time.clone(),
                vec![
                    time,
                    n.event_type.clone().unwrap_or_default(),
                    n.label.clone(),
                    participants.join("; "),
                    wheres.iter().map(|w| self.label(w)).collect::<Vec<_>>().join("; "),
                    n.modality.clone().unwrap_or_default(),
                    trig.map(|s| s.doc.clone()).unwrap_or_default(),
                    trig.map(|s| s.start.to_string()).unwrap_or_default(),
                ],
            ));
        }
        // A timeline: dated events in date order, undated ones last.
        rows.sort_by(|a, b| (a.0.is_empty(), &a.0, &a.1).cmp(&(b.0.is_empty(), &b.0, &b.1)));
        let mut t = Table::new(&["time", "event_type", "event", "participants", "location", "modality", "document", "start"]);
        rows.into_iter().for_each(|(_, r)| t.push(r));
        Ok(t)
    }

    /// A place and everything `located_in` it, transitively.
    fn with_contained_places(&self, mut places: BTreeSet<&'g str>) -> BTreeSet<&'g str> {
        loop {
            let before = places.len();
            for e in self.g.edges().filter(|e| e.relation == "located_in") {
                if places.contains(e.target.as_str()) {
                    places.insert(e.source.as_str());
                }
            }
            if places.len() == before {
                return places;
            }
        }
    }

    /// Undirected breadth-first walk over petgraph, skipping provenance edges
    /// (`mentioned_in`), from `starts` out to `depth` steps. With `goals`, it stops
    /// after the first level that reaches one, which keeps a path query from
    /// walking a whole corpus graph. Neighbours are visited in (id, edge id) order,
    /// so ties between equally short paths break the same way every run.
    fn walk(&self, starts: &[&'g Node], depth: usize, goals: &BTreeSet<&str>) -> Walk {
        let (pg, index) = self.g.petgraph();
        let bound = pg.node_bound();
        let mut walk = Walk { dist: vec![u32::MAX; bound], parent: vec![None; bound], order: Vec::new() };
        let mut frontier: Vec<NodeIndex> = Vec::new();
        for s in starts {
            if let Some(&ix) = index.get(s.id.as_str()) {
                if walk.dist[ix.index()] == u32::MAX {
                    walk.dist[ix.index()] = 0;
                    walk.order.push(ix);
                    frontier.push(ix);
                }
            }
        }
        let mut level = 0usize;
        let mut next_frontier = Vec::new();
        let mut next: Vec<(&str, &str, NodeIndex, EdgeIndex)> = Vec::new();
        while !frontier.is_empty() && level < depth {
            if !goals.is_empty() && frontier.iter().any(|ix| goals.contains(pg[*ix].id.as_str())) {
                break;
            }
            for &ix in &frontier {
                next.clear();
                next.extend(
                    pg.edges_directed(ix, Direction::Outgoing)
                        .chain(pg.edges_directed(ix, Direction::Incoming))
                        .filter(|e| e.weight().relation != PROVENANCE)
                        .map(|e| {
                            let other = if e.source() == ix { e.target() } else { e.source() };
                            (pg[other].id.as_str(), e.weight().id.as_str(), other, e.id())
                        }),
                );
                next.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
                for &(_, _, other, e) in &next {
                    if walk.dist[other.index()] == u32::MAX {
                        walk.dist[other.index()] = (level + 1) as u32;
                        walk.parent[other.index()] = Some((ix, e));
                        walk.order.push(other);
                        next_frontier.push(other);
                    }
                }
            }
            std::mem::swap(&mut frontier, &mut next_frontier);
            next_frontier.clear();
            level += 1;
        }
        walk
    }

    /// Everything within `depth` steps of a named node.
    pub fn neighbors(&self, name: &str, depth: usize) -> Result<Table, QueryError> {
        let starts = self.resolve(name)?;
        let walk = self.walk(&starts, depth, &BTreeSet::new());
        let (pg, _) = self.g.petgraph();
        let mut rows: Vec<(usize, Vec<String>)> = walk
            .order
            .iter()
            .filter_map(|&ix| {
                let d = walk.dist[ix.index()] as usize;
                let (via, e) = walk.parent[ix.index()]?;
                let n = &pg[ix];
                Some((d, vec![
                    d.to_string(),
                    n.node_type.as_str().to_string(),
                    n.label.clone(),
                    pg[e].relation.clone(),
                    pg[via].label.clone(),
                ]))
            })
            .collect();
        rows.sort();
        let mut t = Table::new(&["depth", "type", "label", "relation", "via"]);
        rows.into_iter().for_each(|(_, r)| t.push(r));
        Ok(t)
    }

    /// The shortest chain of relations between two named nodes.
    pub fn path(&self, from: &str, to: &str) -> Result<Table, QueryError> {
        let starts = self.resolve(from)?;
        let goals: BTreeSet<&str> = self.resolve(to)?.into_iter().map(|n| n.id.as_str()).collect();
        let walk = self.walk(&starts, usize::MAX, &goals);
        let (pg, index) = self.g.petgraph();
        let goal = goals
            .iter()
            .filter_map(|g| index.get(*g).map(|&ix| (walk.dist[ix.index()], *g, ix)))
            .filter(|(d, _, _)| *d != u32::MAX)
            .min()
            .ok_or_else(|| QueryError::NoPath(from.to_string(), to.to_string()))?
            .2;
        let mut steps = Vec::new();
        let mut cur = goal;
        while let Some((prev, e)) = walk.parent[cur.index()] {
            let e = &pg[e];
            let arrow = if e.source == pg[prev].id { "->" } else { "<-" };
            steps.push(vec![pg[prev].label.clone(), format!("{arrow} {} {arrow}", e.relation), pg[cur].label.clone()]);
            cur = prev;
        }
        steps.reverse();
        let mut t = Table::new(&["from", "relation", "to"]);
        steps.into_iter().for_each(|r| t.push(r));
        Ok(t)
    }
}

/// The result of a breadth-first walk, indexed by petgraph node index.
struct Walk {
    dist: Vec<u32>,
    parent: Vec<Option<(NodeIndex, EdgeIndex)>>,
    /// Reached nodes in visiting order.
    order: Vec<NodeIndex>,
}

/// The first and last day a TIMEX3 date value covers, as comparable `YYYY-MM-DD` strings.
fn date_range(v: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    // "2024-13" or "2024-02-30" is no date: a typo must not filter silently.
    let month = |m: &str| num(m, 2) && ("01"..="12").contains(&m);
    let day = |y: &str, m: &str, d: &str| {
        let n = |s: &str| s.parse::<u32>().ok();
        matches!((y.parse::<i32>().ok(), n(m), n(d)), (Some(y), Some(m), Some(d)) if chrono::NaiveDate::from_ymd_opt(y, m, d).is_some())
    };
    match parts.as_slice() {
        [y] if num(y, 4) => Some((format!("{y}-01-01"), format!("{y}-12-31"))),
        [y, m] if num(y, 4) && month(m) => Some((format!("{y}-{m}-01"), format!("{y}-{m}-31"))),
        [y, m, d] if num(y, 4) && month(m) && d.get(..2).is_some_and(|d| num(d, 2) && day(y, m, d)) => {
            let day = format!("{y}-{m}-{}", &d[..2]);
            Some((day.clone(), day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, Node};

    fn sample() -> Graph {
        let mut g = Graph::new();
        let mut putin = Node::new("person:vladimir-putin", NodeType::Person, "Vladimir Putin");
        putin.aliases.push("Putin".into());
        g.add_node(putin);
        g.add_node(Node::new("location:moscow", NodeType::Location, "Moscow"));
        g.add_node(Node::new("location:russia", NodeType::Location, "Russia"));
        let mut t = Node::new("time:2024-12-17", NodeType::Time, "2024-12-17");
        t.value = Some("2024-12-17".into());
        g.add_node(t);
        let mut ev = Node::new("event:a", NodeType::Event, "blast");
        ev.event_type = Some("Conflict.Attack".into());
        g.add_node(ev);
        let mut st = Node::new("statement:a", NodeType::Statement, "We missed these hits");
        st.content = Some(crate::graph::Span { doc: "d".into(), start: 1, end: 21, text: "We missed these hits".into(), kind: None });
        g.add_node(st);
        for (s, r, t) in [
            ("location:moscow", "located_in", "location:russia"),
            ("event:a", "location", "location:moscow"),
            ("event:a", "time", "time:2024-12-17"),
            ("statement:a", "attributed_to", "person:vladimir-putin"),
            ("person:vladimir-putin", "leader_of", "location:russia"),
        ] {
            assert!(g.add_edge(Edge::new(s, r, t, 1.0)));
        }
        g
    }

    #[test]
    fn names_resolve_by_alias_and_word_prefix_with_suggestions() {
        let g = sample();
        let q = Query::new(&g);
        assert_eq!(q.resolve("putin").unwrap()[0].id, "person:vladimir-putin");
        assert_eq!(q.resolve("vlad").unwrap()[0].id, "person:vladimir-putin");
        match q.resolve("Putn") {
            Err(QueryError::UnknownName { suggestions, .. }) => assert!(suggestions.contains(&"Putin".to_string())),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn events_filter_by_contained_place_and_date() {
        let g = sample();
        let q = Query::new(&g);
        assert_eq!(q.events(None, Some("Russia"), Some("2024-12-01"), Some("2024-12-31")).unwrap().rows.len(), 1);
        assert_eq!(q.events(None, Some("Russia"), Some("2024-12-18"), None).unwrap().rows.len(), 0);
        for bad in ["soon", "2024-12-1é", "2024-13", "2024-13-45", "2023-02-29", "2024-00-10", "2024-1-5", "24-12-01"] {
            assert!(matches!(q.events(None, None, Some(bad), None), Err(QueryError::BadDate(_))), "{bad}");
        }
        // A leap day and a TIMEX value with a time of day are dates.
        assert!(q.events(None, None, Some("2024-02-29"), Some("2024-12-17T10:00")).is_ok());
    }

    #[test]
    fn statements_by_speaker_and_paths_between_entities() {
        let g = sample();
        let q = Query::new(&g);
        let t = q.statements(Some("Putin"), None).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0], "Vladimir Putin");
        let p = q.path("Putin", "Moscow").unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0][2], "Russia");
    }

    /// Statements come in reading order (document, then offset), not in
    /// the order of their ids.
    #[test]
    fn statements_are_listed_in_reading_order() {
        let mut g = sample();
        for (id, doc, at, said) in [("statement:0", "d", 90, "Later words"), ("statement:1", "c", 5, "Other text"), ("statement:2", "d", 30, "Middle words")] {
            let mut st = Node::new(id, NodeType::Statement, said);
            st.content = Some(crate::graph::Span { doc: doc.into(), start: at, end: at + said.len(), text: said.into(), kind: None });
            g.add_node(st);
        }
        let rows = Query::new(&g).statements(None, None).unwrap().rows;
        let at: Vec<(&str, &str)> = rows.iter().map(|r| (r[4].as_str(), r[5].as_str())).collect();
        assert_eq!(at, [("c", "5"), ("d", "1"), ("d", "30"), ("d", "90")]);
    }

    /// A statement attributed to the surname-only node is found by the full
    /// name and the other way round: the graph's surname links join the two
    /// nodes even where no `same_as` edge was stored (per-document JSON
    /// Lines), and stored `same_as` edges are followed on from there.
    #[test]
    fn speaker_names_follow_same_as_both_ways() {
        let mut g = sample();
        // Without the alias, "Putin" would find only the one-word node.
        if let Some(n) = g.node_mut("person:vladimir-putin") {
            n.aliases.clear();
        }
        g.add_node(Node::new("person:putin", NodeType::Person, "Putin"));
        g.add_node(Node::new("person:the-kremlin-leader", NodeType::Person, "The Kremlin Leader"));
        for (id, at, said, by) in [
            ("statement:b", 0, "Talks are possible", "person:putin"),
            ("statement:c", 20, "The war will end", "person:the-kremlin-leader"),
        ] {
            let mut st = Node::new(id, NodeType::Statement, said);
            st.content = Some(crate::graph::Span { doc: "e".into(), start: at, end: at + said.chars().count(), text: said.into(), kind: None });
            g.add_node(st);
            assert!(g.add_edge(Edge::new(id, "attributed_to", by, 1.0)));
        }
        let by = |g: &Graph, name: &str| {
            let mut c: Vec<String> = Query::new(g).statements(Some(name), None).unwrap().rows.into_iter().map(|r| r[3].clone()).collect();
            c.sort();
            c
        };
        let both = ["Talks are possible", "We missed these hits"];
        assert_eq!(by(&g, "Vladimir Putin"), both);
        assert_eq!(by(&g, "Putin"), both);
        // A stored link the surname rule would not make, reached through the derived one.
        assert!(g.add_edge(Edge::new("person:the-kremlin-leader", SAME_AS, "person:vladimir-putin", 0.9)));
        let all = ["Talks are possible", "The war will end", "We missed these hits"];
        assert_eq!(by(&g, "Putin"), all);
        assert_eq!(by(&g, "Kremlin Leader"), all);
        // The other name filters follow the link too.
        let q = Query::new(&g);
        assert_eq!(q.entities(&[NodeType::Person], Some("Putin")).unwrap().rows.len(), 3);
        assert_eq!(q.relations(Some("leader_of"), Some("Putin"), None).unwrap().rows.len(), 1);
        let mut st = Node::new("statement:d", NodeType::Statement, "Putin will not come");
        st.content = Some(crate::graph::Span { doc: "e".into(), start: 40, end: 59, text: "Putin will not come".into(), kind: None });
        g.add_node(st);
        let q = Query::new(&g);
        let about = q.statements(None, Some("Vladimir Putin")).unwrap();
        assert_eq!(about.rows.len(), 1);
        assert_eq!(about.rows[0][3], "Putin will not come");
    }
}
