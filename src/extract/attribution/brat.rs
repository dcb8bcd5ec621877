//! Reading attribution corpora in brat standoff (PolNeAR layout):
//! `DIR/text/NAME.txt` and `DIR/attributions/NAME_ANNOTATOR.ann` with
//! `Source`, `Cue` and `Content` text-bound spans tied together by `E` lines.
//! Used by `train cues` and `eval attribution`; nothing here is in the
//! extraction path.

use crate::error::Error;
use crate::extract::ByteSpan;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One gold attribution (byte offsets into the document text).
#[derive(Debug, Clone, PartialEq)]
pub struct GoldAttribution {
    pub cue: ByteSpan,
    pub content: ByteSpan,
    pub source: Option<ByteSpan>,
}

/// One annotated document.
#[derive(Debug, Clone)]
pub struct GoldDocument {
    pub name: String,
    pub text: String,
    pub cues: Vec<ByteSpan>,
    pub contents: Vec<ByteSpan>,
    pub sources: Vec<ByteSpan>,
    pub attributions: Vec<GoldAttribution>,
}

/// Code-point offset → byte offset of `text` (clamped to the text).
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

/// Reads every document of a brat directory, sorted by name. When a
/// document has several annotators' files, the first (by name) is used.
pub fn read_dir(dir: &Path) -> crate::Result<Vec<GoldDocument>> {
    let ann_dir = dir.join("attributions");
    let rd = std::fs::read_dir(&ann_dir).map_err(|e| Error::Read {
        input: ann_dir.display().to_string(),
        source: e,
    })?;
    let mut anns: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    paths.sort();
    for p in paths {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = match stem.rsplit_once('_') {
            Some((n, _)) => n.to_string(),
            None => stem,
        };
        anns.entry(name).or_insert(p);
    }
    let mut out = Vec::new();
    for (name, ann) in anns {
        let tp = dir.join("text").join(format!("{name}.txt"));
        if !tp.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&tp).map_err(|e| Error::Read {
            input: tp.display().to_string(),
            source: e,
        })?;
        let ann_text = std::fs::read_to_string(&ann).map_err(|e| Error::Read {
            input: ann.display().to_string(),
            source: e,
        })?;
        out.push(parse_ann(name, text, &ann_text));
    }
    Ok(out)
}

/// Parses one `.ann` file against its text. Malformed lines are skipped.
pub fn parse_ann(name: String, text: String, ann: &str) -> GoldDocument {
    let map = byte_offsets(&text);
    let to_byte = |cp: usize| map.get(cp).copied().unwrap_or(text.len());
    let mut spans: BTreeMap<&str, (&str, ByteSpan)> = BTreeMap::new();
    let mut events: Vec<BTreeMap<&str, &str>> = Vec::new();
    for line in ann.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() < 2 {
            continue;
        }
        if line.starts_with('T') {
            let (typ, rng) = parts[1].split_once(' ').unwrap_or((parts[1], ""));
            let nums: Vec<usize> = rng
                .split([' ', ';'])
                .filter_map(|x| x.parse().ok())
                .collect();
            if let (Some(&s), Some(&e)) = (nums.first(), nums.last()) {
                if s <= e {
                    spans.insert(parts[0], (typ, ByteSpan::new(to_byte(s), to_byte(e))));
                }
            }
        } else if line.starts_with('E') {
            events.push(
                parts[1]
                    .split(' ')
                    .filter_map(|a| a.split_once(':'))
                    .collect(),
            );
        }
    }
    let role = |r: &str| -> Vec<ByteSpan> {
        let mut v: Vec<ByteSpan> = spans
            .values()
            .filter(|(t, _)| *t == r)
            .map(|(_, s)| *s)
            .collect();
        v.sort();
        v
    };
    let (cues, contents, sources) = (role("Cue"), role("Content"), role("Source"));
    let mut attributions = Vec::new();
    for e in &events {
        let get = |k: &str| e.get(k).and_then(|id| spans.get(id)).map(|(_, s)| *s);
        if let (Some(cue), Some(content)) = (get("Cue"), get("Content")) {
            attributions.push(GoldAttribution {
                cue,
                content,
                source: get("Source"),
            });
        }
    }
    GoldDocument {
        name,
        text,
        cues,
        contents,
        sources,
        attributions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spans_in_code_points() {
        let text = "Zoë said “no.”".to_string();
        let ann = "T1\tSource 0 3\tZoë\nT2\tCue 4 8\tsaid\nT3\tContent 9 14\t“no.”\nE1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n";
        let d = parse_ann("x".into(), text, ann);
        assert_eq!(d.sources[0].text(&d.text), "Zoë");
        assert_eq!(d.cues[0].text(&d.text), "said");
        assert_eq!(d.contents[0].text(&d.text), "“no.”");
        assert_eq!(d.attributions.len(), 1);
        assert_eq!(
            d.attributions[0].source.map(|s| s.text(&d.text)),
            Some("Zoë")
        );
    }
}
