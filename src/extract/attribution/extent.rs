//! Cue extents: where a cue the tagger found starts and stops. PolNeAR's
//! cues take the verb group's auxiliaries and negation ("is expected",
//! "does not mention"), a colon that introduces the content ("said:"), and
//! the words the cue word habitually takes ("talk about", "made it clear",
//! "opposition to"), which the tagger, labelling single words, often stops
//! short of. The words taken on the right are learned: the cue lexicon's
//! count of a word pair inside cues against the first word's own count.

use super::lexicon::Lexicon;
use super::{Config, Ctx, Found};
use crate::text::TokenKind;

/// Auxiliaries, modals, negation and their clitics, and an infinitive's
/// "to", taken into a verb or adjective cue on its left.
const AUX_LEFT: &[&str] = &[
    "is", "was", "are", "were", "am", "be", "been", "being", "would", "could", "will", "should",
    "might", "may", "must", "can", "does", "do", "did", "has", "have", "had", "not", "n't", "n’t",
    "never", "'s", "’s", "'re", "’re", "'ve", "’ve", "'m", "’m", "'ll", "’ll", "'d", "’d", "ca",
    "wo", "to",
];

/// Widens `f.cue` (a token range in the unit `a..b`) by the rules above,
/// never into the statement's source or content.
pub(super) fn widen(cx: &Ctx, lex: &Lexicon, cfg: &Config, (a, b): (usize, usize), f: &mut Found) {
    let Some(pos) = cx.pos else { return };
    let (mut s, mut e) = f.cue;
    if s >= e || e > cx.toks.len() {
        return;
    }
    let free = |k: usize| {
        let t = &cx.toks[k];
        let span = crate::extract::ByteSpan::new(t.start, t.end);
        !span.overlaps(&f.content)
            && f.source.is_none_or(|(ss, se)| k < ss || k >= se)
            && cx.tok_quote[k] == 0
    };
    if cfg.cue_aux {
        let head = pos.get(s).copied().unwrap_or("");
        if head.starts_with("VB") || head.starts_with("JJ") {
            let mut k = s;
            while k > a && k + 4 > s && cx.in_list(k - 1, AUX_LEFT) && free(k - 1) {
                k -= 1;
            }
            // A clitic alone ("Trump’s") is a possessive unless a verb follows.
            if k < s && !(k + 1 == s && cx.toks[k].kind == TokenKind::Clitic && !head.starts_with("VB")) {
                s = k;
            }
        }
    }
    if cfg.cue_pair_ratio < 1.0 {
        // One buffer per cue: "last" then "last next", lower case.
        let mut pair = String::new();
        for _ in 0..3 {
            if e >= b || cx.toks[e].kind != TokenKind::Word || !free(e) || cx.is(e, "that") {
                break;
            }
            pair.clear();
            pair.extend(cx.toks[e - 1].text(cx.text).chars().flat_map(char::to_lowercase));
            let Some(one) = lex.get(&pair).copied() else { break };
            pair.push(' ');
            pair.extend(cx.toks[e].text(cx.text).chars().flat_map(char::to_lowercase));
            match lex.get(&pair) {
                Some(p) if p.n_cue >= 3 && p.n_cue as f32 >= cfg.cue_pair_ratio * one.n_cue as f32 => e += 1,
                _ => break,
            }
        }
    }
    if cfg.cue_colon && e < b && cx.punct(e, ":") && free(e) && cx.toks[e - 1].kind == TokenKind::Word {
        e += 1;
    }
    f.cue = (s, e);
}

