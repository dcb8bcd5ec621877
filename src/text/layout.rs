//! Headline, paragraphs and page furniture.

/// Why a paragraph is page furniture rather than news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FurnitureReason {
    AppPromotion,
    ReadMore,
    Share,
    Cookie,
    Subscription,
    PhotoCredit,
    Byline,
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
}

/// Splits text into paragraphs at line breaks; the first non-empty line is the headline.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        let trimmed = body.trim();
        if !trimmed.is_empty() {
            let s = start + lead;
            let e = s + trimmed.len();
            let kind = if out.is_empty() {
                ParagraphKind::Headline
            } else {
                ParagraphKind::Body
            };
            out.push(Paragraph { start: s, end: e, kind });
        }
        start = end;
    }
    out
}
