//! What a build guide page says (Snowcrows, MetaBattle, Hardstuck, GW2Skills-style pages): its
//! title, the build chat code it shows, and its gear text. Pure: the HTML comes from the
//! caller (the server fetches it politely); parsed with a real HTML parser (`scraper`).

use scraper::{Html, Selector};
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

pub fn extract(html: &str) -> PageFacts {
    let doc = Html::parse_document(html);
    let mut facts = PageFacts::default();
    let og_title = selector(r#"meta[property="og:title"]"#)
        .and_then(|s| doc.select(&s).next())
        .and_then(|m| m.value().attr("content"))
        .map(str::to_owned);
    let title = || {
        selector("title")
            .and_then(|s| doc.select(&s).next())
            .map(|t| t.text().collect::<String>())
    };
    let h1 = || {
        selector("h1")
            .and_then(|s| doc.select(&s).next())
            .map(|t| t.text().collect::<String>())
    };
    facts.name = og_title
        .or_else(title)
        .or_else(h1)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());

    // Visible text and attribute values (codes often sit in an <input value> or data-*).
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
    facts.chat_code = chat_links(&text)
        .chain(chat_links(&attributes))
        .find(|l| l.starts_with("[&DQ"))
        .map(str::to_owned);

    let lower = text.to_lowercase();
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
    facts.stats_text = best.map(|(_, _, n)| n.to_owned());
    facts.runes_text = rune_name(&text);
    facts.context = if lower.contains("wvw") || lower.contains("mcm") || lower.contains("world vs")
    {
        Some("WvW".into())
    } else if lower.contains("pvp") {
        Some("PvP".into())
    } else if lower.contains("raid") || lower.contains("fractal") || lower.contains("pve") {
        Some("PvE".into())
    } else {
        None
    };
    facts
}

/// The first rune of the gear engine's library (discretize's rune list) the text names, by
/// its full name ("Superior Rune of the Monk") or without "Superior".
fn rune_name(text: &str) -> Option<String> {
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
