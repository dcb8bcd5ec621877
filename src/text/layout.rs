//! Headline, paragraphs and page furniture.
//!
//! Scraped news carries page furniture between the paragraphs: app and
//! newsletter promotions, "Read more" links, share buttons, cookie
//! notices, photo credits, bylines, "Advertisement". Each line is scored on
//! general features (how it starts, cue words, length, whether it ends like
//! a sentence, whether it reports speech) rather than matched against a
//! fixed list of lines, and furniture keeps the reason it was set aside.

use regex::Regex;
use std::sync::LazyLock;

/// Why a paragraph is page furniture rather than news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FurnitureReason {
    AppPromotion,
    ReadMore,
    Share,
    Cookie,
    Subscription,
    PhotoCredit,
    Byline,
    Advertisement,
    /// "Click here", "Skip to content", "Back to top".
    Navigation,
    /// "Published 3 hours ago", "Updated: 19 December 2024".
    Timestamp,
    /// "© 2024 Acme News. All rights reserved."
    Copyright,
    /// Leaked page code: CSS rules, HTML tags, script lines.
    Markup,
}

impl FurnitureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FurnitureReason::AppPromotion => "app-promotion",
            FurnitureReason::ReadMore => "read-more",
            FurnitureReason::Share => "share",
            FurnitureReason::Cookie => "cookie",
            FurnitureReason::Subscription => "subscription",
            FurnitureReason::PhotoCredit => "photo-credit",
            FurnitureReason::Byline => "byline",
            FurnitureReason::Advertisement => "advertisement",
            FurnitureReason::Navigation => "navigation",
            FurnitureReason::Timestamp => "timestamp",
            FurnitureReason::Copyright => "copyright",
            FurnitureReason::Markup => "markup",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphKind {
    Headline,
    Body,
    Furniture(FurnitureReason),
}

/// A paragraph: a byte range of the text without its line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub kind: ParagraphKind,
}

impl Paragraph {
    pub fn is_furniture(&self) -> bool {
        matches!(self.kind, ParagraphKind::Furniture(_))
    }

    pub fn furniture_reason(&self) -> Option<FurnitureReason> {
        match self.kind {
            ParagraphKind::Furniture(r) => Some(r),
            _ => None,
        }
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Splits text into paragraphs at line breaks (`\n`, `\r\n`, lone `\r`,
/// U+2028/2029); the first non-empty line that is not furniture is the
/// headline. A body line cut mid-sentence by a single break and continued
/// in lowercase (hard-wrapped text) stays one paragraph.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut have_headline = false;
    let mut start = 0;
    loop {
        let (end, next) = next_line_break(text.as_bytes(), start);
        let line = &text[start..end];
        let trimmed = line.trim_matches(is_blank);
        if !trimmed.is_empty() {
            let lead = line.len() - line.trim_start_matches(is_blank).len();
            let s = start + lead;
            let e = s + trimmed.len();
            match out.last_mut() {
                Some(prev) if continues(text, prev, s) => prev.end = e,
                _ => {
                    let kind = match classify(trimmed) {
                        Some(r) => ParagraphKind::Furniture(r),
                        None if !have_headline => {
                            have_headline = true;
                            ParagraphKind::Headline
                        }
                        None => ParagraphKind::Body,
                    };
                    out.push(Paragraph {
                        start: s,
                        end: e,
                        kind,
                    });
                }
            }
        }
        match next {
            Some(n) => start = n,
            None => return out,
        }
    }
}

/// The end of the line starting at `from` and the start of the next one
/// (None at the end of the text). A byte scan: line breaks are `\n`, `\r`,
/// VT, FF (one byte), NEL (C2 85), U+2028/2029 (E2 80 A8/A9); "\r\n" is
/// two breaks with an empty line between, which is skipped like any blank line.
fn next_line_break(b: &[u8], from: usize) -> (usize, Option<usize>) {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' | 0x0B | 0x0C => return (i, Some(i + 1)),
            0xC2 if b.get(i + 1) == Some(&0x85) => return (i, Some(i + 2)),
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                return (i, Some(i + 3))
            }
            _ => i += 1,
        }
    }
    (b.len(), None)
}

/// Whether the line starting at `s` continues the body paragraph `prev`
/// (hard-wrapped text): a single line break, the paragraph stops mid-sentence
/// and the line starts with a lowercase letter.
fn continues(text: &str, prev: &Paragraph, s: usize) -> bool {
    if prev.kind != ParagraphKind::Body {
        return false;
    }
    let gap = &text[prev.end..s];
    let breaks = gap.chars().filter(|&c| is_line_break(c)).count() - gap.matches("\r\n").count();
    let last = text[prev.start..prev.end].chars().next_back();
    breaks == 1
        && last.is_some_and(|c| c.is_alphanumeric() || c == ',')
        && text[s..].starts_with(|c: char| c.is_lowercase())
}

/// Lowercased ASCII words of a line (letters, digits, '&'), at most `N`.
struct Words<'a> {
    line: &'a str,
    /// (start, end) of each word, byte offsets into `line`.
    spans: Vec<(usize, usize)>,
}

impl<'a> Words<'a> {
    fn new(line: &'a str) -> Words<'a> {
        let mut spans = Vec::new();
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_alphanumeric() || b[i] >= 0x80 {
                let s = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || b[i] >= 0x80 || (b[i] == b'\'' && i > s))
                {
                    i += 1;
                }
                spans.push((s, i));
            } else {
                i += 1;
            }
        }
        Words { line, spans }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, k: usize) -> &'a str {
        self.spans.get(k).map_or("", |&(s, e)| &self.line[s..e])
    }

    fn is(&self, k: usize, w: &str) -> bool {
        self.get(k).eq_ignore_ascii_case(w)
    }

    fn has(&self, w: &str) -> bool {
        (0..self.len()).any(|k| self.is(k, w))
    }

    fn has_any(&self, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.has(w))
    }

    /// Whether the words `k..` begin with the phrase `p` (space-separated).
    fn phrase_at(&self, k: usize, p: &str) -> bool {
        p.split(' ').enumerate().all(|(o, w)| self.is(k + o, w))
    }

    fn starts(&self, p: &str) -> bool {
        self.phrase_at(0, p)
    }

    fn starts_any(&self, ps: &[&str]) -> bool {
        ps.iter().any(|p| self.starts(p))
    }

    fn contains_phrase(&self, p: &str) -> bool {
        (0..self.len()).any(|k| self.phrase_at(k, p))
    }

    fn contains_any_phrase(&self, ps: &[&str]) -> bool {
        ps.iter().any(|p| self.contains_phrase(p))
    }
}

/// Verbs that open promotional calls to action.
const IMPERATIVES: &[&str] = &[
    "download",
    "get",
    "install",
    "stay",
    "try",
    "subscribe",
    "follow",
    "join",
    "sign",
    "click",
    "tap",
    "watch",
    "listen",
    "like",
    "register",
    "read",
    "share",
    "check",
    "visit",
    "see",
    "discover",
    "explore",
    "never",
    "don't",
    "keep",
    "find",
    "sign-up",
    "signup",
    "become",
    "support",
];

const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "instagram",
    "telegram",
    "reddit",
    "email",
    "e-mail",
    "messenger",
    "pinterest",
    "tiktok",
    "youtube",
    "threads",
    "bluesky",
    "print",
    "copy",
    "link",
    "sms",
    "viber",
    "tumblr",
    "flipboard",
    "mastodon",
];

const AGENCIES: &[&str] = &[
    "reuters",
    "afp",
    "ap",
    "getty",
    "epa",
    "shutterstock",
    "alamy",
    "bloomberg",
    "pa",
    "anadolu",
    "tass",
    "xinhua",
    "efe",
    "dpa",
    "ansa",
    "sputnik",
    "ria",
    "apa",
    "zuma",
    "sipa",
    "rex",
];

/// Verbs of reporting: a line that reports speech is news, whatever else it says.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "according",
    "added",
    "stated",
    "announced",
    "claimed",
];

/// The furniture reason of one trimmed line, if it is furniture.
pub fn classify(line: &str) -> Option<FurnitureReason> {
    use FurnitureReason::*;
    // Furniture is short; a long paragraph is news even if it mentions an app.
    if line.len() > 400 {
        return None;
    }
    if is_markup(line) {
        return Some(Markup);
    }
    let w = Words::new(line);
    let n = w.len();
    if n == 0 {
        return None;
    }
    let last = line.trim_end_matches(['"', '\'', '”', '’', ')', ' ']);
    let ends_sentence = last.ends_with(['.', '!', '?']);
    let first = w.get(0).to_ascii_lowercase();
    // Fast path for ordinary paragraphs: past 30 words only lead cues
    // (credits, captions, "Read more: …") and cookie notices can match.
    if n > 30 && !line.starts_with('(') && !LONG_LEADS.contains(&first.as_str()) && !PHOTO_CUES.contains(&first.as_str()) {
        return is_cookie_notice(&w).then_some(Cookie);
    }
    let reports = w.has_any(REPORTING);
    // A call to action opens the line or a clause ("For more news, download …").
    let imperative = (0..n).any(|k| {
        let opens_clause = k == 0
            || line[..w.spans[k].0]
                .trim_end()
                .ends_with([',', ':', ';', '-', '–', '—', '|']);
        opens_clause && IMPERATIVES.iter().any(|v| w.is(k, v))
    });
    let short = n <= 12;
    let bare = short && !ends_sentence;

    // Exact labels: "Advertisement", "Sponsored content", "Story continues below".
    if n <= 6 && !ends_sentence {
        let label = |p: &str| w.starts(p) && p.split(' ').count() == n;
        if [
            "advertisement",
            "advertisements",
            "advert",
            "ad",
            "ads",
            "sponsored",
            "sponsored content",
            "promoted",
            "paid content",
            "paid post",
            "partner content",
            "story continues below",
            "story continues below advertisement",
            "article continues below",
            "article continues below advertisement",
            "continue reading below",
            "skip advertisement",
            "advertisement skip to content",
            "ad feedback",
            "advertising",
        ]
        .iter()
        .any(|p| label(p))
        {
            return Some(Advertisement);
        }
    }
    if n <= 8
        && w.starts_any(&["continue reading", "scroll to continue", "skip to", "back to top", "jump to"])
    {
        return Some(Navigation);
    }

    // "Read more: …", "Also read", "Related:", "Recommended" (any length after a cue).
    let read_cue = [
        "read more",
        "also read",
        "read also",
        "see also",
        "related",
        "related stories",
        "related articles",
        "related content",
        "related topics",
        "more on this story",
        "more from",
        "recommended",
        "you may also like",
        "you might also like",
        "most read",
        "most popular",
        "trending",
        "more stories",
        "top stories",
        "latest news",
        "must read",
        "don't miss",
        "read next",
        "read the full story",
        "read full story",
        "watch video",
        "watch",
        "video",
        "listen",
        "more",
    ];
    // A quoted line is somebody's words ("VIDEO: …" in a quoted tweet), unless it is just the label.
    let quoted = line.starts_with(['"', '“', '\'', '‘']);
    for cue in read_cue {
        if w.starts(cue) && !(quoted && n > 3) {
            let cue_words = cue.split(' ').count();
            let after_cue = w.spans.get(cue_words - 1).map_or(line.len(), |&(_, e)| e);
            let rest = line[after_cue..].trim_start();
            let colon = rest.starts_with([':', '|', '-', '–', '—', '»', '>']);
            // "Read more" alone, "Read more: headline", or a short bare line ("Related stories").
            let generic = matches!(
                cue,
                "read more"
                    | "also read"
                    | "read also"
                    | "see also"
                    | "read next"
                    | "read the full story"
                    | "read full story"
                    | "more on this story"
                    | "you may also like"
                    | "you might also like"
                    | "most read"
                    | "must read"
                    | "don't miss"
            );
            if rest.is_empty() || colon || (generic && !reports && n <= 25) {
                return Some(ReadMore);
            }
        }
    }

    // "Click here …" (to read, subscribe, …).
    if n <= 20 && w.contains_any_phrase(&["click here", "tap here"]) && !reports {
        return Some(Navigation);
    }

    // Share buttons: "Share this article", "Share on Facebook", or a row of network names.
    if n <= 10 && !reports {
        // "Share", "Share this story" — but not the headline "Share prices tumble".
        let share_rest = (1..n).all(|k| {
            [
                "this", "article", "story", "page", "post", "via", "on", "link", "it", "the",
            ]
            .iter()
            .any(|x| w.is(k, x))
        });
        if w.starts("share")
            && (share_rest
                || w.has_any(SOCIAL)
                || w.phrase_at(1, "this")
                || w.phrase_at(1, "on")
                || w.phrase_at(1, "via"))
        {
            return Some(Share);
        }
        let social = (0..n)
            .filter(|&k| SOCIAL.iter().any(|s| w.is(k, s)))
            .count();
        if social >= 2
            && (0..n).all(|k| {
                SOCIAL.iter().any(|s| w.is(k, s))
                    || [
                        "share", "on", "this", "article", "via", "copy", "link", "tweet",
                    ]
                    .iter()
                    .any(|s| w.is(k, s))
            })
        {
            return Some(Share);
        }
        if w.starts_any(&["tweet this", "email this", "print this", "copy link"]) {
            return Some(Share);
        }
    }

    if is_cookie_notice(&w) {
        return Some(Cookie);
    }

    // App promotion: mentions an app or app store and calls to action.
    let store = w.contains_any_phrase(&["google play", "app store", "play store"]);
    let app = w.has_any(&["app", "apps"])
        || store
        || (w.has_any(&["android", "ios", "iphone", "ipad"])
            && w.has_any(&["download", "available"]));
    if app && n <= 25 && !reports {
        // "Available on Google Play" promotes; "Apple's new app is now available" is news.
        let promo = w.has_any(&["download", "install", "tuned", "our"])
            || w.contains_phrase("get the")
            || (store && w.has("available"));
        if imperative || (bare && promo) {
            return Some(AppPromotion);
        }
    }

    // Subscriptions and social follows.
    if n <= 30 && !reports {
        let sub_word = w.has_any(&[
            "newsletter",
            "newsletters",
            "subscribe",
            "subscription",
            "inbox",
            "alerts",
            "notifications",
            "membership",
        ]);
        // "Our daily newsletter" but not the headline "Netflix newsletter row".
        let own_newsletter = w.has_any(&["newsletter", "newsletters", "inbox"])
            && w.has_any(&["our", "your", "free", "daily", "weekly"]);
        let follow = w.starts("follow") && w.has("on") && (w.has_any(SOCIAL) || w.has("us"));
        if follow
            || (w.starts("sign up")
                && (bare
                    || w.has_any(&[
                        "newsletter",
                        "our",
                        "free",
                        "email",
                        "alerts",
                        "updates",
                        "briefing",
                    ])))
            || w.starts_any(&[
                "signup",
                "subscribe",
                "join us",
                "like us on",
                "already a subscriber",
                "support our",
                "become a member",
            ])
            || (imperative && sub_word)
            || (bare && own_newsletter && n <= 8)
        {
            return Some(Subscription);
        }
    }

    // Photo credits and captions.
    if !reports || w.starts_any(&["image caption", "media caption"]) {
        let lead_cue = PHOTO_CUES.iter().any(|c| w.is(0, c))
            && (line.contains(':')
                || w.phrase_at(0, "image copyright")
                || w.phrase_at(0, "image caption")
                || w.phrase_at(0, "image source")
                || w.phrase_at(1, "by")
                || w.phrase_at(1, "credit"));
        let media_caption =
            w.starts_any(&["media caption", "file photo", "getty images"]);
        let paren = line.starts_with('(')
            && line.ends_with(')')
            && w.has_any(&["photo", "photos", "file", "image", "pictured", "images"]);
        let agency_tail = n <= 8
            && !ends_sentence
            && (line.contains('/')
                || line.contains('©')
                || w.has("via")
                || w.has_any(&["photo", "images", "image"]))
            // Credits end with the agency: "Jane Doe/Reuters", "AFP via Getty Images".
            && (n.saturating_sub(2)..n).any(|k| AGENCIES.iter().any(|a| w.is(k, a)));
        // "Getty.", "Reuters/AFP": a bare agency line under a picture.
        let agency_only = n <= 3
            && (0..n).all(|k| {
                AGENCIES
                    .iter()
                    .chain(&["images", "photo", "photos", "via", "file", "media"])
                    .any(|a| w.is(k, a))
            });
        if agency_only
            || (lead_cue && n <= 40)
            || media_caption
            || paren
            || agency_tail
            || (line.starts_with('©') && n <= 8 && !w.has("reserved"))
        {
            return Some(PhotoCredit);
        }
    }

    // Bylines: "By John Smith and Jane Doe, Reuters"; credits "Reporting by …; Editing by …".
    if n <= 40
        && w.starts_any(&[
            "reporting by",
            "additional reporting",
            "writing by",
            "editing by",
            "compiled by",
            "written by",
            "contributing",
            "with reporting by",
        ])
    {
        return Some(Byline);
    }
    if line.starts_with('(') && w.starts("reporting by") {
        return Some(Byline);
    }
    if w.is(0, "by") && (2..=12).contains(&n) && !ends_sentence && is_name_list(&w) {
        return Some(Byline);
    }

    // Timestamps: "Published 3 hours ago", "Updated: 19 December 2024 10:00 GMT".
    if n <= 12
        && !ends_sentence
        && w.starts_any(&["published", "updated", "last updated", "first published", "posted", "last modified"])
        && timestamp_follows(&w)
    {
        return Some(Timestamp);
    }

    // Copyright lines.
    if n <= 20
        && (line.starts_with('©')
            || w.starts("copyright") && w.has_any(&["reserved", "rights"])
            || w.contains_phrase("all rights reserved"))
    {
        return Some(Copyright);
    }
    None
}

/// CSS rules ("width: 100%;", ".bio-text {", "}"), HTML tags and script
/// lines that leaked into the text: no sentence ends like these.
fn is_markup(line: &str) -> bool {
    let b = line.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if line.len() > 300 {
        return false;
    }
    match last {
        b'{' | b'}' => !line.contains(". ") || first == b'.' || first == b'@' || first == b'}',
        // "font-size: 15px;" — a property name, a colon, no sentence before it.
        b';' => {
            let prop = line.split(':').next().unwrap_or("");
            line.contains(':')
                && !prop.is_empty()
                && prop.len() < 40
                && prop
                    .trim()
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c == b'-')
        }
        b'>' => first == b'<',
        _ => false,
    }
}

/// "Published 3 hours ago", "Updated: 19 December 2024", "Posted on Monday":
/// the cue is followed by a colon, a number, a day or month, "on"/"at", or
/// the line ends in "ago" ("Updated figures show 5% rise" is a headline).
fn timestamp_follows(w: &Words) -> bool {
    let k = if w.is(0, "last") || w.is(0, "first") {
        2
    } else {
        1
    };
    let (Some(&(_, cue_end)), Some(next)) = (w.spans.get(k - 1), w.spans.get(k)) else {
        return false;
    };
    let between = &w.line[cue_end..next.0];
    let word = w.get(k);
    between.contains(':')
        || word.starts_with(|c: char| c.is_ascii_digit())
        || is_time_word(word)
        || w.is(k, "on")
        || w.is(k, "at")
        || w.is(w.len() - 1, "ago")
}

/// First words of photo credits and captions ("Photo: Reuters", "Image caption …").
const PHOTO_CUES: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "picture",
    "pictures",
    "image",
    "images",
    "credit",
    "caption",
    "pic",
];

/// First words of the cues that apply to lines of any length (see `classify`),
/// besides [`PHOTO_CUES`].
const LONG_LEADS: &[&str] = &[
    "read",
    "also",
    "see",
    "related",
    "more",
    "recommended",
    "you",
    "most",
    "trending",
    "top",
    "latest",
    "must",
    "don't",
    "watch",
    "video",
    "listen",
    "media",
    "file",
    "getty",
    "reporting",
    "additional",
    "writing",
    "editing",
    "compiled",
    "written",
    "contributing",
    "with",
];

/// "We use cookies …", "Accept cookies", "By continuing to browse … cookies".
fn is_cookie_notice(w: &Words) -> bool {
    w.len() <= 60
        && w.has_any(&["cookie", "cookies"])
        && !w.has_any(REPORTING)
        && (w.contains_phrase("we use")
            || w.has_any(&[
                "accept",
                "consent",
                "privacy",
                "browsing",
                "continuing",
                "preferences",
                "settings",
                "reject",
                "manage",
            ])
            || w.contains_any_phrase(&["this site", "this website"]))
}

/// After "By": capitalized name words, joined by "and", "&", commas,
/// "in"/"for" plus a place or outlet ("By Jane Doe in Moscow").
fn is_name_list(w: &Words) -> bool {
    let connectors = [
        "and", "in", "for", "of", "de", "van", "von", "der", "da", "al", "bin", "la", "le", "with",
        "from",
    ];
    let mut names = 0;
    for k in 1..w.len() {
        let word = w.get(k);
        let Some(c) = word.chars().next() else {
            return false;
        };
        if c.is_uppercase() {
            names += 1;
        } else if c.is_ascii_digit() && names >= 2 {
            // A date after the names: "By Jane Doe, Reuters | December 19, 2024".
        } else if !connectors.iter().any(|x| word.eq_ignore_ascii_case(x)) {
            return false;
        }
    }
    // "By Monday" / "By March 2025" would be one word; names have two or more.
    names >= 2 && w.get(1).starts_with(char::is_uppercase) && !is_time_word(w.get(1))
}

fn is_time_word(word: &str) -> bool {
    const T: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "the",
        "then",
        "now",
        "today",
        "tomorrow",
    ];
    T.iter().any(|t| word.eq_ignore_ascii_case(t))
}

/// A dateline opening a news paragraph: "MILAN, March 3 (Reuters) -",
/// "LONDON (AP) —", "NEW YORK, Dec. 5, 2024 /PRNewswire/ --", "WASHINGTON —".
/// Place, optional region and date, optional agency, then a dash.
static DATELINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?P<place>[A-Z][A-Za-z.'’\-]*(?: [A-Z][A-Za-z.'’\-]*){0,3})",
        r"(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2}){0,2}",
        r"(?P<date>,? (?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2}(?:,? \d{4})?)?",
        r" ?(?P<agency>\([A-Z][^()\n]{0,39}\)|/[A-Z][^/\n]{0,39}/)?",
        r" ?(?:--|[-–—]) ",
    ))
    .ok()
});

/// A dateline's extent in its paragraph (byte offsets into the paragraph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// Up to and including the dash and the space after it.
    pub len: usize,
    /// The agency's name, without its brackets or slashes: "Reuters".
    pub agency: Option<std::ops::Range<usize>>,
    /// The date, without the comma before it: "Dec. 5, 2024".
    pub date: Option<std::ops::Range<usize>>,
}

/// The dateline that opens `para`, if it has one. A dateline is page
/// furniture inside the first sentence: the sentence (and a quote's
/// content or an event's arguments) starts after it. A place in mixed
/// case needs a date or an agency, so that "Smith - who …" is no dateline.
pub fn dateline(para: &str) -> Option<Dateline> {
    let re = DATELINE.as_ref()?;
    let mut k = para.len().min(200);
    while !para.is_char_boundary(k) {
        k -= 1;
    }
    let c = re.captures(para.get(..k)?)?;
    let place = c.name("place")?.as_str();
    let shouted = place.chars().filter(|ch| ch.is_alphabetic()).count() >= 2 && !place.chars().any(char::is_lowercase);
    let end = c.get(0)?.end();
    // Something must follow: a dash ending the paragraph is a headline's, not a dateline.
    let rest = para.get(end..).unwrap_or("");
    let agency = c.name("agency").map(|g| g.start() + 1..g.end() - 1);
    let date = c.name("date").map(|g| g.start() + g.as_str().find(char::is_alphabetic).unwrap_or(0)..g.end());
    (rest.starts_with(|ch: char| ch.is_alphanumeric() || matches!(ch, '"' | '“' | '‘' | '\''))
        && (shouted || date.is_some() || agency.is_some()))
    .then_some(Dateline { len: end, agency, date })
}

#[cfg(test)]
mod tests {
    use super::*;
    use FurnitureReason::*;

    fn kind(line: &str) -> Option<FurnitureReason> {
        classify(line)
    }

    #[test]
    fn line_breaks_of_every_kind() {
        let text = "Headline here\r\nFirst para.\rSecond para.\n\n  Third para.  \u{2028}Fourth\u{85}Fifth\u{2029}\u{0C}Sixth";
        let p = paragraphs(text);
        let got: Vec<&str> = p.iter().map(|p| &text[p.start..p.end]).collect();
        assert_eq!(
            got,
            [
                "Headline here",
                "First para.",
                "Second para.",
                "Third para.",
                "Fourth",
                "Fifth",
                "Sixth"
            ]
        );
        assert_eq!(p[0].kind, ParagraphKind::Headline);
        assert!(p[1..].iter().all(|p| p.kind == ParagraphKind::Body));
        assert!(paragraphs("").is_empty());
        // Hard-wrapped body text continues the paragraph; a blank line or a capital does not.
        let text = "Title\nThe minister said the plan would\r\nbe ready in March.\nIt was not.\n\nlater, a vote.";
        let got: Vec<&str> = paragraphs(text)
            .iter()
            .map(|p| &text[p.start..p.end])
            .collect();
        assert_eq!(
            got,
            [
                "Title",
                "The minister said the plan would\r\nbe ready in March.",
                "It was not.",
                "later, a vote."
            ]
        );
        assert!(paragraphs("\n\r\n  \u{FEFF}\n").is_empty());
    }

    #[test]
    fn headline_skips_leading_furniture() {
        let text = "Advertisement\nMinister resigns over budget row\nBy Jane Doe and John Roe, Reuters\nThe minister resigned on Monday.";
        let p = paragraphs(text);
        let kinds: Vec<ParagraphKind> = p.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ParagraphKind::Furniture(Advertisement),
                ParagraphKind::Headline,
                ParagraphKind::Furniture(Byline),
                ParagraphKind::Body,
            ]
        );
    }

    /// Asserts that every line classifies as `want`, naming the line that does not.
    fn all_are(want: Option<FurnitureReason>, lines: &[&str]) {
        for l in lines {
            assert_eq!(kind(l), want, "{l}");
        }
    }

    #[test]
    fn app_promotions() {
        all_are(
            Some(AppPromotion),
            &[
                "Stay tuned with 24 News HD Android App",
                "Download our app",
                "Get the app on Google Play / App Store",
                "Download the Daily Planet app for iOS and Android",
                "Install the Metro News app for free",
                "Our app is available on the App Store and Google Play",
                "For more news, download the Metro News app.",
                "Available on the App Store",
                "Stay connected with the Daily Planet app",
            ],
        );
        all_are(
            None,
            &[
                "Apple App Store hit by global outage",
                "Millions of users were urged to download the app after the outage.",
                "The ministry said the app had been downloaded two million times.",
                "Regulators fined the company over its dating app in March.",
                "Get ready for a cold winter, forecasters warn",
                "Apple's new app is now available in 30 countries",
                "Users who wanted to download the app faced long delays.",
            ],
        );
    }

    #[test]
    fn read_more_share_click() {
        all_are(
            Some(ReadMore),
            &[
                "Read more",
                "Read more: Minister quits after row over budget",
                "READ MORE: Floods hit coastal towns",
                "Also read",
                "Also read: Floods hit coastal towns",
                "Related stories",
                "\"Related:\"",
                "Video: Protesters clash with police",
            ],
        );
        all_are(
            Some(Share),
            &[
                "Share",
                "Share this",
                "Share this article",
                "Share this story",
                "Share on Facebook",
                "Share on Twitter",
                "Share on WhatsApp",
                "Facebook Twitter WhatsApp Email",
            ],
        );
        all_are(Some(Navigation), &["Click here", "Click here to read the full report"]);
        all_are(
            None,
            &[
                "\"VIDEO: They told me it was a video when it was not. They said they would call.\"",
                "More than 40 people were killed in the attack.",
                "Shares in the company fell 5% on Monday.",
                "Related charges were filed against two others, police said.",
                "Watchdogs warned that prices would rise.",
                "Share prices tumble",
            ],
        );
    }

    #[test]
    fn cookies_and_subscriptions() {
        all_are(
            Some(Cookie),
            &[
                "We use cookies to improve your experience on our website.",
                "Accept cookies",
                "By continuing to browse this website you agree to our use of cookies, which help us show you relevant content, measure how the site is used, remember your settings and keep the service secure for everyone who visits it every day.",
            ],
        );
        all_are(
            Some(Subscription),
            &[
                "Subscribe to our newsletter",
                "Sign up for our daily briefing",
                "Follow us on Twitter and Facebook",
                "Follow Jane Doe on X",
                "Get breaking news alerts in your inbox",
                "Sign up",
                "Get our free daily newsletter",
            ],
        );
        all_are(
            None,
            &[
                "The bakery sold 10,000 cookies on Saturday.",
                "Police said they would follow up on the reports.",
                "Subscribers to the service rose 8% in the quarter, the company said.",
                "Sign up rates for the scheme fell sharply.",
                "Netflix subscribers surge past 300 million",
            ],
        );
    }

    #[test]
    fn photo_credits_bylines_ads() {
        all_are(
            Some(PhotoCredit),
            &[
                "Photo: Reuters",
                "(AP Photo/Jane Doe)",
                "Image copyright Getty Images",
                "Image caption Rescue workers at the scene",
                "Photo by John Smith/AFP via Getty Images",
                "Getty Images",
                "Picture: PA Media",
                "Credit: Reuters/Jane Doe",
                "© Reuters",
                "Getty.",
                "Reuters",
            ],
        );
        all_are(
            Some(Byline),
            &[
                "By John Smith",
                "By John Smith and Jane Doe, Reuters",
                "Reporting by John Smith; Editing by Jane Doe",
                "By Sarah Roe in Moscow",
                "By Jane Doe, Reuters | December 19, 2024",
                "(Reporting by Ann Lee; Writing by Tom Poe)",
            ],
        );
        all_are(
            Some(Markup),
            &[
                "width: 100%;",
                "font-family: Helvetica, Arial, sans-serif;",
                ".bio-text, .twitter-bio {",
                "}",
                "@media screen and (max-width: 600px) {",
                "<div class=\"ad\">",
            ],
        );
        all_are(Some(Advertisement), &["Advertisement", "ADVERTISEMENT", "Story continues below advertisement"]);
        all_are(
            Some(Timestamp),
            &[
                "Published 3 hours ago",
                "Updated: 19 December 2024 10:04 GMT",
                "Posted on 3 March 2024",
                "Last updated 2 hours ago",
            ],
        );
        all_are(
            Some(Copyright),
            &["© 2024 Acme News. All rights reserved.", "Copyright 2024 Acme News. All rights reserved."],
        );
        all_are(
            None,
            &[
                "By Monday, the river had burst its banks.",
                "By the end of the year prices had doubled",
                "By March 2025 the plant will close",
                "By 2030 Electric Cars Will Dominate",
                "Photographs of the suspect were released on Friday.",
                "The ministry gave three reasons: cost, time and risk;",
                "Updated phone software delayed",
                "Updated figures show 5% rise in prices",
                "Free app helps farmers track rainfall",
                "Reuters photo exhibition opens in London",
            ],
        );
    }

    #[test]
    fn news_with_cue_words_stays_body() {
        all_are(
            None,
            &[
                "Russian President Vladimir Putin on Thursday made a rare admission of failings by his powerful security agencies.",
                "The app, which lets users share photos, was banned in 2023, officials said.",
                "\"Download the app and see for yourself,\" the chief executive told reporters.",
                "Photo agencies said their staff had been detained.",
                "Advertising revenue fell 12% in the fourth quarter.",
            ],
        );
    }
}
