//! Named entities: a first recognizer (capitalized sequences), to be
//! replaced by the trained tagger and gazetteers.

use super::{ByteSpan, EntityMention, EntityType};
use crate::text::{Analysis, Document, TokenKind};

pub fn recognize(doc: &Document, analysis: &Analysis, _models: &crate::nlp::Models) -> Vec<EntityMention> {
    let text = doc.text.as_str();
    let mut out = Vec::new();
    for (si, s) in analysis.content_sentences() {
        let toks = &analysis.tokens[s.tokens.clone()];
        let mut i = 1; // skip sentence-initial word: capitalized anyway
        while i < toks.len() {
            let is_cap = |t: &crate::text::Token| {
                t.kind == TokenKind::Word && t.text(text).chars().next().is_some_and(char::is_uppercase)
            };
            if is_cap(&toks[i]) {
                let start = i;
                while i < toks.len() && is_cap(&toks[i]) {
                    i += 1;
                }
                out.push(EntityMention {
                    span: ByteSpan::new(toks[start].start, toks[i - 1].end),
                    etype: EntityType::Other,
                    subtype: None,
                    canonical: None,
                    external_id: None,
                    sentence: si,
                    confidence: 0.5,
                });
            } else {
                i += 1;
            }
        }
    }
    out
}
