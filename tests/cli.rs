//! Runs the real `newsgraph` binary, as users and scorers do.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> PathBuf {
    root().join("examples/article.txt")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run newsgraph")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsgraph");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "newsgraph failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

/// Every span in the graph: (doc, start, end, text).
fn all_spans(v: &Value, out: &mut Vec<(String, usize, usize, String)>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(d)), Some(s), Some(e), Some(Value::String(t))) =
                (m.get("doc"), m.get("start"), m.get("end"), m.get("text"))
            {
                out.push((d.clone(), s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize, t.clone()));
            }
            m.values().for_each(|x| all_spans(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| all_spans(x, out)),
        _ => {}
    }
}

fn assert_spans_match(g: &Value, docs: &[(&str, &str)]) {
    let mut spans = Vec::new();
    all_spans(g, &mut spans);
    assert!(!spans.is_empty());
    for (doc, s, e, t) in spans {
        let text = docs.iter().find(|(id, _)| *id == doc).unwrap_or_else(|| panic!("unknown doc {doc}")).1;
        let slice: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(slice, t, "span {doc}:{s}-{e}");
    }
}

#[test]
fn builds_the_example_with_contract_shape_and_exact_offsets() {
    let path = example();
    let p = path.to_str().unwrap();
    let g = json(&run(&["build", p, "--date", "2024-11-18"]));
    assert_eq!(g["format"], "newsgraph/1");
    assert_eq!(g["directed"], true);
    assert_eq!(g["multigraph"], true);
    assert_eq!(g["graph"]["documents"][0]["date"], "2024-11-18");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_spans_match(&g, &[(p, &text)]);
    let ids: Vec<&str> = g["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids.len(), sorted.len(), "node ids are unique");
    for e in g["edges"].as_array().unwrap() {
        assert!(ids.contains(&e["source"].as_str().unwrap()));
        assert!(ids.contains(&e["target"].as_str().unwrap()));
        assert!(e["relation"].is_string());
    }
    // Nothing from the app-promotion line under the headline.
    let promo_start = text.find("Get our free").unwrap();
    let promo_end = promo_start + text[promo_start..].find('\n').unwrap();
    let (cs, ce) = (text[..promo_start].chars().count(), text[..promo_end].chars().count());
    let mut spans = Vec::new();
    all_spans(&g["nodes"], &mut spans);
    assert!(spans.iter().all(|(_, s, e, _)| *e <= cs || *s >= ce), "a span in the furniture line");
}

#[test]
fn output_is_byte_identical_across_runs_and_threads() {
    let p = root().join("examples/articles.jsonl");
    let p = p.to_str().unwrap();
    let a = run(&["build", "--jsonl", p, "--threads", "1"]);
    let b = run(&["build", "--jsonl", p, "--threads", "2"]);
    let c = run(&["build", "--jsonl", p, "--threads", "2"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(b.stdout, c.stdout);
}

#[test]
fn per_document_writes_one_graph_per_line_in_input_order() {
    let p = root().join("examples/articles.jsonl");
    let o = run(&["build", "--jsonl", p.to_str().unwrap(), "--per-document"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["graph"]["documents"][0]["id"], "harbour-1");
    assert_eq!(lines[1]["graph"]["documents"][0]["id"], "harbour-2");
    assert_eq!(lines[0]["graph"]["documents"][0]["title"], "Port reopens after storm");
    let src: Vec<Value> = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (g, d) in lines.iter().zip(&src) {
        assert_spans_match(g, &[(d["id"].as_str().unwrap(), d["text"].as_str().unwrap())]);
    }
}

#[test]
fn merging_per_document_graphs_equals_one_build_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let p = root().join("examples/articles.jsonl");
    let p = p.to_str().unwrap();
    let whole = dir.path().join("whole.json");
    let parts = dir.path().join("parts.jsonl");
    let merged = dir.path().join("merged.json");
    let twice = dir.path().join("twice.json");
    for args in [
        vec!["build", "--jsonl", p, "-o", whole.to_str().unwrap()],
        vec!["build", "--jsonl", p, "--per-document", "-o", parts.to_str().unwrap()],
        vec!["merge", parts.to_str().unwrap(), "-o", merged.to_str().unwrap()],
        vec!["merge", merged.to_str().unwrap(), merged.to_str().unwrap(), "-o", twice.to_str().unwrap()],
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(read(&whole), read(&merged));
    assert_eq!(read(&merged), read(&twice));
}

#[test]
fn format_follows_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let ex = example();
    for (ext, head) in [("graphml", "<?xml"), ("jsonld", "{"), ("json", "{")] {
        let out = dir.path().join(format!("g.{ext}"));
        let o = run(&["build", ex.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        let s = std::fs::read_to_string(&out).unwrap();
        assert!(s.starts_with(head), "{ext}: {}", &s[..s.len().min(40)]);
    }
}

#[test]
fn empty_and_whitespace_input_give_a_valid_empty_graph() {
    for input in [&b""[..], b"  \n\n \t\n"] {
        let g = json(&run_stdin(&["build", "-"], input));
        assert_eq!(g["format"], "newsgraph/1");
        assert_eq!(g["nodes"].as_array().unwrap().len(), 0);
        assert_eq!(g["edges"].as_array().unwrap().len(), 0);
    }
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"Headline\nAbc \xff\xfe def").unwrap();
    let out = dir.path().join("out.json");
    let o = run(&["build", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("bad.txt") && e.contains("byte offset 13"), "{e}");
    assert_eq!(e.trim().lines().count(), 1, "one line: {e}");
    assert!(!out.exists());
    // --lossy replaces instead.
    let o = run(&["build", bad.to_str().unwrap(), "--lossy"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn missing_input_and_unwritable_output_fail_cleanly_without_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let o = run(&["build", "no/such/file.txt", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no/such/file.txt"), "{}", stderr(&o));
    assert!(!out.exists());
    let o = run(&["build", example().to_str().unwrap(), "-o", "/no/such/dir/out.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/dir/out.json"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file left");
}

#[test]
fn a_bad_json_line_is_reported_by_number_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.jsonl");
    std::fs::write(&p, "{\"id\": \"a\", \"text\": \"Rain in Paris.\"}\n{\"id\": \"b\", \"text\": \n{\"text\": \"Sun in Rome.\"}\n").unwrap();
    let o = run(&["build", "--jsonl", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("in.jsonl") && e.contains("line 2"), "{e}");
    let o = run(&["build", "--jsonl", p.to_str().unwrap(), "--per-document", "--skip-bad"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout.clone()).unwrap().lines().count(), 2);
    assert!(stderr(&o).contains("line 2"));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(run(&["build", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    let o = run(&["build", "x.txt", "--date", "19/12/2024"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("19/12/2024"));
}

#[test]
fn help_shows_examples() {
    let o = run(&["build", "--help"]);
    assert!(o.status.success());
    let h = String::from_utf8(o.stdout).unwrap();
    assert!(h.contains("Examples:") && h.contains("--per-document") && h.contains("--date"));
}

#[test]
fn build_into_updates_a_graph_like_building_everything_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = root().join("examples/articles.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(&p).unwrap().lines().map(String::from).collect();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(&a, format!("{}\n", lines[0])).unwrap();
    std::fs::write(&b, format!("{}\n", lines[1])).unwrap();
    let g = dir.path().join("g.json");
    let whole = dir.path().join("whole.json");
    for args in [
        vec!["build", "--jsonl", a.to_str().unwrap(), "--into", g.to_str().unwrap()],
        vec!["build", "--jsonl", b.to_str().unwrap(), "--into", g.to_str().unwrap()],
        vec!["build", "--jsonl", p.to_str().unwrap(), "-o", whole.to_str().unwrap()],
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(&g).unwrap(), std::fs::read_to_string(&whole).unwrap());
}

/// The README's "Asking questions" examples, run as written against the seed
/// article's graph, with what each must answer.
#[test]
fn readme_query_examples_answer_as_documented() {
    let seed = root().join("../shared/seed/article.txt");
    if !seed.exists() {
        eprintln!("skipped: ../shared/seed/article.txt is not beside the checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("seed.json");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme.split("### Asking questions").nth(1).unwrap().split("```").nth(1).unwrap();
    let expect: &[(&str, &[&str])] = &[
        ("--name putin", &["person:vladimir-putin", "Putin"]),
        ("--relation leader_of", &["Vladimir Putin", "leader_of", "Russia"]),
        ("statements --by Putin", &["Our special services are missing these hits", "direct"]),
        ("statements --about Kirillov", &["legitimate target"]),
        ("events --involving Kirillov", &["2024-12-17", "Igor Kirillov", "Moscow"]),
        ("--neighbors Kirillov", &["Moscow", "killing"]),
        ("--path Kirillov Ukraine", &["Igor Kirillov", "Ukraine"]),
        ("article.txt --date 2024-12-19 statements", &["Vladimir Putin", "Investigative Committee"]),
    ];
    let mut checked = 0;
    for line in block.lines().map(|l| l.split('#').next().unwrap().trim()).filter(|l| l.starts_with("newsgraph ")) {
        let args: Vec<String> = line
            .split_whitespace()
            .skip(1)
            .map(|a| match a {
                "seed.json" => graph.to_str().unwrap().to_string(),
                "article.txt" | "../shared/seed/article.txt" => seed.to_str().unwrap().to_string(),
                _ => a.to_string(),
            })
            .collect();
        let o = bin().args(&args).output().unwrap();
        assert!(o.status.success(), "{line}: {}", stderr(&o));
        let out = String::from_utf8(o.stdout).unwrap();
        if let Some((_, wants)) = expect.iter().find(|(k, _)| line.contains(k)) {
            for w in *wants {
                assert!(out.contains(w), "{line}: no {w:?} in\n{out}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, expect.len(), "every README example was found and checked");
}

/// Two invented articles about one invented incident: the event merges into
/// one node (same type, day and victim), while each article's unnamed "bomb"
/// stays its own node.
#[test]
fn two_reports_of_one_incident_share_the_event_node() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(
        &a,
        "Judge killed in Lyon blast\n\nJudge Marc Delorme was killed by a bomb in Lyon on Monday. \
         The blast also damaged two cars, police said.\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "Investigators search for Lyon bomber\n\nInvestigators are still looking for whoever planted the bomb that \
         killed Marc Delorme in Lyon on Monday. The killing of Delorme shocked the city.\n",
    )
    .unwrap();
    let g = json(&run(&["build", a.to_str().unwrap(), b.to_str().unwrap(), "--date", "2031-03-05"]));
    let nodes = g["nodes"].as_array().unwrap();
    let killings: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["type"] == "Event" && n["id"].as_str().unwrap().contains("marc-delorme"))
        .collect();
    assert_eq!(killings.len(), 1, "one shared event node: {killings:#?}");
    let k = killings[0];
    assert!(k["id"].as_str().unwrap().contains("2031-03-03"), "{}", k["id"]);
    let docs: std::collections::BTreeSet<&str> =
        k["mentions"].as_array().unwrap().iter().map(|m| m["doc"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), 2, "mentions from both articles: {docs:?}");
    // An unnamed instrument is not one bomb across the corpus.
    let bombs: Vec<&str> = nodes
        .iter()
        .filter(|n| n["type"] == "Other" && n["subtype"] == "instrument")
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(bombs.iter().all(|id| id.matches(':').count() >= 2), "document-scoped: {bombs:?}");
}

/// The outlets: CSV writes its three files (atomically, nothing else left
/// behind), the other formats come from the extension of -o or by name.
#[test]
fn outlets_by_extension_and_csv_file_set() {
    let dir = tempfile::tempdir().unwrap();
    let ex = example();
    let ex = ex.to_str().unwrap();
    let csv = dir.path().join("g.csv");
    let o = run(&["build", ex, "--date", "2024-11-18", "-o", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["g.edges.csv", "g.nodes.csv", "g.schema.cypher"]);
    let nodes = std::fs::read_to_string(dir.path().join("g.nodes.csv")).unwrap();
    assert!(nodes.starts_with("id:ID,:LABEL,label,"));
    assert!(nodes.contains(",Statement,"));
    let edges = std::fs::read_to_string(dir.path().join("g.edges.csv")).unwrap();
    assert!(edges.starts_with(":START_ID,:END_ID,:TYPE,") && edges.contains(",attributed_to,"));

    let o = run(&["build", ex, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("-o DIR"), "{}", stderr(&o));

    for (name, start) in
        [("g.nt", "<https://newsgraph.dev/id/"), ("g.ttl", "@prefix "), ("g.gv", "digraph newsgraph {")]
    {
        let p = dir.path().join(name);
        let o = run(&["build", ex, "-o", p.to_str().unwrap()]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert!(std::fs::read_to_string(&p).unwrap().starts_with(start), "{name}");
    }
    let o = run(&["build", ex, "--format", "nt"]);
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("<https://newsgraph.dev/id/"));
    let o = run(&["build", ex, "--format", "graphml", "--graphml-profile", "yed"]);
    let xml = String::from_utf8(o.stdout).unwrap();
    assert!(xml.contains("yfiles.type=\"nodegraphics\"") && xml.contains("<y:ShapeNode>"));
}

/// Attribution end to end on invented news: a four-sentence quote is one
/// direct Statement; "It claimed he said …" nests, with "It" the agency and
/// "he" the arrested man (not the victim named earlier); an anonymous
/// source is its own node, a member of the service it is "in".
#[test]
fn attribution_nesting_pronouns_and_anonymous_sources() {
    let article = "Mayor admits police failure over judge's killing\n\
Mayor Anna Berglund on Friday admitted failings by the city police over the killing of a senior judge.\n\
Judge Oskar Lindqvist was killed by a bomb hidden in a parked van on Wednesday.\n\
\"Our police are missing these threats. They missed this one. It means we need to do better. We must not allow such failures again,\" Berglund said at a press conference.\n\
When Lindqvist and his driver left the court, the bomb exploded.\n\
Police have detained a Latvian citizen born in 1990, suspected of planting the bomb, the National Investigation Bureau said Thursday.\n\
It claimed he said he had been \"paid by a criminal gang.\"\n\
A source in Norway's PST security service called Lindqvist a \"likely target\" and has accused the gang of earlier attacks.\n";
    let g = json(&run_stdin(&["build", "-", "--date", "2024-05-10"], article.as_bytes()));
    let nodes = g["nodes"].as_array().unwrap();
    let edges = g["edges"].as_array().unwrap();
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).unwrap();
    let stmts: Vec<&Value> = nodes.iter().filter(|n| n["type"] == "Statement").collect();
    let target = |from: &Value, rel: &str| -> Option<&Value> {
        edges
            .iter()
            .find(|e| e["source"] == from["id"] && e["relation"] == rel)
            .map(|e| node(e["target"].as_str().unwrap()))
    };
    let quote = stmts
        .iter()
        .find(|s| s["content"]["text"].as_str().unwrap().starts_with("\"Our police"))
        .expect("the quote");
    assert_eq!(quote["kind"], "direct");
    assert!(quote["content"]["text"].as_str().unwrap().ends_with("again,\""));
    assert_eq!(target(quote, "attributed_to").unwrap()["label"], "Anna Berglund");

    let inner = stmts
        .iter()
        .find(|s| s["source"]["text"] == "he")
        .expect("the inner statement");
    let who = target(inner, "attributed_to").expect("he resolved");
    assert_eq!(who["label"], "a Latvian citizen");
    let outer = target(inner, "embedded_in").expect("nested");
    assert_eq!(outer["source"]["text"], "It");
    assert_eq!(target(outer, "attributed_to").unwrap()["label"], "National Investigation Bureau");

    let anon = stmts
        .iter()
        .find(|s| s["cue"]["text"] == "called")
        .expect("the anonymous source's statement");
    let src = target(anon, "attributed_to").expect("anonymous source node");
    assert_eq!(src["label"], "A source in Norway's PST security service");
    assert!(target(src, "member_of").is_some() || target(src, "affiliated_with").is_some());
}

#[path = "cli/parser.rs"]
mod parser_cli;

/// Hostile input through the CLI: tests/cli/hostile.rs.
#[path = "cli/hostile.rs"]
mod hostile;

/// An event first named inside a report ("Prosecutors said that the killing
/// ...") but asserted by the article later ("was killed") is asserted: its
/// node takes the least modality of its chain, as merging graphs does.
#[test]
fn an_event_the_article_asserts_is_not_claimed_because_a_report_named_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(
        &a,
        "Lyon mourns a judge\n\nProsecutors said on Tuesday that the killing of judge Marc Delorme had been \
         planned for weeks.\n\nJudge Marc Delorme was killed by a bomb in Lyon on Monday. The killing shocked the city.\n",
    )
    .unwrap();
    let g = json(&run(&["build", a.to_str().unwrap(), "--date", "2031-03-05"]));
    let killing = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["type"] == "Event" && n["event_type"] == "Life.Die")
        .expect("the killing");
    assert_eq!(killing["trigger"]["text"], "killing", "named first in the report");
    assert_eq!(killing["modality"], "asserted");
}

/// Pronoun and description mentions, and surname links across documents: tests/cli/coref.rs.
#[path = "cli/coref.rs"]
mod coref_cli;

/// `query statements --by` follows `same_as`: a quote given to "Marsk" alone
/// in one article is found by the full name the other article gives, and the
/// other way round, whether the graph was built whole or per document.
#[test]
fn query_by_speaker_follows_same_as_between_surname_and_full_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    std::fs::write(
        path("a.txt"),
        "Port strike spreads to northern docks\n\nDock workers in Rotterdam walked out on Tuesday.\n\n\
         \"We will not be held to ransom,\" transport minister Helena Marsk told reporters in The Hague.\n",
    )
    .unwrap();
    std::fs::write(
        path("b.txt"),
        "Minister rejects union offer\n\nThe dockers' union offered to end the strike on Thursday.\n\n\
         \"The offer is a step, but it is not enough,\" Marsk said after a cabinet meeting.\n",
    )
    .unwrap();
    for args in [
        vec!["build".to_string(), path("a.txt"), path("b.txt"), "-o".into(), path("g.json")],
        vec!["build".to_string(), "--per-document".into(), path("a.txt"), path("b.txt"), "-o".into(), path("p.jsonl")],
    ] {
        let o = bin().args(&args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    for graph in ["g.json", "p.jsonl"] {
        for by in ["Helena Marsk", "Marsk"] {
            let o = run(&["query", &path(graph), "statements", "--by", by, "--output-format", "csv"]);
            assert!(o.status.success(), "{graph} --by {by}: {}", stderr(&o));
            let out = String::from_utf8(o.stdout).unwrap();
            for quote in ["held to ransom", "not enough"] {
                assert!(out.contains(quote), "{graph} --by {by:?}: no {quote:?} in\n{out}");
            }
        }
    }
}

/// A directory where a file is expected, an output path under a regular
/// file or onto a directory, a full standard output, and impossible query
/// arguments: each fails with exit 1 and one line naming the culprit, no
/// panic, and nothing written beside the inputs.
#[test]
fn directories_as_files_and_unwritable_outputs_fail_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    std::fs::create_dir(p("adir")).unwrap();
    std::fs::write(p("a.txt"), "Port reopens\n\nMayor Ana Ruiz said on Tuesday the port in Lisbon would reopen.\n").unwrap();
    let built = run(&["build", &p("a.txt"), "-o", &p("g.json")]);
    assert!(built.status.success(), "{}", stderr(&built));
    let listing = || {
        let mut l: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        l.sort();
        l
    };
    let before = listing();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["build".into(), p("adir"), "-o".into(), p("out.json")], "adir"),
        (vec!["build".into(), "--jsonl".into(), p("adir"), "-o".into(), p("out.json")], "adir"),
        (vec!["build".into(), "--into".into(), p("adir"), p("a.txt")], "adir"),
        (vec!["merge".into(), p("adir"), "-o".into(), p("out.json")], "adir"),
        (vec!["query".into(), p("adir")], "adir"),
        (vec!["query".into(), p("adir"), "statements".into()], "adir"),
        (vec!["tag".into(), "--conll".into(), p("adir")], "adir"),
        (vec!["eval".into(), "ner".into(), p("adir")], "adir"),
        // Unwritable even for root: a path under a regular file, or onto a directory.
        (vec!["build".into(), p("a.txt"), "-o".into(), p("a.txt/out.json")], "a.txt/out.json"),
        (vec!["merge".into(), p("g.json"), "-o".into(), p("a.txt/out.json")], "a.txt/out.json"),
        (vec!["build".into(), p("a.txt"), "-o".into(), p("adir")], "adir"),
        (vec!["query".into(), p("g.json"), "events".into(), "--since".into(), "2024-12-1é".into()], "2024-12-1é"),
        (vec!["query".into(), p("g.json"), "events".into(), "--until".into(), "2024-13-45".into()], "2024-13-45"),
        (vec!["query".into(), p("g.json"), "statements".into(), "--by".into(), "".into()], "no node named"),
    ];
    for (args, names) in &cases {
        let o = bin().args(args).stdin(Stdio::null()).output().unwrap();
        let e = stderr(&o);
        assert!(!e.contains("panicked"), "{args:?}: {e}");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: not one line: {e}");
        assert!(e.contains(names), "{args:?}: {names:?} not named: {e}");
        assert_eq!(listing(), before, "{args:?}: wrote beside the inputs");
        assert_eq!(std::fs::read_dir(p("adir")).unwrap().count(), 0, "{args:?}: wrote into adir");
    }
    // Standard output that cannot be written (a full disk).
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let (a, g) = (p("a.txt"), p("g.json"));
        for args in [vec!["build", a.as_str()], vec!["query", g.as_str(), "statements"]] {
            let o = bin().args(&args).stdout(full.try_clone().unwrap()).output().unwrap();
            let e = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
            assert!(e.contains("standard output") && !e.contains("panicked"), "{args:?}: {e}");
        }
    }
}

/// Inputs with nothing to learn from or score (an empty folder, a file with
/// no sentences, a model folder without the model): each command fails with
/// exit 1 and one line naming the path, instead of scoring or training on
/// nothing (`train clusters` panicked, `train events` wrote an empty model).
#[test]
fn training_and_eval_inputs_with_nothing_in_them_fail_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    std::fs::create_dir(p("nothing")).unwrap();
    std::fs::write(p("nothing/notes.txt"), "No TimeML here.\n").unwrap();
    std::fs::write(p("blank.conll"), "\n\n").unwrap();
    std::fs::create_dir(p("models")).unwrap();
    let cases: Vec<(Vec<String>, String)> = vec![
        (vec!["eval".into(), "events".into(), p("nothing")], p("nothing")),
        (vec!["eval".into(), "timex".into(), p("nothing")], p("nothing")),
        (vec!["train".into(), "events".into(), "--train".into(), p("nothing"), "-o".into(), p("t.bin")], p("nothing")),
        (vec!["train".into(), "clusters".into(), p("blank.conll"), "-o".into(), p("c.bin")], p("blank.conll")),
        (vec!["eval".into(), "ner".into(), p("blank.conll")], p("blank.conll")),
        (vec!["eval".into(), "pos".into(), p("blank.conll")], p("blank.conll")),
        (vec!["tag".into(), "--conll".into(), "--model-dir".into(), p("models"), p("blank.conll")], p("models/ner.bin")),
    ];
    for (args, name) in &cases {
        let o = bin().args(args).stdin(Stdio::null()).output().unwrap();
        let e = stderr(&o);
        assert!(!e.contains("panicked"), "{args:?}: {e}");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: not one line: {e}");
        assert!(e.contains(name.as_str()), "{args:?}: {name:?} not named: {e}");
    }
    assert!(!Path::new(&p("t.bin")).exists() && !Path::new(&p("c.bin")).exists(), "a model was written");
}

/// A one-article brat folder (PolNeAR layout) `DIR/gold`; returns its path.
fn brat_folder(dir: &Path, text: &str, ann: &str) -> String {
    let gold = dir.join("gold");
    std::fs::create_dir_all(gold.join("text")).unwrap();
    std::fs::create_dir_all(gold.join("attributions")).unwrap();
    std::fs::write(gold.join("text/a.txt"), text).unwrap();
    std::fs::write(gold.join("attributions/a_x.ann"), ann).unwrap();
    gold.to_str().unwrap().to_string()
}

/// Two statements of one speaker mention ("The mayor said …, adding …"):
/// the gold gives both one Source span, so the scorer's count (one span per
/// Statement, as `attribution_score.py`) has a false positive, and the
/// extra "Source mentions" line counts the mention once.
#[test]
fn eval_attribution_counts_a_shared_speaker_mention_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The mayor said on Friday that the bridge would reopen on Monday, adding that tolls would rise.\n";
    let at = |s: &str| {
        let i = text.find(s).unwrap();
        format!("{i} {}\t{s}", i + s.len())
    };
    let ann = format!(
        "T1\tSource {}\nT2\tCue {}\nT3\tContent {}\nT4\tCue {}\nT5\tContent {}\nE1\tCue:T2 Source:T1 Content:T3\nE2\tCue:T4 Source:T1 Content:T5\n",
        at("The mayor"),
        at("said"),
        at("the bridge would reopen on Monday"),
        at("adding"),
        at("tolls would rise")
    );
    let gold = brat_folder(dir.path(), text, &ann);
    let o = run(&["eval", "attribution", &gold]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let line = |start: &str| out.lines().find(|l| l.starts_with(start)).unwrap_or_default().to_string();
    assert!(line("attribution").ends_with("100.00"), "{out}");
    assert!(line("Source overlap").ends_with("66.67"), "{out}");
    assert!(line("Source mentions").contains("100.00 100.00 100.00"), "{out}");
}

/// `eval attribution` scores an invented brat folder with the bundled
/// parser or a given one (`--parser`, as `build --parser`); a file that is
/// not a parser is named in a one-line error.
#[test]
fn eval_attribution_parses_with_a_given_parser_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    brat_folder(
        dir.path(),
        "The mayor said the bridge would reopen on Monday.\n",
        "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 48\tthe bridge would reopen on Monday\nE1\tCue:T2 Source:T1 Content:T3\n",
    );
    let linear = root().join("models/parser.bin");
    for extra in [&["--parse"][..], &["--parser", linear.to_str().unwrap()][..]] {
        let o = run(&[&["eval", "attribution", &p("gold")][..], extra].concat());
        assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        let line = out.lines().find(|l| l.starts_with("Source overlap")).unwrap_or_default();
        assert!(line.ends_with("100.00"), "{extra:?}: {out}");
    }
    std::fs::write(p("bogus.bin"), "not a model").unwrap();
    let o = run(&["eval", "attribution", &p("gold"), "--parser", &p("bogus.bin")]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("bogus.bin") && e.trim_end().lines().count() == 1 && !e.contains("panicked"), "{e}");
}

/// `eval timex` and `eval events` on a small invented TimeML folder (found
/// recursively, linked back into itself): each scores the one document, and
/// a standard output that cannot be written is an error naming it, not a panic.
#[test]
fn eval_timex_and_events_score_a_timeml_folder_and_name_a_full_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("news/2024");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("port.tml"),
        r#"<?xml version="1.0"?>
<TimeML><DOCID>port</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-12-19" functionInDocument="CREATION_TIME">December 19, 2024</TIMEX3></DCT>
<TEXT>The harbour council <EVENT eid="e1" class="OCCURRENCE">met</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2024-12-17">Tuesday</TIMEX3> and <EVENT eid="e2" class="OCCURRENCE">voted</EVENT> to close the old port.</TEXT>
</TimeML>
"#,
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", sub.join("loop")).unwrap();
    let news = dir.path().join("news");
    let n = news.to_str().unwrap();
    let t = run(&["eval", "timex", n]);
    assert!(t.status.success(), "{}", stderr(&t));
    let out = String::from_utf8_lossy(&t.stdout);
    assert!(out.starts_with("1 documents, 1 gold /"), "{out}");
    let e = run(&["eval", "events", n]);
    assert!(e.status.success(), "{}", stderr(&e));
    assert!(String::from_utf8_lossy(&e.stdout).starts_with("1 documents, 2 gold /"), "{}", String::from_utf8_lossy(&e.stdout));
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        for cmd in ["timex", "events"] {
            let o = bin().args(["eval", cmd, n]).stdout(full.try_clone().unwrap()).output().unwrap();
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
            assert!(err.contains("standard output") && !err.contains("panicked"), "{cmd}: {err}");
        }
    }    let junk = dir.path().join("junk.tml");
    std::fs::write(&junk, b"\x00\x01 binary <not timeml>").unwrap();
    let j = run(&["eval", "timex", junk.to_str().unwrap()]);
    let err = stderr(&j);
    assert_eq!(j.status.code(), Some(1), "{err}");
    assert!(err.contains("junk.tml") && err.contains("no <TEXT>") && !err.contains("panicked"), "{err}");
}

/// Biaffine parsers combine: `eval parser --ensemble` scores two together,
/// `train parser --nn-teachers` learns from their predictions (with the
/// auxiliary tag loss), `--gold-pos` reads the file's own tags; a file that
/// is not a BiLSTM parser is refused by name (tiny nets, invented sentences).
#[test]
fn biaffine_parsers_ensemble_and_teach() {
    let dir = tempfile::tempdir().unwrap();
    let mut conllu = String::new();
    type Sentence<'a> = (&'a [&'a str], &'a [&'a str], &'a [u32], &'a [&'a str]);
    let sents: [Sentence; 2] = [
        (&["Rescuers", "found", "three", "climbers", "."], &["NOUN NNS", "VERB VBD", "NUM CD", "NOUN NNS", "PUNCT ."], &[2, 0, 4, 2, 2], &["nsubj", "root", "nummod", "obj", "punct"]),
        (&["The", "storm", "closed", "the", "port", "."], &["DET DT", "NOUN NN", "VERB VBD", "DET DT", "NOUN NN", "PUNCT ."], &[2, 3, 0, 5, 3, 3], &["det", "nsubj", "root", "det", "obj", "punct"]),
    ];
    for (words, tags, heads, rels) in sents {
        for i in 0..words.len() {
            let (u, x) = tags[i].split_once(' ').unwrap();
            conllu += &format!("{}\t{}\t_\t{u}\t{x}\t_\t{}\t{}\t_\t_\n", i + 1, words[i], heads[i], rels[i]);
        }
        conllu.push('\n');
    }
    let data = dir.path().join("t.conllu");
    std::fs::write(&data, &conllu).unwrap();
    let d = data.to_str().unwrap();
    let tiny = ["--arch", "biaffine", "--epochs", "2", "--nn-dims", "8,4,4,4,4", "--nn-hidden", "8", "--nn-mlp", "16", "--nn-arc", "8", "--nn-joint-pos"];
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (a, b, c) = (path("a.bin"), path("b.bin"), path("c.bin"));
    for (out, seed) in [(a.as_str(), "1"), (b.as_str(), "2")] {
        let o = run(&[&["train", "parser", "--train", d, "--dev", d, "-o", out, "--seed", seed][..], &tiny[..]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = run(&["eval", "parser", d, "--ensemble", &format!("{a},{b}")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("UAS"));
    let o = run(&["eval", "parser", d, "--ensemble", &format!("{a},{d}")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("t.conllu") && !stderr(&o).contains("panicked"), "{}", stderr(&o));
    let both = format!("{a},{b}");
    let teach = ["--nn-teachers", both.as_str(), "--nn-distill", "0.5", "--nn-aux-pos", "0.5"];
    let o = run(&[&["train", "parser", "--train", d, "--dev", d, "-o", c.as_str()][..], &tiny[..], &teach[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("soft targets of 2 teachers for 2 sentences"), "{}", stderr(&o));
    let o = run(&["eval", "parser", d, "--parser", &c, "--gold-pos"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("LAS"));
    // Plain text parsed by the two together, then read back as training trees (self-training).
    let text = path("news.txt");
    std::fs::write(&text, "Rescuers found three climbers.\n\nThe storm closed the port, officials said.\n").unwrap();
    let auto = path("auto.conllu");
    let o = run(&["parse", "--text", &text, "--ensemble", &both, "-o", &auto]);
    assert!(o.status.success(), "{}", stderr(&o));
    let parsed = std::fs::read_to_string(&auto).unwrap();
    let blocks: Vec<&str> = parsed.split("\n\n").filter(|b| !b.trim().is_empty()).collect();
    assert_eq!(blocks.len(), 2, "{parsed}");
    for b in &blocks {
        let rows: Vec<Vec<&str>> = b.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect()).collect();
        assert!(rows.iter().all(|r| r.len() == 10 && r[6].parse::<usize>().is_ok_and(|h| h <= rows.len())), "{b}");
        assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 1, "{b}");
    }
    assert!(blocks[1].contains("# text = The storm closed the port, officials said.") && blocks[1].contains("port\t_\t") && blocks[1].contains("SpaceAfter=No"), "{}", blocks[1]);
    let extra = ["--nn-extra", auto.as_str(), "--nn-aux-pos", "0.5"];
    let o = run(&[&["train", "parser", "--train", d, "--dev", d, "-o", c.as_str()][..], &tiny[..], &extra[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 extra training trees (14 words)"), "{}", stderr(&o));
    let o = run(&["parse", "--text", &text, "--conllu"]);
    assert_eq!(o.status.code(), Some(2), "--text and --conllu together are refused");
    // An ensemble decodes with its own files: a --parser or --beam beside it would be ignored, so it is refused.
    let o = run(&["parse", "--text", &text, "--ensemble", &both, "--parser", &c]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = run(&["eval", "parser", d, "--ensemble", &both, "--beam", "4"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// `train parser --arch bilstm` writes a `PNN\0` model that `eval parser`
/// and `parse --conllu` load through `--parser` (tiny net, invented sentences).
#[test]
fn bilstm_parser_trains_evaluates_and_parses() {
    let dir = tempfile::tempdir().unwrap();
    let mut conllu = String::new();
    let sents: [(&[&str], &[u32], &[&str]); 3] = [
        (&["Police", "arrested", "two", "men", "."], &[2, 0, 4, 2, 2], &["nsubj", "root", "nummod", "obj", "punct"]),
        (&["The", "mayor", "resigned", "on", "Friday", "."], &[2, 3, 0, 5, 3, 3], &["det", "nsubj", "root", "case", "obl", "punct"]),
        (&["Officials", "said", "the", "fire", "spread", "."], &[2, 0, 4, 5, 2, 2], &["nsubj", "root", "det", "nsubj", "ccomp", "punct"]),
    ];
    for (words, heads, rels) in sents {
        for i in 0..words.len() {
            conllu += &format!("{}\t{}\t_\t_\t_\t_\t{}\t{}\t_\t_\n", i + 1, words[i], heads[i], rels[i]);
        }
        conllu.push('\n');
    }
    let data = dir.path().join("t.conllu");
    std::fs::write(&data, &conllu).unwrap();
    let model = dir.path().join("m.bin");
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let o = run(&["train", "parser", "--arch", "bilstm", "--train", d, "--dev", d, "-o", m, "--epochs", "3", "--nn-dims", "8,4,4,4,4", "--nn-hidden", "8", "--nn-mlp", "16", "--nn-layers", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The tag loss belongs to the biaffine head: asked of the transition parser, it is refused, not ignored.
    let o = run(&["train", "parser", "--arch", "bilstm", "--train", d, "--dev", d, "-o", m, "--nn-aux-pos", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--arch biaffine"), "{}", stderr(&o));
    assert_eq!(&std::fs::read(&model).unwrap()[8..12], b"PNN\0");
    let o = run(&["eval", "parser", d, "--parser", m]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("UAS"));
    let o = run(&["parse", "--conllu", d, "--parser", m]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let roots = out.lines().filter(|l| l.split('\t').nth(6) == Some("0")).count();
    assert_eq!(roots, 3, "{out}");
}
