//! `eval timex`: TempEval-3-style scores of the time extractor on TimeML files.

use anyhow::Context;
use newsgraph::score::{matching, prf};
use newsgraph::extract::time;
use newsgraph::extract::timeml::{self, TimeMlDoc};
use newsgraph::text::{analyze, CharMap, Document};
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

/// Reads a TimeML file; gold TIMEX3 spans in code points, sorted.
fn read_tml(path: &Path) -> anyhow::Result<(TimeMlDoc, Vec<(usize, usize)>)> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
    let tml = timeml::parse(&src);
    if !tml.has_text {
        anyhow::bail!("{name}: not TimeML: no <TEXT> element");
    }
    let cm = CharMap::new(&tml.text);
    let spans = tml.timexes.iter().map(|g| (cm.char_offset(g.start), cm.char_offset(g.end))).collect();
    Ok((tml, spans))
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
        let (tml, gold) = read_tml(f)?;
        let id = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let dct = tml.dct.as_deref().and_then(|v| v.get(..10)).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let doc = Document { id: id.clone(), text: tml.text, date: dct, title: None, url: None, origin: f.display().to_string() };
        let analysis = analyze(&doc.text);
        let mentions = time::recognize(&doc, &analysis);
        let cm = CharMap::new(&doc.text);
        let pred: Vec<(usize, usize)> = mentions.iter().map(|m| (cm.char_offset(m.span.start), cm.char_offset(m.span.end))).collect();
        ngold += gold.len();
        npred += pred.len();
        strict += matching(&gold, &pred, true).len();
        let rel = matching(&gold, &pred, false);
        relaxed += rel.len();
        let chars: Vec<char> = if a.errors { doc.text.chars().collect() } else { Vec::new() };
        let slice = |s: usize, e: usize| chars.get(s..e).map(|c| c.iter().collect::<String>()).unwrap_or_default();
        for &(gi, pi) in &rel {
            let (g, m) = (&tml.timexes[gi], &mentions[pi]);
            let vok = g.value == m.value;
            val += usize::from(vok);
            typ += usize::from(g.ttype == m.timex_type.as_str());
            if a.errors && gold[gi] != pred[pi] {
                writeln!(out, "SPAN\t{id}\t{:?}\t{:?}", slice(gold[gi].0, gold[gi].1), slice(pred[pi].0, pred[pi].1))?;
            }
            if a.errors && !vok {
                writeln!(out, "VALUE\t{id}\t{:?} {} {}\t{:?} {} {}", slice(gold[gi].0, gold[gi].1), g.value, g.ttype, slice(pred[pi].0, pred[pi].1), m.value, m.timex_type.as_str())?;
            }
        }
        if a.errors {
            for (gi, g) in tml.timexes.iter().enumerate() {
                if !rel.iter().any(|&(x, _)| x == gi) {
                    let (gs, ge) = gold[gi];
                    let ctx = slice(gs.saturating_sub(30), gs);
                    writeln!(out, "MISS\t{id}\t{:?} {} {}\t…{}", slice(gs, ge), g.value, g.ttype, ctx.replace('\n', " "))?;
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
