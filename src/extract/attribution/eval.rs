//! Scoring the attribution extractor against brat gold (the same measure as
//! `shared/eval/attribution_score.py`): precision, recall and F1 of cue,
//! content and source spans, exact and overlapping (one-to-one greedy), and
//! of whole attributions (one statement overlapping the gold cue, content
//! and — when there is one — source).

use super::brat::GoldDocument;
use super::classifier::CueModel;
use super::lexicon::Lexicon;
use super::tagger::CueTagger;
use super::{extract_full, Config};
use crate::nlp::parser::doc::DocParse;
use std::sync::LazyLock;
use crate::extract::{entities, ByteSpan, Extraction};
use crate::text::{analyze, Document};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub exact: usize,
    pub overlap: usize,
    pub pred: usize,
    pub gold: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub documents: usize,
    pub cue: Counts,
    pub content: Counts,
    pub source: Counts,
    /// Sources with each predicted span counted once: PolNeAR's annotators
    /// give two attributions of one speaker mention one shared Source span
    /// ("Acme said X, adding Y"), so the gold spans are distinct mentions,
    /// while the scorer's predictions are one span per Statement.
    pub source_mentions: Counts,
    pub found: usize,
    pub statements: usize,
    pub attributions: usize,
}

pub use crate::score::prf;

fn matches(gold: &[ByteSpan], pred: &[ByteSpan], strict: bool) -> usize {
    let mut used = vec![false; pred.len()];
    let mut n = 0;
    for g in gold {
        for (pi, p) in pred.iter().enumerate() {
            if !used[pi] && if strict { g == p } else { g.overlaps(p) } {
                used[pi] = true;
                n += 1;
                break;
            }
        }
    }
    n
}

fn add(c: &mut Counts, gold: &[ByteSpan], pred: &[ByteSpan]) {
    c.exact += matches(gold, pred, true);
    c.overlap += matches(gold, pred, false);
    c.pred += pred.len();
    c.gold += gold.len();
}

/// The bundled POS tagger (the cue tagger's features), loaded once.
static MODELS: LazyLock<Option<crate::nlp::Models>> =
    LazyLock::new(|| crate::nlp::Models::bundled().ok());

/// Runs the extractor (fallback entities + attribution) on one gold text;
/// with a cue tagger, POS tags come from the bundled POS model.
pub fn run_document(
    d: &GoldDocument,
    lex: &Lexicon,
    model: Option<&CueModel>,
    tagger: Option<&CueTagger>,
    cfg: &Config,
) -> Extraction {
    run_document_parsed(d, lex, model, tagger, cfg, None)
}

/// [`run_document`], also parsing the text with `parser`'s dependency
/// parser when it has one and a cue tagger (hence POS tags) is given.
pub fn run_document_parsed(
    d: &GoldDocument,
    lex: &Lexicon,
    model: Option<&CueModel>,
    tagger: Option<&CueTagger>,
    cfg: &Config,
    parser: Option<&crate::nlp::Models>,
) -> Extraction {
    let doc = Document::plain(d.name.clone(), d.text.clone());
    let analysis = analyze(&doc.text);
    let models = crate::nlp::Models::default();
    let mut ex = Extraction {
        entities: entities::recognize(&doc, &analysis, &models),
        ..Extraction::default()
    };
    let pos = tagger
        .and(MODELS.as_ref())
        .and_then(|m| m.tag_pos(&doc.text, &analysis));
    let parse = parser.zip(pos.as_deref()).and_then(|(m, pos)| DocParse::compute(m, &doc.text, &analysis, pos));
    extract_full(&doc, &analysis, pos.as_deref(), parse.as_ref(), &mut ex, lex, model, tagger, cfg);
    ex
}

/// Scores the extractor over gold documents.
pub fn score(
    docs: &[GoldDocument],
    lex: &Lexicon,
    model: Option<&CueModel>,
    tagger: Option<&CueTagger>,
    cfg: &Config,
) -> Scores {
    score_parsed(docs, lex, model, tagger, cfg, None)
}

/// [`score`] with the dependency parse of `parser` (see [`run_document_parsed`]).
pub fn score_parsed(
    docs: &[GoldDocument],
    lex: &Lexicon,
    model: Option<&CueModel>,
    tagger: Option<&CueTagger>,
    cfg: &Config,
    parser: Option<&crate::nlp::Models>,
) -> Scores {
    let mut s = Scores::default();
    for d in docs {
        let ex = run_document_parsed(d, lex, model, tagger, cfg, parser);
        let st = &ex.statements;
        let cues: Vec<ByteSpan> = st.iter().map(|x| x.cue).collect();
        let contents: Vec<ByteSpan> = st.iter().map(|x| x.content).collect();
        let sources: Vec<ByteSpan> = st.iter().filter_map(|x| x.source).collect();
        add(&mut s.cue, &d.cues, &cues);
        add(&mut s.content, &d.contents, &contents);
        add(&mut s.source, &d.sources, &sources);
        let mut mentions = sources;
        mentions.sort_unstable();
        mentions.dedup();
        add(&mut s.source_mentions, &d.sources, &mentions);
        let mut used = vec![false; st.len()];
        for g in &d.attributions {
            let hit = st.iter().enumerate().position(|(i, x)| {
                !used[i]
                    && g.cue.overlaps(&x.cue)
                    && g.content.overlaps(&x.content)
                    && g.source
                        .is_none_or(|gs| x.source.is_some_and(|ps| gs.overlaps(&ps)))
            });
            if let Some(i) = hit {
                used[i] = true;
                s.found += 1;
            }
        }
        s.statements += st.len();
        s.attributions += d.attributions.len();
        s.documents += 1;
    }
    s
}

impl Scores {
    /// A table in the shape of `attribution_score.py`'s.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} documents, {} gold attributions, {} predicted Statements",
            self.documents, self.attributions, self.statements
        );
        let _ = writeln!(out, "{:<18}{:>7}{:>7}{:>7}", "", "P", "R", "F1");
        for (name, c) in [
            ("Cue", self.cue),
            ("Source", self.source),
            ("Content", self.content),
        ] {
            for (kind, n) in [("exact", c.exact), ("overlap", c.overlap)] {
                let (p, r, f) = prf(n, c.pred, c.gold);
                let _ = writeln!(out, "{:<18}{p:7.2}{r:7.2}{f:7.2}", format!("{name} {kind}"));
            }
        }
        let (p, r, f) = prf(self.found, self.statements, self.attributions);
        let _ = writeln!(out, "{:<18}{p:7.2}{r:7.2}{f:7.2}", "attribution");
        // Not in the scorer's table: the source spans as the gold counts them.
        let c = self.source_mentions;
        let (p, r, f) = prf(c.overlap, c.pred, c.gold);
        let _ = writeln!(out, "{:<18}{p:7.2}{r:7.2}{f:7.2}  (each speaker mention once, as the gold counts them)", "Source mentions");
        out
    }

    /// Cue F1 (overlap), the figure thresholds are tuned for.
    pub fn cue_f1(&self) -> f64 {
        prf(self.cue.overlap, self.cue.pred, self.cue.gold).2
    }
}
