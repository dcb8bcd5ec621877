//! `eval timex`: TempEval-3-style scores of the time extractor on TimeML files.

use anyhow::Context;
use newsgraph::extract::events::train::{matching, prf};
use newsgraph::extract::time;
use newsgraph::text::{analyze, CharMap, Document};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct EvalTimexArgs {
    /// Directories (searched recursively) or files of TimeML `.tml` documents.
    #[arg(value_name = "DIR", required = true)]
    paths: Vec<PathBuf>,
    /// Also print every missed, spurious and wrongly valued expression.
    #[arg(long)]
    errors: bool,
}

/// A gold TIMEX3: code-point span, value, type.
struct Gold {
    start: usize,
    end: usize,
    value: String,
    ttype: String,
}

struct TmlDoc {
    text: String,
    dct: Option<chrono::NaiveDate>,
    timex: Vec<Gold>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Reads a TimeML file: the TEXT content with tags stripped, the DCT, and TEXT's TIMEX3s.
fn read_tml(path: &Path) -> anyhow::Result<TmlDoc> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
    let mut r = Reader::from_str(&src);
    let mut text = String::new();
    let mut nchars = 0usize;
    let mut in_text = false;
    let mut dct = None;
    // Open TIMEX3s inside TEXT: (start char, value, type).
    let mut open: Vec<(usize, String, String)> = Vec::new();
    let mut depth_timex = 0usize;
    let mut timex = Vec::new();
    let push_text = |s: &str, text: &mut String, nchars: &mut usize| {
        text.push_str(s);
        *nchars += s.chars().count();
    };
    loop {
        let ev = r.read_event().with_context(|| format!("{name}: bad XML at byte {}", r.buffer_position()))?;
        match ev {
            Event::Start(e) => {
                let tag = e.name().as_ref().to_string();
                if tag == "TEXT" {
                    in_text = true;
                } else if tag == "TIMEX3" {
                    depth_timex += 1;
                    if attr(&e, "functionInDocument").as_deref() == Some("CREATION_TIME") {
                        dct = attr(&e, "value").and_then(|v| v.get(..10).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()));
                    }
                    if in_text {
                        open.push((nchars, attr(&e, "value").unwrap_or_default(), attr(&e, "type").unwrap_or_default()));
                    }
                }
            }
            Event::End(e) => {
                let tag = e.name().as_ref().to_string();
                if tag == "TEXT" {
                    in_text = false;
                } else if tag == "TIMEX3" {
                    depth_timex = depth_timex.saturating_sub(1);
                    if in_text {
                        if let Some((s, value, ttype)) = open.pop() {
                            timex.push(Gold { start: s, end: nchars, value, ttype });
                        }
                    }
                }
            }
            Event::Text(t) if in_text => {
                let s = t.xml10_content();
                push_text(&s, &mut text, &mut nchars);
            }
            Event::CData(t) if in_text => {
                let s = t.to_string();
                push_text(&s, &mut text, &mut nchars);
            }
            Event::GeneralRef(g) if in_text => {
                let s = match g.resolve_char_ref().ok().flatten() {
                    Some(c) => c.to_string(),
                    None => match &*g {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                push_text(&s, &mut text, &mut nchars);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    timex.sort_by_key(|g| (g.start, g.end));
    Ok(TmlDoc { text, dct, timex })
}

pub fn eval(a: EvalTimexArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for p in &a.paths {
        files.extend(newsgraph::text::load::files_with_extension(p, "tml")?);
    }
    if files.is_empty() {
        anyhow::bail!("no .tml files found in {}", super::nlp::path_list(&a.paths));
    }
    // The report, written at the end (see print_out).
    let mut out = String::new();
    let (mut ngold, mut npred) = (0, 0);
    let (mut strict, mut relaxed, mut val, mut typ) = (0, 0, 0, 0);
    for f in &files {
        let tml = read_tml(f)?;
        let id = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let doc = Document { id: id.clone(), text: tml.text, date: tml.dct, title: None, url: None, origin: f.display().to_string() };
        let analysis = analyze(&doc.text);
        let mentions = time::recognize(&doc, &analysis);
        let cm = CharMap::new(&doc.text);
        let pred: Vec<(usize, usize)> = mentions.iter().map(|m| (cm.char_offset(m.span.start), cm.char_offset(m.span.end))).collect();
        let gold: Vec<(usize, usize)> = tml.timex.iter().map(|g| (g.start, g.end)).collect();
        ngold += gold.len();
        npred += pred.len();
        strict += matching(&gold, &pred, true).len();
        let rel = matching(&gold, &pred, false);
        relaxed += rel.len();
        let chars: Vec<char> = if a.errors { doc.text.chars().collect() } else { Vec::new() };
        let slice = |s: usize, e: usize| chars.get(s..e).map(|c| c.iter().collect::<String>()).unwrap_or_default();
        for &(gi, pi) in &rel {
            let (g, m) = (&tml.timex[gi], &mentions[pi]);
            let vok = g.value == m.value;
            val += usize::from(vok);
            typ += usize::from(g.ttype == m.timex_type.as_str());
            if a.errors && gold[gi] != pred[pi] {
                writeln!(out, "SPAN\t{id}\t{:?}\t{:?}", slice(g.start, g.end), slice(pred[pi].0, pred[pi].1))?;
            }
            if a.errors && !vok {
                writeln!(out, "VALUE\t{id}\t{:?} {} {}\t{:?} {} {}", slice(g.start, g.end), g.value, g.ttype, slice(pred[pi].0, pred[pi].1), m.value, m.timex_type.as_str())?;
            }
        }
        if a.errors {
            for (gi, g) in tml.timex.iter().enumerate() {
                if !rel.iter().any(|&(x, _)| x == gi) {
                    let ctx = slice(g.start.saturating_sub(30), g.start);
                    writeln!(out, "MISS\t{id}\t{:?} {} {}\t…{}", slice(g.start, g.end), g.value, g.ttype, ctx.replace('\n', " "))?;
                }
            }
            for (pi, p) in pred.iter().enumerate() {
                if !rel.iter().any(|&(_, x)| x == pi) {
                    let ctx = slice(p.0.saturating_sub(30), p.1 + 20);
                    writeln!(out, "SPURIOUS\t{id}\t{:?} {}\t…{}", slice(p.0, p.1), mentions[pi].value, ctx.replace('\n', " "))?;
                }
            }
        }
    }
    writeln!(out, "{} documents, {ngold} gold / {npred} predicted TIMEX3", files.len())?;
    writeln!(out, "{:<22}{:>7}{:>7}{:>7}", "", "P", "R", "F1")?;
    for (name, c) in [("strict span", strict), ("relaxed span", relaxed), ("value", val), ("type", typ)] {
        let (p, r, f) = prf(c, npred, ngold);
        writeln!(out, "{name:<22}{p:7.2}{r:7.2}{f:7.2}")?;
    }
    let acc = |c: usize| if relaxed > 0 { 100.0 * c as f64 / relaxed as f64 } else { 0.0 };
    writeln!(out, "value accuracy (over relaxed matches): {:.2}", acc(val))?;
    writeln!(out, "type accuracy (over relaxed matches):  {:.2}", acc(typ))?;
    super::nlp::print_out(&out)?;
    Ok(ExitCode::SUCCESS)
}
