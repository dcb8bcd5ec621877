//! Stable ids: derived from what a thing is, never from run order, so the
//! same entity gets the same id in every run and every shard.

/// Lower-case ASCII-folded slug of a name: "Saint Petersburg" → "saint-petersburg".
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' || c == '.' {
            // "O'Brien" → "obrien", "U.S." → "us"
        } else {
            dash = true;
        }
    }
    out
}

/// Node id of a named entity: type + canonical name, or an external id when known.
pub fn entity_id(type_name: &str, canonical: &str, external: Option<&str>) -> String {
    let t = type_name.to_ascii_lowercase();
    match external {
        Some(x) => format!("{t}:{x}"),
        None => format!("{t}:{}", slug(canonical)),
    }
}

/// A description that names nothing ("a bomb", "an explosive device"): one
/// node per document, since two articles' bombs are not the same bomb.
pub fn local_entity_id(type_name: &str, doc: &str, description: &str) -> String {
    format!("{}:{doc}:{}", type_name.to_ascii_lowercase(), slug(description))
}

/// An event that its anchors (type, date, participant or place) identify in
/// every document: `event:attack:2024-12-17:person:igor-kirillov`.
pub fn event_id(cross_document_key: &str) -> String {
    format!("event:{cross_document_key}")
}

pub fn time_id(value: &str) -> String {
    format!("time:{value}")
}

pub fn document_id(doc: &str) -> String {
    format!("doc:{doc}")
}

/// Statements and unmerged events are identified by where they are: document + span.
pub fn span_id(prefix: &str, doc: &str, start: usize, end: usize) -> String {
    format!("{prefix}:{doc}:{start}-{end}")
}

pub fn edge_id(source: &str, relation: &str, target: &str) -> String {
    format!("{source}|{relation}|{target}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_and_readable() {
        assert_eq!(slug("Saint Petersburg"), "saint-petersburg");
        assert_eq!(slug("U.S."), "us");
        assert_eq!(slug("  Vladimir  Putin "), "vladimir-putin");
        assert_eq!(slug("Zoë O'Brien"), "zoë-obrien");
    }

    #[test]
    fn local_and_event_ids_cannot_collide_with_named_ones() {
        // Slugs have no ':', so a document-scoped id never equals a named one.
        assert_eq!(local_entity_id("Other", "a", "car bomb"), "other:a:car-bomb");
        assert_ne!(local_entity_id("Other", "a", "bomb"), entity_id("Other", "bomb", None));
        assert_eq!(event_id("attack:2024-12-17:person:igor-kirillov"), "event:attack:2024-12-17:person:igor-kirillov");
    }
}
