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
// Ids are built with `push_str` rather than `format!`: several per mention
// and edge, and the formatting machinery costs more than the copying.

/// `parts` joined with `sep`, in one allocation.
fn join(parts: &[&str], sep: char) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push(sep);
        }
        s.push_str(p);
    }
    s
}

pub fn entity_id(type_name: &str, canonical: &str, external: Option<&str>) -> String {
    let mut t = type_name.to_ascii_lowercase();
    t.push(':');
    match external {
        Some(x) => t.push_str(x),
        None => t.push_str(&slug(canonical)),
    }
    t
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
    join(&["time", value], ':')
}

pub fn document_id(doc: &str) -> String {
    join(&["doc", doc], ':')
}

/// Statements and unmerged events are identified by where they are: document + span.
pub fn span_id(prefix: &str, doc: &str, start: usize, end: usize) -> String {
    use std::fmt::Write;
    let mut s = join(&[prefix, doc, ""], ':');
    // Writing numbers into a String cannot fail.
    let _ = write!(s, "{start}-{end}");
    s
}

pub fn edge_id(source: &str, relation: &str, target: &str) -> String {
    join(&[source, relation, target], '|')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_documented_shape() {
        assert_eq!(entity_id("Person", "Vladimir Putin", None), "person:vladimir-putin");
        assert_eq!(entity_id("Location", "Moscow", Some("geonames:524901")), "location:geonames:524901");
        assert_eq!(time_id("2024-12-17"), "time:2024-12-17");
        assert_eq!(document_id("a/b.txt"), "doc:a/b.txt");
        assert_eq!(span_id("statement", "d1", 10, 42), "statement:d1:10-42");
        assert_eq!(edge_id("a", "about", "b"), "a|about|b");
    }

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
