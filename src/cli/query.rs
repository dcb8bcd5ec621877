//! `newsgraph query`: loads a graph (or builds one from articles) and prints answers.

use anyhow::Context;
use clap::Subcommand;
use newsgraph::graph::{load::read_graph_file, Graph, NodeType};
use newsgraph::pipeline::Pipeline;
use newsgraph::query::{OutputFormat, Query, Table};
use newsgraph::text::load::{load_inputs, parse_date, LoadOptions};
use newsgraph::text::InputSpec;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub const EXAMPLES: &str = "\
Examples:
  newsgraph query g.json --type Person --name putin
  newsgraph query g.json --relation leader_of
  newsgraph query g.json --from Putin --to Russia
  newsgraph query g.json statements --by Putin
  newsgraph query g.json statements --about Kirillov --output-format csv
  newsgraph query g.json events --involving Kirillov --in Moscow --since 2024-12-01 --until 2024-12-31
  newsgraph query g.json --neighbors Kirillov --depth 2
  newsgraph query g.json --path Kirillov Ukraine
  newsgraph query article.txt --date 2024-12-19 statements   (builds the graph on the fly)";

#[derive(clap::Args)]
pub struct QueryArgs {
    /// A graph (newsgraph JSON, or JSON Lines of graphs), or article files (.txt) to build one from.
    #[arg(value_name = "GRAPH")]
    graph: PathBuf,
    #[command(subcommand)]
    what: Option<What>,
    /// Entities of these types (Person, Organization, Location, Other, Event, Time).
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,
    /// Entities whose name or alias matches (case-insensitive, word prefixes).
    #[arg(long)]
    name: Option<String>,
    /// Relations of this kind (leader_of, located_in, attributed_to, ...).
    #[arg(long)]
    relation: Option<String>,
    /// Relations from this entity.
    #[arg(long)]
    from: Option<String>,
    /// Relations to this entity.
    #[arg(long)]
    to: Option<String>,
    /// Everything near this entity.
    #[arg(long, value_name = "NAME")]
    neighbors: Option<String>,
    /// Steps for --neighbors.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// The shortest chain of relations between two entities.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    path: Option<Vec<String>>,
    /// table (aligned, for reading), json or csv (for pipes and scripts).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, global = true)]
    output_format: OutputFormat,
    /// Print the seconds spent loading the graph and answering on standard error.
    #[arg(long, global = true)]
    timings: bool,
    /// Publication date when GRAPH is an article to build from.
    #[arg(long, value_name = "YYYY-MM-DD", global = true)]
    date: Option<String>,
}

#[derive(Subcommand)]
enum What {
    /// Who said what: statements, their speakers, cues and contents.
    Statements {
        /// Said by this speaker.
        #[arg(long)]
        by: Option<String>,
        /// Mentioning this entity or event.
        #[arg(long)]
        about: Option<String>,
    },
    /// What happened: events as a timeline.
    Events {
        /// With this participant.
        #[arg(long)]
        involving: Option<String>,
        /// In this place (or a place located in it).
        #[arg(long = "in", value_name = "PLACE")]
        place: Option<String>,
        /// On or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// On or before this date.
        #[arg(long)]
        until: Option<String>,
    },
}

fn load(a: &QueryArgs) -> anyhow::Result<Graph> {
    let mut g = Graph::new();
    let is_article = a.graph.extension().is_some_and(|e| e == "txt");
    if is_article {
        let date = a.date.as_deref().map(|d| parse_date("--date", d)).transpose()?;
        let opts = LoadOptions { date, ..LoadOptions::default() };
        let pipeline = Pipeline::bundled()?;
        for doc in load_inputs(&[InputSpec::Path(a.graph.clone())], &opts) {
            g.merge(pipeline.process(&doc?));
        }
    } else {
        read_graph_file(&a.graph, &mut g)?;
    }
    Ok(g)
}

fn node_type(name: &str) -> anyhow::Result<NodeType> {
    NodeType::ALL
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(name))
        .with_context(|| {
            let all: Vec<&str> = NodeType::ALL.iter().map(|t| t.as_str()).collect();
            format!("--type {name}: unknown type (one of {})", all.join(", "))
        })
}

pub fn run(a: QueryArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let g = load(&a)?;
    let loaded = started.elapsed();
    let q = Query::new(&g);
    let input = a.graph.display().to_string();
    let table: Table = (|| -> anyhow::Result<Table> {
        Ok(match &a.what {
            Some(What::Statements { by, about }) => q.statements(by.as_deref(), about.as_deref())?,
            Some(What::Events { involving, place, since, until }) => {
                q.events(involving.as_deref(), place.as_deref(), since.as_deref(), until.as_deref())?
            }
            None => {
                if let Some(p) = &a.path {
                    q.path(&p[0], &p[1])?
                } else if let Some(n) = &a.neighbors {
                    q.neighbors(n, a.depth)?
                } else if a.relation.is_some() || a.from.is_some() || a.to.is_some() {
                    q.relations(a.relation.as_deref(), a.from.as_deref(), a.to.as_deref())?
                } else {
                    let types = a.types.iter().map(|t| node_type(t)).collect::<anyhow::Result<Vec<_>>>()?;
                    q.entities(&types, a.name.as_deref())?
                }
            }
        })
    })()
    .with_context(|| input.clone())?;
    if a.timings {
        eprintln!(
            "{input}: {} nodes, {} edges; loaded in {:.3} s, answered in {:.3} s",
            g.node_count(),
            g.edge_count(),
            loaded.as_secs_f64(),
            (started.elapsed() - loaded).as_secs_f64()
        );
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    table.write(a.output_format, &mut w).context("standard output: cannot write")?;
    // On a terminal an empty answer says so; in a pipe it is just the header.
    if table.rows.is_empty() && std::io::stderr().is_terminal() {
        eprintln!("(no results)");
    }
    w.flush().context("standard output: cannot write")?;
    Ok(ExitCode::SUCCESS)
}
