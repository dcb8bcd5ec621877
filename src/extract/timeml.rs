//! A minimal TimeML reader: the TEXT content with tags stripped (entities
//! unescaped, as an XML parser would give it) and the EVENT and TIMEX3 spans
//! in it. The events trainer and `eval timex` both read TimeML through it.

/// A gold EVENT: byte span of the stripped text and its TimeML class.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    pub start: usize,
    pub end: usize,
    pub class: String,
}

/// A gold TIMEX3: byte span of the stripped text, its value and type.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub value: String,
    pub ttype: String,
}

#[derive(Debug, Clone, Default)]
pub struct TimeMlDoc {
    pub text: String,
    pub events: Vec<GoldEvent>,
    /// TEXT's TIMEX3s, sorted by span.
    pub timexes: Vec<GoldTimex>,
    /// Whether the file has a TEXT element at all.
    pub has_text: bool,
    /// The document creation time's value (YYYY-MM-DD...), if any.
    pub dct: Option<String>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(p) = rest.find(name) {
        let before_ok = p == 0 || rest.as_bytes()[p - 1].is_ascii_whitespace();
        let after = rest[p + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let v = &v[1..];
                    return v.find(q).map(|e| &v[..e]);
                }
            }
        }
        rest = &rest[p + name.len()..];
    }
    None
}

fn unescape_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let r = &rest[p..];
        let ent = r.find(';').filter(|&e| e <= 10).map(|e| &r[1..e]);
        let rep = match ent {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some(e) if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (rep, ent) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &r[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &r[1..];
            }
        }
    }
    out.push_str(rest);
}

pub fn parse(xml: &str) -> TimeMlDoc {
    let mut doc = TimeMlDoc::default();
    if let Some(p) = xml.find("functionInDocument=\"CREATION_TIME\"") {
        let tag_start = xml[..p].rfind('<').unwrap_or(0);
        let tag_end = xml[p..].find('>').map_or(xml.len(), |e| p + e);
        doc.dct = attr(&xml[tag_start..tag_end], "value").map(str::to_string);
    }
    let Some(ts) = xml.find("<TEXT>") else { return doc };
    doc.has_text = true;
    let body_start = ts + "<TEXT>".len();
    let body_end = xml[body_start..].find("</TEXT>").map_or(xml.len(), |e| body_start + e);
    let body = &xml[body_start..body_end];
    let mut open: Option<(usize, String)> = None;
    // TIMEX3s may nest: (start, value, type) of each open one.
    let mut open_timex: Vec<(usize, String, String)> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        unescape_into(&rest[..lt], &mut doc.text);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        // An empty element (`<TIMEX3 ... />`) marks no text.
        let empty = tag.ends_with('/');
        if let Some(t) = tag.strip_prefix("TIMEX3").filter(|_| !empty) {
            let get = |name| attr(t, name).unwrap_or_default().to_string();
            open_timex.push((doc.text.len(), get("value"), get("type")));
        } else if tag.starts_with("/TIMEX3") {
            if let Some((start, value, ttype)) = open_timex.pop() {
                doc.timexes.push(GoldTimex { start, end: doc.text.len(), value, ttype });
            }
        } else if let Some(t) = tag.strip_prefix("EVENT").filter(|_| !empty) {
            let class = attr(t, "class").unwrap_or("OCCURRENCE").to_string();
            open = Some((doc.text.len(), class));
        } else if tag.starts_with("/EVENT") {
            if let Some((s, class)) = open.take() {
                doc.events.push(GoldEvent { start: s, end: doc.text.len(), class });
            }
        }
        rest = &rest[lt + gt + 1..];
    }
    unescape_into(rest, &mut doc.text);
    doc.timexes.sort_by_key(|t| (t.start, t.end));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_keeps_event_offsets() {
        let x = r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2001-02-03" functionInDocument="CREATION_TIME">x</TIMEX3></DCT>
<TEXT>Rebels <EVENT eid="e1" class="OCCURRENCE">attacked</EVENT> A&amp;B <TIMEX3 tid="t1">today</TIMEX3>, police <EVENT eid="e2" class="REPORTING">said</EVENT>.</TEXT></TimeML>"#;
        let d = parse(x);
        assert_eq!(d.text, "Rebels attacked A&B today, police said.");
        assert_eq!(d.events.len(), 2);
        assert_eq!(&d.text[d.events[0].start..d.events[0].end], "attacked");
        assert_eq!(&d.text[d.events[1].start..d.events[1].end], "said");
        assert_eq!(d.events[1].class, "REPORTING");
        assert_eq!(d.dct.as_deref(), Some("2001-02-03"));
        assert_eq!(d.timexes.len(), 1, "the DCT's TIMEX3 is outside TEXT");
        assert_eq!(&d.text[d.timexes[0].start..d.timexes[0].end], "today");
    }

    #[test]
    fn nested_and_empty_timexes() {
        let x = r#"<TimeML><TEXT>It ended <TIMEX3 tid="t1" type="DURATION" value="P2D"><TIMEX3 tid="t2" type="DATE" value="2001-02-01">two days</TIMEX3> ago</TIMEX3><TIMEX3 tid="t3" type="DATE" value="X"/>.</TEXT></TimeML>"#;
        let d = parse(x);
        assert!(d.has_text);
        assert_eq!(d.text, "It ended two days ago.");
        let spans: Vec<(&str, &str, &str)> =
            d.timexes.iter().map(|t| (&d.text[t.start..t.end], t.value.as_str(), t.ttype.as_str())).collect();
        assert_eq!(spans, [("two days", "2001-02-01", "DATE"), ("two days ago", "P2D", "DURATION")]);
        assert!(!parse("<TimeML>no text</TimeML>").has_text);
    }
}
