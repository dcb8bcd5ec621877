//! Trained taggers and their model files: an averaged-perceptron POS tagger
//! (UPOS + Penn XPOS, jointly) and NER tagger (CoNLL types, IOB2), with
//! word clusters learned from unlabeled text. See `models/README.md`.

pub mod clusters;
pub mod conll;
pub mod fast;
pub mod format;
pub mod gazetteer;
pub mod hash;
pub mod linear;
pub mod parser;
pub mod supertag;
pub mod tagger;
pub mod token;
pub mod train;

use crate::error::Error;
use crate::extract::EntityType;
use crate::text::Analysis;
use clusters::{ClusterData, Clusters};
use std::ops::Range;
use tagger::{Scratch, Tagger, TaggerData, Task};

pub const KIND_POS: &[u8; 4] = b"POS\0";
pub const KIND_NER: &[u8; 4] = b"NER\0";
pub const KIND_CLUSTERS: &[u8; 4] = b"CLU\0";

static POS_BIN: &[u8] = include_bytes!("../../models/pos.bin");
static NER_BIN: &[u8] = include_bytes!("../../models/ner.bin");
static CLUSTERS_BIN: &[u8] = include_bytes!("../../models/clusters.bin");
static PARSER_BIN: &[u8] = include_bytes!("../../models/parser.bin");
/// The BiLSTM dependency parser with the biaffine arc scorer (`PNN\0`): the
/// parser of `eval parser`, `parse --conllu` and `build --parse`.
pub static PARSER_BILSTM_BIN: &[u8] = include_bytes!("../../models/parser-biaffine.bin");
/// The shipped parser's supertagger (empty when the parser reads no supertags).
static SUPERTAG_BIN: &[u8] = include_bytes!("../../models/supertag.bin");

/// No POS class: a token outside every tagged sentence.
const NO_CLASS: u16 = u16::MAX;

/// A named-entity span found by the tagger: a range of token indices
/// (into [`Analysis::tokens`]) and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct NerSpan {
    pub tokens: Range<usize>,
    /// Index into [`Analysis::sentences`].
    pub sentence: usize,
    pub etype: EntityType,
    pub confidence: f32,
}

/// Penn Treebank tags (as in EWT's XPOS column) with static lifetimes.
pub const PENN_TAGS: &[&str] = &[
    "#", "$", "''", ",", "-LRB-", "-RRB-", ".", ":", "ADD", "AFX", "CC", "CD", "DT", "EX", "FW", "GW", "HYPH", "IN", "JJ",
    "JJR", "JJS", "LS", "MD", "NFP", "NN", "NNP", "NNPS", "NNS", "PDT", "POS", "PRP", "PRP$", "RB", "RBR", "RBS", "RP",
    "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB", "XX", "``",
];

/// Every model the pipeline uses, loaded once and shared across threads.
#[derive(Debug, Default)]
pub struct Models {
    pub clusters: Option<Clusters>,
    pub pos: Option<Tagger>,
    pub ner: Option<Tagger>,
    /// Dependency parser (see [`Models::parse`]).
    pub parser: Option<parser::Parser>,
    /// The BiLSTM dependency parser; when loaded, documents are parsed with it
    /// rather than with [`Models::parser`].
    pub bilstm: Option<parser::bilstm::BilstmParser>,
    /// The parser's supertagger, when its model reads supertags (see [`Models::set_supertagger`]).
    pub supertagger: Option<std::sync::Arc<supertag::Supertagger>>,
    /// POS class → (UPOS, XPOS) strings.
    pos_tags: Vec<(String, &'static str)>,
    /// POS class → "UPOS XPOS" (the XPOS as in `pos_tags`), the input of a
    /// parser trained on joint tags.
    pos_joint: Vec<String>,
    /// POS class → hash of its XPOS, the NER tagger's POS feature value.
    pos_hash: Vec<u64>,
    /// NER class → (IOB 0/1/2, entity type).
    ner_iob: Vec<(u8, EntityType)>,
}

thread_local! {
    /// Each thread's tagging buffers and caches (tokens, word scores), kept
    /// across documents and shared by the POS and NER taggers.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's [`Scratch`] (a fresh one if it is in use).
pub fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|c| match c.try_borrow_mut() {
        Ok(mut sc) => {
            let r = f(&mut sc);
            sc.release_large();
            r
        }
        Err(_) => f(&mut Scratch::default()),
    })
}

/// A bundled model file, or None when it is not shipped (zero length).
fn opt(b: &'static [u8]) -> Option<&'static [u8]> {
    (!b.is_empty()).then_some(b)
}

fn entity_type(name: &str) -> EntityType {
    match name {
        "PER" => EntityType::Person,
        "ORG" => EntityType::Organization,
        "LOC" => EntityType::Location,
        _ => EntityType::Other,
    }
}

/// Penn tag of a joint "UPOS XPOS" class.
pub fn split_pos_class(c: &str) -> (&str, &str) {
    c.split_once(' ').unwrap_or((c, c))
}

pub fn load_clusters(name: &str, bytes: &[u8]) -> crate::Result<Clusters> {
    let d: ClusterData = format::decode(name, KIND_CLUSTERS, bytes)?;
    Clusters::from_data(d).map_err(|message| Error::BadModel { path: name.into(), message })
}

pub fn load_tagger(name: &str, kind: &[u8; 4], bytes: &[u8]) -> crate::Result<Tagger> {
    let d: TaggerData = format::decode(name, kind, bytes)?;
    let want = if kind == KIND_POS { Task::Pos } else { Task::Ner };
    if d.task != want {
        return Err(Error::BadModel { path: name.into(), message: "wrong tagger task".into() });
    }
    Tagger::from_data(d).map_err(|message| Error::BadModel { path: name.into(), message })
}

impl Models {
    /// The taggers shipped in the binary (a zero-length file there means "not
    /// shipped"). The parser is not loaded: no extractor uses it yet, and it
    /// would add half of the start-up time; see [`Models::bundled_with_parser`].
    pub fn bundled() -> crate::Result<Models> {
        Models::from_bytes(
            opt(CLUSTERS_BIN).map(|b| ("models/clusters.bin", b)),
            opt(POS_BIN).map(|b| ("models/pos.bin", b)),
            opt(NER_BIN).map(|b| ("models/ner.bin", b)),
        )
    }

    /// The shipped taggers and the shipped document parser: the BiLSTM parser
    /// when it is built in (the linear one, 14 MB to decode, is then left
    /// out: nothing reads it beside the BiLSTM), else the linear parser.
    pub fn bundled_with_parser() -> crate::Result<Models> {
        match opt(PARSER_BILSTM_BIN) {
            Some(b) => {
                let mut m = Models::bundled()?;
                m.set_parser("models/parser-biaffine.bin", b)?;
                Ok(m)
            }
            None => Models::bundled_with_parsers(),
        }
    }

    /// The shipped taggers with every shipped parser: the linear one (and its
    /// supertagger), which a beam search needs, and the BiLSTM parser, which
    /// documents are parsed with.
    pub fn bundled_with_parsers() -> crate::Result<Models> {
        let mut m = Models::bundled()?;
        if let Some(b) = opt(SUPERTAG_BIN) {
            m.set_supertagger("models/supertag.bin", b)?;
        }
        if let Some(b) = opt(PARSER_BIN) {
            m.set_parser("models/parser.bin", b)?;
        }
        // After the linear file: loading one drops a BiLSTM parser set before.
        if let Some(b) = opt(PARSER_BILSTM_BIN) {
            m.set_parser("models/parser-biaffine.bin", b)?;
        }
        Ok(m)
    }

    /// Loads the dependency parser from a `PAR\0` model file; checks it was
    /// trained with the word clusters loaded.
    /// A BiLSTM file (`PNN\0`) becomes the document parser beside the linear one.
    pub fn set_parser(&mut self, name: &str, bytes: &[u8]) -> crate::Result<()> {
        if parser::bilstm::is_bilstm_file(bytes) {
            let p = parser::bilstm::decode(name, bytes)?;
            if !p.fits_clusters(self.clusters.as_ref()) {
                return Err(Error::BadModel { path: name.into(), message: "trained with other word clusters than the ones loaded".into() });
            }
            self.bilstm = Some(p);
            return Ok(());
        }
        // A linear parser given after the built-in ones is the one to use.
        self.bilstm = None;
        let d = parser::decode_data(name, bytes)?;
        let fp = self.clusters.as_ref().map_or(0, |c| c.fingerprint());
        if d.clusters != 0 && d.clusters != fp {
            return Err(Error::BadModel { path: name.into(), message: "trained with other word clusters than the ones loaded".into() });
        }
        let mut p = parser::Parser::from_data(d).map_err(|message| Error::BadModel { path: name.into(), message })?;
        if let Some(st) = self.supertagger.as_deref().filter(|st| !p.fits_supertagger(st)) {
            return Err(Error::SupertaggerMismatch { parser: name.into(), supertagger: "the loaded supertagger".into(), expected: p.supertagger_fp, found: st.fingerprint });
        }
        p.supertagger = self.supertagger.clone();
        self.parser = Some(p);
        Ok(())
    }

    /// Loads the parser's supertagger from an `STG\0` model file (for a parser
    /// trained with supertag features; the parser loaded now or later uses it).
    pub fn set_supertagger(&mut self, name: &str, bytes: &[u8]) -> crate::Result<()> {
        let st = supertag::Supertagger::load(name, bytes)?;
        let fp = self.clusters.as_ref().map_or(0, |c| c.fingerprint());
        if st.tagger.clusters_fp != 0 && st.tagger.clusters_fp != fp {
            return Err(Error::BadModel { path: name.into(), message: "trained with other word clusters than the ones loaded".into() });
        }
        if let Some(p) = self.parser.as_ref().filter(|p| !p.fits_supertagger(&st)) {
            return Err(Error::SupertaggerMismatch { parser: "the loaded parser".into(), supertagger: name.into(), expected: p.supertagger_fp, found: st.fingerprint });
        }
        let st = std::sync::Arc::new(st);
        if let Some(p) = self.parser.as_mut() {
            p.supertagger = Some(st.clone());
        }
        self.supertagger = Some(st);
        Ok(())
    }

    /// (UPOS, XPOS) for the words of one sentence, or None without a POS model.
    pub fn tag_sentence(&self, words: &[&str]) -> Option<Vec<(&str, &'static str)>> {
        let c = with_scratch(|sc| self.pos_classes(words, &[0..words.len()], sc))?;
        Some(c.iter().map(|&k| self.pos_names(k)).collect())
    }

    /// Joint "UPOS XPOS" tags for the words of one sentence (the input of a
    /// parser trained on them), or None without a POS model.
    pub fn tag_sentence_joint(&self, words: &[&str]) -> Option<Vec<&str>> {
        let c = with_scratch(|sc| self.pos_classes(words, std::slice::from_ref(&(0..words.len())), sc))?;
        Some(c.iter().map(|&k| self.pos_joint_name(k)).collect())
    }

    /// "UPOS XPOS" of a POS class.
    pub fn pos_joint_name(&self, class: u16) -> &str {
        self.pos_joint.get(class as usize).map_or("X XX", |s| s.as_str())
    }

    /// Dependency parse of ONE sentence: for word i, `(head, deprel)` with
    /// head 0 = the root and otherwise the 1-based index of the head word
    /// (so `words[head - 1]`). `xpos`: Penn tags of the words if already
    /// known (e.g. from [`Models::tag_pos`]); None = run the POS tagger
    /// (whose joint UPOS/XPOS tags a parser trained on them reads).
    /// None when no parser (or, without `xpos`, no POS model) is loaded.
    /// Allocates per call; for bulk parsing use [`parser::Parser::parse_words`]
    /// with a reused [`parser::ParseScratch`].
    pub fn parse(&self, words: &[&str], xpos: Option<&[&str]>) -> Option<Vec<(usize, &str)>> {
        if self.parser.is_none() && self.bilstm.is_none() {
            return None;
        }
        let tagged;
        let x: &[&str] = match xpos {
            Some(x) => x,
            None if self.bilstm.as_ref().is_some_and(|b| b.reads_joint_pos()) => {
                tagged = self.tag_sentence_joint(words)?;
                &tagged
            }
            None => {
                tagged = self.tag_sentence(words)?.into_iter().map(|t| t.1).collect::<Vec<&str>>();
                &tagged
            }
        };
        let mut out = Vec::with_capacity(words.len());
        if let Some(b) = &self.bilstm {
            b.parse_words(words, x, self.clusters.as_ref(), &mut parser::bilstm::Scratch::default(), &mut out);
            return Some(out.iter().map(|&(h, l)| (h as usize, b.label(l))).collect());
        }
        let p = self.parser.as_ref()?;
        p.parse_words(words, x, self.clusters.as_ref(), &mut parser::ParseScratch::default(), &mut out);
        Some(out.iter().map(|&(h, l)| (h as usize, p.label(l))).collect())
    }

    /// Loads models from named byte buffers; checks they fit together.
    pub fn from_bytes(
        clusters: Option<(&str, &[u8])>,
        pos: Option<(&str, &[u8])>,
        ner: Option<(&str, &[u8])>,
    ) -> crate::Result<Models> {
        let clusters = clusters.map(|(n, b)| load_clusters(n, b)).transpose()?;
        let pos = pos.map(|(n, b)| load_tagger(n, KIND_POS, b)).transpose()?;
        let ner = ner.map(|(n, b)| load_tagger(n, KIND_NER, b)).transpose()?;
        Models::assemble(clusters, pos, ner, &[("pos", 0), ("ner", 1)])
    }

    fn assemble(clusters: Option<Clusters>, pos: Option<Tagger>, ner: Option<Tagger>, _: &[(&str, u8)]) -> crate::Result<Models> {
        let fp = clusters.as_ref().map_or(0, |c| c.fingerprint());
        for (name, t) in [("pos", &pos), ("ner", &ner)] {
            if let Some(t) = t {
                if t.clusters_fp != 0 && t.clusters_fp != fp {
                    return Err(Error::BadModel {
                        path: name.into(),
                        message: "trained with other word clusters than the ones loaded".into(),
                    });
                }
            }
        }
        if let Some(n) = &ner {
            if n.use_pos && pos.is_none() {
                return Err(Error::BadModel { path: "ner".into(), message: "needs the POS model".into() });
            }
        }
        let mut m = Models { clusters, pos, ner, ..Default::default() };
        if let Some(p) = &m.pos {
            for c in p.classes() {
                let (u, x) = split_pos_class(c);
                let xs = PENN_TAGS.iter().find(|t| **t == x).copied().unwrap_or("XX");
                m.pos_tags.push((u.to_string(), xs));
                m.pos_joint.push(format!("{u} {xs}"));
                m.pos_hash.push(hash::Fh::default().str(x).0);
            }
        }
        if let Some(n) = &m.ner {
            for c in n.classes() {
                m.ner_iob.push(match c.split_once('-') {
                    Some(("B" | "U", t)) => (1, entity_type(t)),
                    Some((_, t)) => (2, entity_type(t)),
                    None => (0, EntityType::Other),
                });
            }
        }
        Ok(m)
    }

    pub fn new(clusters: Option<Clusters>, pos: Option<Tagger>, ner: Option<Tagger>) -> crate::Result<Models> {
        Models::assemble(clusters, pos, ner, &[])
    }

    /// POS classes of words split into sentences (ranges into `words`).
    pub fn pos_classes(&self, words: &[&str], sents: &[Range<usize>], sc: &mut Scratch) -> Option<Vec<u16>> {
        let pos = self.pos.as_ref()?;
        let mut out = Vec::with_capacity(words.len());
        pos.tag_words(words, sents, self.clusters.as_ref(), &[], sc, &mut out);
        Some(out)
    }

    /// (UPOS, XPOS) of a POS class.
    pub fn pos_names(&self, class: u16) -> (&str, &'static str) {
        self.pos_tags.get(class as usize).map_or(("X", "XX"), |(u, x)| (u.as_str(), *x))
    }

    /// The NER tagger's POS feature values for a document (empty when it uses none).
    pub fn pos_features(&self, words: &[&str], sents: &[Range<usize>], sc: &mut Scratch) -> Vec<u64> {
        match &self.ner {
            Some(n) if n.use_pos => self
                .pos_classes(words, sents, sc)
                .map(|c| c.iter().map(|&k| self.pos_hash.get(k as usize).copied().unwrap_or(0)).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// NER classes for one document of words split into sentences.
    pub fn ner_classes(&self, words: &[&str], sents: &[Range<usize>], sc: &mut Scratch) -> Option<Vec<u16>> {
        let ner = self.ner.as_ref()?;
        let pos = self.pos_features(words, sents, sc);
        let mut out = Vec::with_capacity(words.len());
        ner.tag_words(words, sents, self.clusters.as_ref(), &pos, sc, &mut out);
        Some(out)
    }

    /// Named entities of the content sentences, or None when no NER model is loaded.
    pub fn tag_entities(&self, text: &str, analysis: &Analysis) -> Option<Vec<NerSpan>> {
        self.ner.as_ref()?;
        let SentenceWords { words, global, sents, sent_index } =
            SentenceWords::collect(text, analysis, analysis.content_sentences());
        let classes = with_scratch(|sc| self.ner_classes_in(text, analysis, &words, &global, &sents, sc))?;
        let mut out = Vec::new();
        for (k, s) in sents.iter().enumerate() {
            let mut i = s.start;
            while i < s.end {
                let (b, ty) = self.ner_iob.get(classes[i] as usize).copied().unwrap_or((0, EntityType::Other));
                if b == 0 {
                    i += 1;
                    continue;
                }
                let start = i;
                i += 1;
                while i < s.end && self.ner_iob.get(classes[i] as usize).is_some_and(|&(b2, t2)| b2 == 2 && t2 == ty) {
                    i += 1;
                }
                out.push(NerSpan {
                    tokens: global[start]..global[i - 1] + 1,
                    sentence: sent_index[k],
                    etype: ty,
                    confidence: 0.85,
                });
            }
        }
        Some(out)
    }

    /// Penn Treebank POS tags, one per token of `analysis.tokens`, or None without a POS model.
    pub fn tag_pos(&self, text: &str, analysis: &Analysis) -> Option<Vec<&'static str>> {
        self.pos.as_ref()?;
        with_scratch(|sc| {
            let classes = self.doc_pos_classes(text, analysis, sc)?;
            Some(classes.iter().map(|&c| if c == NO_CLASS { "XX" } else { self.pos_names(c).1 }).collect())
        })
    }

    /// Joint "UPOS XPOS" tags, one per token of `analysis.tokens` ("X XX"
    /// where a token is not tagged), or None without a POS model. Tags the
    /// document once with [`Models::tag_pos`] (the thread keeps the classes).
    pub fn tag_pos_joint(&self, text: &str, analysis: &Analysis) -> Option<Vec<&str>> {
        self.pos.as_ref()?;
        with_scratch(|sc| {
            let classes = self.doc_pos_classes(text, analysis, sc)?;
            Some(classes.iter().map(|&c| if c == NO_CLASS { "X XX" } else { self.pos_joint_name(c) }).collect())
        })
    }

    /// POS classes of every token of `analysis.tokens` ([`NO_CLASS`] where a
    /// token is not tagged), tagging all sentences. The POS tagger decides
    /// each sentence from that sentence's words alone, so one tagging of
    /// the whole document serves both the NER tagger's POS features (its
    /// content sentences) and [`Models::tag_pos`]; the thread's scratch
    /// keeps the last document's classes with the words they came from.
    fn doc_pos_classes(&self, text: &str, analysis: &Analysis, sc: &mut Scratch) -> Option<Vec<u16>> {
        let pos = self.pos.as_ref()?;
        let SentenceWords { words, global, sents, .. } =
            SentenceWords::collect(text, analysis, analysis.sentences.iter().enumerate());
        let owner = (pos.id, self.clusters.as_ref().map_or(0, |c| c.id()));
        if !sc.pos_memo.holds(owner, &words, &sents) {
            let mut memo = std::mem::take(&mut sc.pos_memo);
            memo.valid = false;
            let mut classes = std::mem::take(&mut memo.classes);
            pos.tag_words(&words, &sents, self.clusters.as_ref(), &[], sc, &mut classes);
            memo.classes = classes;
            memo.store_words(owner, &words, &sents);
            sc.pos_memo = memo;
        }
        let mut out = vec![NO_CLASS; analysis.tokens.len()];
        for (&g, &c) in global.iter().zip(&sc.pos_memo.classes) {
            out[g] = c;
        }
        Some(out)
    }

    /// [`Models::ner_classes`] for the content words of a document
    /// (`global`: each word's token index), with the POS features taken
    /// from [`Models::doc_pos_classes`].
    fn ner_classes_in(
        &self,
        text: &str,
        analysis: &Analysis,
        words: &[&str],
        global: &[usize],
        sents: &[Range<usize>],
        sc: &mut Scratch,
    ) -> Option<Vec<u16>> {
        let ner = self.ner.as_ref()?;
        let pos: Vec<u64> = match ner.use_pos.then(|| self.doc_pos_classes(text, analysis, sc)).flatten() {
            Some(by_token) => global
                .iter()
                .map(|&g| by_token.get(g).and_then(|&c| self.pos_hash.get(c as usize)).copied().unwrap_or(0))
                .collect(),
            None => Vec::new(),
        };
        let mut out = Vec::with_capacity(words.len());
        ner.tag_words(words, sents, self.clusters.as_ref(), &pos, sc, &mut out);
        Some(out)
    }
}

/// The words of some sentences, laid out as the taggers read them.
struct SentenceWords<'t> {
    words: Vec<&'t str>,
    /// For each word, its index in `analysis.tokens`.
    global: Vec<usize>,
    /// Each non-empty sentence as a range of `words`.
    sents: Vec<Range<usize>>,
    /// For each range in `sents`, its index in `analysis.sentences`.
    sent_index: Vec<usize>,
}

impl<'t> SentenceWords<'t> {
    fn collect<'a>(
        text: &'t str,
        analysis: &'a Analysis,
        sentences: impl Iterator<Item = (usize, &'a crate::text::Sentence)>,
    ) -> Self {
        let mut sw = SentenceWords {
            words: Vec::with_capacity(analysis.tokens.len()),
            global: Vec::with_capacity(analysis.tokens.len()),
            sents: Vec::new(),
            sent_index: Vec::new(),
        };
        for (si, s) in sentences {
            let start = sw.words.len();
            for ti in s.tokens.clone() {
                let Some(t) = analysis.tokens.get(ti) else { continue };
                let Some(w) = text.get(t.start..t.end) else { continue };
                sw.words.push(w);
                sw.global.push(ti);
            }
            if sw.words.len() > start {
                sw.sents.push(start..sw.words.len());
                sw.sent_index.push(si);
            }
        }
        sw
    }
}

#[cfg(test)]
mod tests;
