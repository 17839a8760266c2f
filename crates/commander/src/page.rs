//! What a build guide page says (Snowcrows, MetaBattle, Hardstuck, GW2Skills-style pages): its
//! title, the build chat code it shows, and its gear text. Pure: the HTML comes from the
//! caller (the server fetches it politely); parsed with a real HTML parser (`scraper`).
//! [`crate::guide`] reads the same [`Page`] further, into a build.

use scraper::{ElementRef, Html, Selector};
use serde::Serialize;

use gw2::data::GameData;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageFacts {
    pub name: Option<String>,
    /// The first build template link on the page (`[&DQ...]`).
    pub chat_code: Option<String>,
    /// The stat prefix the page names most often (`"Minstrel's"`).
    pub stats_text: Option<String>,
    /// The first rune the page names (`"Superior Rune of the Monk"`).
    pub runes_text: Option<String>,
    /// "WvW" when the page talks about WvW / McM, "PvE" or "PvP" likewise.
    pub context: Option<String>,
}

fn selector(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

/// Every `[&...]` chat link in `text`.
fn chat_links(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("[&").filter_map(move |(at, _)| {
        let rest = &text[at..];
        let end = rest.find(']')?;
        let link = &rest[..=end];
        let body = &link[2..link.len() - 1];
        (!body.is_empty()
            && body.len() <= 400
            && body
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .then_some(link)
    })
}

/// `text` with runs of whitespace as one space, trimmed.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A parsed page: the document, its visible text and its attribute values.
pub struct Page {
    doc: Html,
    /// The body's text, pieces separated by spaces; typographic apostrophes as `'`.
    text: String,
    /// Every attribute value (codes often sit in an `<input value>` or `data-*`).
    attributes: String,
}

impl Page {
    pub fn parse(html: &str) -> Page {
        let doc = Html::parse_document(html);
        let mut text = String::new();
        if let Some(body) = selector("body").and_then(|s| doc.select(&s).next()) {
            for piece in body.text() {
                text.push_str(piece);
                text.push(' ');
            }
        }
        let mut attributes = String::new();
        if let Some(all) = selector("*") {
            for element in doc.select(&all) {
                for (_, value) in element.value().attrs() {
                    attributes.push_str(value);
                    attributes.push(' ');
                }
            }
        }
        Page {
            doc,
            text: normalize_quotes(&text),
            attributes,
        }
    }

    fn first_text(&self, css: &str) -> Option<String> {
        selector(css)
            .and_then(|s| self.doc.select(&s).next())
            .map(|t| squeeze(&normalize_quotes(&t.text().collect::<String>())))
            .filter(|t| !t.is_empty())
    }

    /// `og:title`, else `<title>`, else the first `<h1>`.
    pub fn title(&self) -> Option<String> {
        let og_title = selector(r#"meta[property="og:title"]"#)
            .and_then(|s| self.doc.select(&s).next())
            .and_then(|m| m.value().attr("content"))
            .map(|t| squeeze(&normalize_quotes(t)))
            .filter(|t| !t.is_empty());
        og_title
            .or_else(|| self.first_text("title"))
            .or_else(|| self.first_text("h1"))
    }

    /// The first `<h1>`: a guide's own heading, without the site's name.
    pub fn heading(&self) -> Option<String> {
        self.first_text("h1")
    }

    /// The body's visible text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first build template link (`[&DQ...]`) in the text, else in an attribute.
    pub fn chat_code(&self) -> Option<String> {
        chat_links(&self.text)
            .chain(chat_links(&self.attributes))
            .find(|l| l.starts_with("[&DQ"))
            .map(str::to_owned)
    }

    /// The page's innermost blocks (table rows, list items, paragraphs, definition terms and
    /// descriptions, headings, divisions and sections holding no other such block), in
    /// document order: where a page pairs a gear slot with its stat prefix.
    pub fn blocks(&self) -> Vec<Block> {
        const BLOCKS: &str = "tr, li, p, dt, dd, h1, h2, h3, h4, h5, h6, div, section, article";
        const PROSE: &str = "p, h1, h2, h3, h4, h5, h6";
        let (Some(blocks), Some(prose)) = (selector(BLOCKS), selector(PROSE)) else {
            return Vec::new();
        };
        let is_block = |e: &ElementRef<'_>| blocks.matches(e);
        let all: Vec<ElementRef<'_>> = self.doc.select(&blocks).collect();
        // An element is a leaf unless another block names it as its nearest block ancestor.
        let mut outer = std::collections::HashSet::new();
        for element in &all {
            if let Some(parent) = element
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find(is_block)
            {
                outer.insert(parent.id());
            }
        }
        all.iter()
            .filter(|e| !outer.contains(&e.id()))
            .map(|e| Block {
                text: squeeze(&normalize_quotes(&e.text().collect::<Vec<_>>().join(" "))),
                prose: prose.matches(e),
            })
            .filter(|b| !b.text.is_empty())
            .collect()
    }

    /// The stat prefix the text names most often (the earlier one on a tie).
    pub fn most_named_prefix(&self) -> Option<String> {
        let lower = self.text.to_lowercase();
        let data = GameData::embedded();
        let mut best: Option<(usize, usize, &str)> = None;
        for stat in data.itemstats() {
            let name = stat.name.as_str();
            if name.len() < 4 {
                continue;
            }
            let needle = name.to_lowercase();
            let count = lower.matches(&needle).count();
            if count == 0 {
                continue;
            }
            let first = lower.find(&needle).unwrap_or(usize::MAX);
            // Most mentions wins; the earlier one breaks ties.
            if best.is_none_or(|(c, f, _)| count > c || (count == c && first < f)) {
                best = Some((count, first, name));
            }
        }
        best.map(|(_, _, n)| n.to_owned())
    }

    /// The page's facts for the URL analysis (`/ai/analyze/url`).
    pub fn facts(&self) -> PageFacts {
        let lower = self.text.to_lowercase();
        let context =
            if lower.contains("wvw") || lower.contains("mcm") || lower.contains("world vs") {
                Some("WvW".into())
            } else if lower.contains("pvp") {
                Some("PvP".into())
            } else if lower.contains("raid") || lower.contains("fractal") || lower.contains("pve") {
                Some("PvE".into())
            } else {
                None
            };
        PageFacts {
            name: self.title(),
            chat_code: self.chat_code(),
            stats_text: self.most_named_prefix(),
            runes_text: rune_name(&self.text),
            context,
        }
    }
}

/// An innermost block of a page (see [`Page::blocks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    /// A paragraph or heading (running text), not a table row, list item or division.
    pub prose: bool,
}

/// `’` and `‘` (typographic apostrophes) as `'`, so `Minstrel’s` reads as the prefix.
fn normalize_quotes(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
}

pub fn extract(html: &str) -> PageFacts {
    Page::parse(html).facts()
}

/// The first rune of the gear engine's library (discretize's rune list) the text names, by
/// its full name ("Superior Rune of the Monk") or without "Superior".
pub(crate) fn rune_name(text: &str) -> Option<String> {
    let library = optimizer::gear::library().ok()?;
    library
        .iter()
        .filter(|m| m.id.starts_with("rune:") && m.name.contains("Rune of"))
        .filter_map(|m| {
            let short = m.name.trim_start_matches("Superior ");
            text.find(short).map(|at| (at, m.name.clone()))
        })
        // The earliest mention; a longer name wins at the same place ("of the Monk" over "of the").
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())))
        .map(|(_, name)| name)
}
