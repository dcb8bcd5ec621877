//! Hostile input through the real CLI, in every output format. The corpus
//! is generated here into a temporary folder (nothing big is committed).
//!
//! For every input and format: the exit code is right (0; or 1 with one line
//! on standard error naming the input and what is wrong; 2 for usage), no
//! panic, no output file (nor temporary file) left behind on error, the
//! output is valid (JSON spans equal their code-point slices; GraphML parses
//! with quick-xml and carries only XML 1.0 characters; JSON-LD expands with
//! oxjsonld), and a second run writes byte-identical output (JSON).

use super::{bin, run, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};

const FORMATS: [&str; 3] = ["json", "graphml", "jsonld"];

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn no_panic(o: &std::process::Output, what: &str) {
    let e = stderr(o);
    assert!(!e.contains("panicked") && !e.contains("RUST_BACKTRACE"), "{what}: panic: {e}");
}

/// Every span in a JSON graph is its code-point slice of its document.
fn check_spans(g: &Value, texts: &[(String, String)], what: &str) -> usize {
    fn walk(v: &Value, out: &mut Vec<(String, usize, usize, String)>) {
        match v {
            Value::Object(m) => {
                if let (Some(Value::String(d)), Some(s), Some(e), Some(Value::String(t))) =
                    (m.get("doc"), m.get("start"), m.get("end"), m.get("text"))
                {
                    out.push((d.clone(), s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize, t.clone()));
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut spans = Vec::new();
    walk(g, &mut spans);
    let chars: Vec<(String, Vec<char>)> = texts.iter().map(|(id, t)| (id.clone(), t.chars().collect())).collect();
    for (doc, st, en, t) in &spans {
        let c = &chars.iter().find(|(id, _)| id == doc).unwrap_or_else(|| panic!("{what}: unknown doc {doc}")).1;
        assert!(st <= en && *en <= c.len(), "{what}: span {st}-{en} outside {} code points", c.len());
        let slice: String = c[*st..*en].iter().collect();
        assert_eq!(&slice, t, "{what}: span {doc}:{st}-{en}");
    }
    spans.len()
}

/// Parses GraphML to the end with quick-xml; returns the number of nodes.
fn check_graphml(bytes: &[u8], what: &str) -> usize {
    use quick_xml::events::Event;
    let xml = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: GraphML not UTF-8: {e}"));
    let bad = xml.chars().find(|&c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..));
    assert!(bad.is_none(), "{what}: GraphML carries {bad:?}");
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut nodes, mut depth) = (0, 0i64);
    loop {
        match r.read_event().unwrap_or_else(|e| panic!("{what}: GraphML at {}: {e}", r.buffer_position())) {
            Event::Start(e) => {
                depth += 1;
                nodes += usize::from(e.name().as_ref() == "node");
                e.attributes().for_each(|a| drop(a.unwrap_or_else(|e| panic!("{what}: attribute: {e}"))));
            }
            Event::Empty(e) => e.attributes().for_each(|a| drop(a.unwrap_or_else(|e| panic!("{what}: attribute: {e}")))),
            Event::End(_) => depth -= 1,
            Event::GeneralRef(g) => {
                assert!(
                    g.resolve_char_ref().ok().flatten().is_some() || quick_xml::escape::resolve_predefined_entity(&g).is_some(),
                    "{what}: bad reference {g:?}"
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{what}: unbalanced GraphML");
    nodes
}

fn check_jsonld(bytes: &[u8], what: &str) -> usize {
    let _: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{what}: JSON-LD is not JSON: {e}"));
    oxjsonld::JsonLdParser::new()
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{what}: JSON-LD does not expand: {e}"))
        .len()
}

/// Builds `args` (inputs and options) into every format, twice; checks
/// success, validity and byte-identical reruns. Returns the JSON graph.
fn build_ok(dir: &Path, name: &str, args: &[&str], texts: &[(String, String)]) -> Value {
    let mut json = Value::Null;
    for fmt in FORMATS {
        // A second run, for determinism, in JSON (the other formats are written from the same graph).
        let runs = if fmt == "json" { 2 } else { 1 };
        let out = [dir.join(format!("{name}.{fmt}")), dir.join(format!("{name}.again.{fmt}"))];
        for o in &out[..runs] {
            let mut a = vec!["build"];
            a.extend_from_slice(args);
            a.extend_from_slice(&["--date", "2024-12-19", "-o", s(o)]);
            let r = run(&a);
            no_panic(&r, name);
            assert_eq!(r.status.code(), Some(0), "{name} ({fmt}): {}", stderr(&r));
        }
        let a = std::fs::read(&out[0]).unwrap();
        if runs == 2 {
            assert!(a == std::fs::read(&out[1]).unwrap(), "{name} ({fmt}): two runs differ");
        }
        let what = format!("{name} ({fmt})");
        match fmt {
            "json" => {
                json = serde_json::from_slice(&a).unwrap_or_else(|e| panic!("{what}: {e}"));
                check_spans(&json, texts, &what);
            }
            "graphml" => {
                let n = check_graphml(&a, &what);
                assert_eq!(n, json["nodes"].as_array().unwrap().len(), "{what}: node count differs from JSON");
            }
            _ => {
                check_jsonld(&a, &what);
            }
        }
        for o in &out[..runs] {
            std::fs::remove_file(o).unwrap();
        }
    }
    json
}

/// Builds `args` into every format and expects exit 1, one line on standard
/// error containing each of `wants`, and no file left in a fresh folder.
fn build_fails(dir: &Path, name: &str, args: &[&str], wants: &[&str]) {
    let outdir = dir.join(format!("{name}.out"));
    std::fs::create_dir(&outdir).unwrap();
    for fmt in FORMATS {
        let out = outdir.join(format!("g.{fmt}"));
        let mut a = vec!["build"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-o", s(&out)]);
        let r = run(&a);
        no_panic(&r, name);
        let e = stderr(&r);
        assert_eq!(r.status.code(), Some(1), "{name} ({fmt}): {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{name} ({fmt}): not one line: {e}");
        for w in wants {
            assert!(e.contains(w), "{name} ({fmt}): {w:?} not in {e}");
        }
        let left: Vec<_> = std::fs::read_dir(&outdir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "{name} ({fmt}): left behind {left:?}");
    }
}

fn text_file(dir: &Path, name: &str, text: &str) -> (PathBuf, Vec<(String, String)>) {
    let p = write(dir, name, text);
    let id = s(&p).to_string();
    (p, vec![(id, text.to_string())])
}

#[test]
fn hostile_text_files_build_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(&str, String)> = vec![
        ("nul", "Police in Paris\0 said\0 on Monday \"we know\0 nothing,\" Ruiz\0 told AFP.\0".into()),
        ("bom", "\u{feff}Storm closes Lisbon port\nMayor Ana Ruiz said on Tuesday the port would reopen.".into()),
        ("crlf", "Storm closes Lisbon port\r\n\r\nMayor Ana Ruiz said on Tuesday the port would reopen.\r\n\"We are ready,\" she told Reuters.\r\n".into()),
        ("cr", "Storm in Porto\rOfficials said the bridge was closed.\rIt reopened on Friday, Ana Ruiz said.\r".into()),
        ("quotes", "\"".repeat(100_000)),
        ("curly", "“”‘’«»„‹›".repeat(10_000)),
        ("unbalanced", "Talks stall\n\nHe said \"we will \u{201c}never leave 'Berlin, Ana Ruiz told Reuters.\n\n\"And then”” nothing ’ \u{bb} ,\" she added \"".into()),
        ("nested", format!("Talks stall\n\n{}Ana Ruiz said.{}", "Ruiz said \"Lopez said ‘Kim said “".repeat(300), "”’\"".repeat(300))),
        ("punct", ".,;:!?-()[]{}\"'…—/\\*&^%$#@~`|<>".repeat(3_000)),
        ("emoji", "Zoë Ñúñez 👍🏽 meets José\nZoë Ñúñez 👍🏽 met José Álvarez in São Paulo 🇧🇷 on Tuesday, e\u{301}\u{301} the mayor said. 👨‍👩‍👧 Ana Ruiz left for Lisbon.".into()),
        ("rtl", "مرحبا Cairo\n\u{202e}שלום Tel Aviv\u{202c}: the minister Ahmed Saleh said on Monday in Cairo, \u{200f}Reuters reported. مرحبا".into()),
        ("controls", "Port\u{1} shut\nMayor Ana\u{1} Ruiz\u{b} said \u{c}\"the \u{1b}[31mport\u{fffe} in Lisbon is shut\u{ffff},\" on Tuesday\u{8}.\u{7f}\u{85}".into()),
        ("long_token", format!("Headline\nThe code {} was read out by Ana Ruiz in Lisbon.", "x".repeat(1 << 20))),
        ("long_sentence", format!("Headline\n{}.", "Ana Ruiz met officials in Lisbon, and said ".repeat(5_000))),
        ("empty", String::new()),
        ("whitespace", " \n\n\t \r\n \u{a0}\u{3000} ".into()),
    ];
    for (name, text) in &cases {
        let (p, texts) = text_file(d, &format!("{name}.txt"), text);
        let g = build_ok(d, name, &[s(&p)], &texts);
        if *name == "emoji" {
            // Offsets count code points: a mention after the emoji is where Python would find it.
            let start = text.find("Ana Ruiz left").map(|b| text[..b].chars().count()).unwrap() as u64;
            let node = g["nodes"].as_array().unwrap().iter().find(|n| n["label"] == "Ana Ruiz").expect("Ana Ruiz found");
            assert!(node["mentions"].as_array().unwrap().iter().any(|m| m["start"] == start), "{node}");
        }
    }
    // The same inputs as one JSON Lines corpus: 1 and 2 threads agree, per document too.
    let corpus: String = cases
        .iter()
        .map(|(name, text)| serde_json::json!({"id": name, "text": text}).to_string() + "\n")
        .collect();
    let p = write(d, "all.jsonl", &corpus);
    let texts: Vec<(String, String)> = cases.iter().map(|(n, t)| (n.to_string(), t.clone())).collect();
    for per_doc in [false, true] {
        for fmt in if per_doc { &FORMATS[..1] } else { &FORMATS[..] } {
            let mut outs = Vec::new();
            for threads in ["1", "2"] {
                let out = d.join(format!("all.{threads}.{fmt}"));
                let mut a = vec!["build", "--jsonl", s(&p), "--threads", threads, "-o", s(&out)];
                if per_doc {
                    a.push("--per-document");
                }
                let r = run(&a);
                no_panic(&r, "corpus");
                assert!(r.status.success(), "corpus: {}", stderr(&r));
                outs.push(std::fs::read(&out).unwrap());
            }
            assert!(outs[0] == outs[1], "--threads 1 and 2 differ (per document: {per_doc}, {fmt})");
            if *fmt == "json" && !per_doc {
                check_spans(&serde_json::from_slice(&outs[0]).unwrap(), &texts, "corpus");
            }
        }
    }
}

#[test]
fn invalid_utf8_fails_naming_file_and_offset_or_is_replaced_with_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = write(d, "bad.txt", b"Port closes\nMayor Ana Ruiz said \xff\xfe on Tuesday in Lisbon.\xc3");
    build_fails(d, "bad", &[s(&p)], &["bad.txt", "invalid UTF-8", "byte offset 32"]);
    let lossy = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
    build_ok(d, "lossy", &[s(&p), "--lossy"], &[(s(&p).to_string(), lossy)]);
    // In JSON Lines: the line, and the offset in the file.
    let j = write(d, "bad.jsonl", b"{\"text\": \"Rain in Paris.\"}\n{\"text\": \"Sun \xff in Rome.\"}\n");
    build_fails(d, "badj", &["--jsonl", s(&j)], &["bad.jsonl", "line 2", "byte offset 41"]);
}

#[test]
fn bad_json_lines_are_reported_by_number_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = |id: &str, t: &str| serde_json::json!({"id": id, "text": t}).to_string();
    let bad_lines = [
        ("truncated", "{\"id\": \"x\", \"text\": "),
        ("not_object", "[1, 2, 3]"),
        ("no_text", "{\"id\": \"x\", \"title\": \"No text\"}"),
        ("text_not_string", "{\"text\": 42}"),
        ("bad_date", "{\"text\": \"Rain in Paris.\", \"date\": \"19/12/2024\"}"),
        ("junk", "\u{0}\u{1}garbage}}"),
        ("deep", &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
    ];
    for (name, bad) in bad_lines {
        let body = format!("{}\n\n{}\n{}\n", good("a", "Rain in Paris, Ana Ruiz said."), bad, good("b", "Sun in Rome."));
        let p = write(d, &format!("{name}.jsonl"), body);
        // Line 3: the blank line 2 counts.
        build_fails(d, name, &["--jsonl", s(&p)], &[&format!("{name}.jsonl"), "line 3"]);
        let out = d.join(format!("{name}.skipped.jsonl"));
        let r = run(&["build", "--jsonl", s(&p), "--skip-bad", "--per-document", "-o", s(&out)]);
        no_panic(&r, name);
        assert!(r.status.success(), "{name}: {}", stderr(&r));
        assert!(stderr(&r).contains("line 3"), "{name}: skipped line not reported: {}", stderr(&r));
        assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 2, "{name}");
    }
}

#[test]
fn a_50_mb_single_line_builds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // News at both ends of 50 MB of blanks on one line (5 MB in debug builds).
    // Blanks, because the pipeline's memory is ~1 KB per token: 50 MB of
    // short words would need gigabytes (see README, "Reliability").
    let mb = if cfg!(debug_assertions) { 5 } else { 50 };
    let mut text = String::from("Ana Ruiz said on Tuesday in Lisbon that ");
    text.push_str(&" ".repeat(mb << 20));
    text.push_str(" , Ana Ruiz told Reuters.");
    let p = write(d, "line.txt", &text);
    let out = d.join("line.json");
    let r = run(&["build", s(&p), "-o", s(&out)]);
    no_panic(&r, "50 MB line");
    assert!(r.status.success(), "{}", stderr(&r));
    let g: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(g["nodes"].as_array().unwrap().iter().any(|n| n["label"] == "Ana Ruiz"));
    // Over --max-bytes: a clear error, no output.
    build_fails(d, "too_big", &[s(&p), "--max-bytes", "1000000"], &["line.txt", "over the limit"]);
}

/// Every command, given a missing or a bad file, exits 1 with one line naming it.
#[test]
fn every_command_names_a_missing_or_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let missing = d.join("missing.file");
    let m = s(&missing);
    let junk = write(d, "junk.bin", b"\xff\xfe\x00garbage {[\n\x80");
    let j = s(&junk);
    let out = d.join("out.x");
    let o = s(&out);
    let cases: Vec<Vec<&str>> = vec![
        vec!["build", m],
        vec!["build", "--jsonl", m],
        vec!["build", j],
        vec!["build", "--jsonl", j],
        vec!["merge", m],
        vec!["merge", j],
        vec!["query", m],
        vec!["query", j],
        vec!["query", m, "statements"],
        vec!["tag", "--conll", m],
        vec!["tag", "--conll", j],
        vec!["tag", "--conll", "--model-dir", m],
        vec!["eval", "pos", m],
        vec!["eval", "pos", j],
        vec!["eval", "ner", m],
        vec!["eval", "ner", j],
        vec!["eval", "timex", m],
        vec!["eval", "attribution", m],
        vec!["eval", "events", m],
        vec!["train", "pos", "--train", m, "--dev", m, "-o", o],
        vec!["train", "ner", "--train", m, "--dev", m, "-o", o],
        vec!["train", "pos", "--train", j, "--dev", j, "-o", o],
        vec!["train", "clusters", m, "-o", o],
        vec!["train", "cues", "--data", m, "-o", o],
        vec!["train", "gazetteer", "--data", m, "-o", o],
        vec!["train", "events", "--train", m, "-o", o],
    ];
    for args in cases {
        let r = bin().args(&args).stdin(std::process::Stdio::null()).output().unwrap();
        let e = stderr(&r);
        let what = args.join(" ");
        no_panic(&r, &what);
        assert_eq!(r.status.code(), Some(1), "{what}: {e}");
        assert_eq!(e.trim_end().lines().filter(|l| l.starts_with("newsgraph:")).count(), 1, "{what}: {e}");
        let last = e.trim_end().lines().last().unwrap_or_default();
        assert!(last.contains("missing.file") || last.contains("junk.bin"), "{what}: input not named: {e}");
        // `train gazetteer -o DIR` makes its (empty) output folder before reading: no file in it.
        let wrote = out.is_file() || out.is_dir() && std::fs::read_dir(&out).unwrap().next().is_some();
        assert!(!wrote, "{what}: wrote {o}");
    }
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    for args in [
        &["build", "--threads", "many"][..],
        &["build", "--max-bytes", "-5"],
        &["build", "--format", "pdf"],
        &["merge"],
        &["tag"],
        &["query"],
        &["build", "--into", "a.json", "-o", "b.json"],
    ] {
        let r = run(args);
        no_panic(&r, &args.join(" "));
        assert_eq!(r.status.code(), Some(2), "{args:?}: {}", stderr(&r));
    }
}
