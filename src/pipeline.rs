//! The whole path for one document: text → nlp → extract → graph.

use crate::extract::{self, Extraction};
use crate::graph::{build_document_graph, build_document_parts, Graph};
use crate::nlp::Models;
use crate::text::{self, Document};

/// Models loaded once, shared by every document and thread.
pub struct Pipeline {
    models: Models,
}

impl Pipeline {
    pub fn new(models: Models) -> Pipeline {
        Pipeline { models }
    }

    /// The pipeline with the models shipped in the binary.
    pub fn bundled() -> crate::Result<Pipeline> {
        Ok(Pipeline::new(Models::bundled()?))
    }

    /// The shipped models with the dependency parser: extractors then read
    /// each sentence's parse (slower; `build --parse`).
    pub fn bundled_with_parser() -> crate::Result<Pipeline> {
        Ok(Pipeline::new(Models::bundled_with_parser()?))
    }

    pub fn models(&self) -> &Models {
        &self.models
    }

    /// Everything extracted from a document, before it becomes a graph.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let analysis = text::analyze(&doc.text);
        extract::extract(doc, &analysis, &self.models)
    }

    pub fn process(&self, doc: &Document) -> Graph {
        build_document_graph(doc, &self.extract(doc))
    }

    /// The JSON line (contract JSON, compact, newline-terminated) of the
    /// document's graph appended to `out`: the bytes `process` then the JSON
    /// writer give, without building the Graph's indexes only to walk them once.
    ///
    /// The line is written into a buffer kept per thread, then copied to
    /// `out` in one piece: `out` is then allocated once at its final size
    /// instead of doubling its way up (each step a fresh allocation, a copy
    /// and, for lines of tens of KB, fresh pages from the kernel).
    pub fn process_json_line(&self, doc: &Document, out: &mut Vec<u8>) -> std::io::Result<()> {
        let parts = build_document_parts(doc, &self.extract(doc));
        LINE.with(|c| match c.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                crate::export::json::JsonWriter::for_writer(&mut *buf).serialize_parts(parts)?.finish()?;
                out.extend_from_slice(&buf);
                // A rare huge document's buffer is not kept.
                if buf.capacity() > LINE_KEEP {
                    *buf = Vec::new();
                }
                Ok(())
            }
            Err(_) => crate::export::json::JsonWriter::for_writer(out).serialize_parts(parts)?.finish().map(|_| ()),
        })
    }
}

/// The largest line buffer a thread keeps between documents.
const LINE_KEEP: usize = 16 << 20;

thread_local! {
    /// Each thread's JSON line buffer (see [`Pipeline::process_json_line`]).
    static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphData, Span};
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| Pipeline::bundled().expect("bundled models load"));

    fn doc(text: &str) -> Document {
        Document { date: chrono::NaiveDate::from_ymd_opt(2024, 12, 19), ..Document::plain("d", text) }
    }

    fn spans_of(v: &serde_json::Value, out: &mut Vec<Span>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Ok(s) = serde_json::from_value::<Span>(v.clone()) {
                    out.push(s);
                }
                m.values().for_each(|x| spans_of(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| spans_of(x, out)),
            _ => {}
        }
    }

    /// Every span anywhere in the graph is exactly its code-point slice of the text.
    fn check_spans(text: &str) {
        let g = PIPELINE.process(&doc(text));
        let data: GraphData = g.to_data();
        let v = serde_json::to_value(&data).expect("graph serializes");
        let chars: Vec<char> = text.chars().collect();
        let mut spans = Vec::new();
        spans_of(&v, &mut spans);
        for s in spans {
            assert!(s.start <= s.end && s.end <= chars.len(), "{s:?}");
            let slice: String = chars[s.start..s.end].iter().collect();
            assert_eq!(slice, s.text);
        }
    }

    /// The per-document JSON line equals the JSON of the built graph, byte for byte.
    fn check_json_line(text: &str) {
        let d = doc(text);
        let mut direct = Vec::new();
        PIPELINE.process_json_line(&d, &mut direct).expect("writes to memory");
        let via_graph = crate::export::json::JsonWriter::for_writer(Vec::new())
            .serialize_graph(&PIPELINE.process(&d))
            .and_then(|j| j.finish())
            .expect("writes to memory");
        assert_eq!(String::from_utf8_lossy(&direct), String::from_utf8_lossy(&via_graph));
    }

    #[test]
    fn json_line_equals_the_graph_json() {
        let cases = [
            "",
            "   \n ",
            "Police arrest two after Lyon cafe attack\n\nPolice in Lyon arrested two men on Monday after an attack on a cafe \
             that injured three people, the interior ministry said. \"We will find everyone responsible,\" Interior Minister \
             Anne Dufour told reporters in Paris. The attack followed a bombing in Marseille last year, officials said.",
            "Zoë Ñúñez met José in São Paulo 👍🏽 on Tuesday, he said.",
            "\"Unbalanced quote in London, said Mr. Smith.\n\"Another",
        ];
        for c in cases {
            check_json_line(c);
        }
    }

    #[test]
    fn hostile_texts_keep_exact_offsets() {
        let cases = [
            "\u{feff}Headline\r\nBody text in Paris.\rLone CR in Berlin.",
            "Zoë Ñúñez met José in São Paulo 👍🏽 on Tuesday, he said.",
            "\"Unbalanced quote in London, said Mr. Smith.\n\"Another",
            "مرحبا Cairo שלום Tel Aviv said the minister on Monday.",
            "e\u{301}\u{301}\u{301} Combining marks in Rome \u{0} NUL \u{1} control",
            "...!!!???,,,;;;",
        ];
        for c in cases {
            check_spans(c);
        }
        check_spans(&"\"".repeat(100_000));
        check_spans(&format!("Headline\n{}", "Word ".repeat(20_000)));
    }

    /// An `about` edge points at where the statement's content names its target
    /// (a mention of that node), not at the whole content again.
    #[test]
    fn about_evidence_is_the_mention_inside_the_content() {
        let text = "Strike halts Lisbon port\n\n\"The strike in Lisbon has cost Acme Shipping millions and the \
                    dockers will not win,\" Ana Ruiz, a port official, said on Monday.";
        let data = PIPELINE.process(&doc(text)).to_data();
        let about: Vec<_> = data.edges.iter().filter(|e| e.relation == "about").collect();
        assert!(about.len() >= 2, "{about:?}");
        for e in about {
            let st = data.nodes.iter().find(|n| n.id == e.source).expect("statement node");
            let target = data.nodes.iter().find(|n| n.id == e.target).expect("target node");
            let content = st.content.as_ref().expect("statement content");
            for ev in &e.evidence {
                assert!(content.start <= ev.start && ev.end <= content.end, "{ev:?} outside {content:?}");
                assert!(ev.end - ev.start < content.end - content.start, "whole content as evidence: {ev:?}");
                assert!(target.mentions.contains(ev) || target.trigger.as_ref() == Some(ev), "{ev:?} is no mention of {}", target.id);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_text_gives_exact_spans(text in "\\PC{0,300}") {
            check_spans(&text);
        }

        #[test]
        fn news_like_json_line_equals_the_graph_json(text in "([A-Z][a-z]{1,8}|[a-z]{1,8}|\"|“|”|'s|, |\\. |\n|said|killed|attack|Mr\\.|on Tuesday|in Paris|é| ){0,60}") {
            check_json_line(&text);
        }

        #[test]
        fn news_like_text_gives_exact_spans(text in "([A-Z][a-z]{1,8}|[a-z]{1,8}|\"|“|”|'s|, |\\. |\n|said|Mr\\.|on Tuesday|é|👍| ){0,80}") {
            check_spans(&text);
        }
    }
}
