//! `gw2opt meta`: the meta analysis of the database (what `GET /api/v1/meta` answers), as
//! tables or JSON.

use server::services::meta::analysis::{MetaItem, Trend};
use server::services::meta::{MetaAnalysis, MetaTotals};
use server::state::AppState;

use super::{out, print_json};

pub async fn run(
    state: &AppState,
    game_mode: Option<&str>,
    period: Option<&str>,
    profession: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let analysis = state
        .meta
        .analysis(game_mode, period, profession)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if json {
        print_json(&analysis)
    } else {
        out(&render(&analysis))
    }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A share delta in percentage points, signed.
fn points(x: f64) -> String {
    format!("{:+.1}pp", x * 100.0)
}

fn totals(t: &MetaTotals) -> String {
    format!(
        "{} builds, {} team slots, {} saved builds, {} fights ({} squad members)",
        t.builds, t.team_slots, t.saved_builds, t.fights, t.fight_players
    )
}

/// The analysis as text: a header, then one table per dimension.
pub fn render(a: &MetaAnalysis) -> String {
    let mut s = String::new();
    let p = &a.period;
    s.push_str(&format!(
        "Meta of {}{}: the last {} days ({} to {}) against the {} days before\n",
        a.game_mode.as_deref().unwrap_or("every game mode"),
        a.profession
            .as_deref()
            .map(|p| format!(", {p} only"))
            .unwrap_or_default(),
        p.days,
        p.since.format("%Y-%m-%d %H:%M"),
        p.until.format("%Y-%m-%d %H:%M"),
        p.days,
    ));
    s.push_str(&format!("  now:    {}\n", totals(&a.totals.current)));
    s.push_str(&format!("  before: {}\n", totals(&a.totals.previous)));
    for (title, items) in [
        ("Professions", &a.professions),
        ("Specializations", &a.specializations),
        ("Roles", &a.roles),
        ("Stat prefixes", &a.stat_prefixes),
    ] {
        s.push('\n');
        s.push_str(&table(title, items));
    }
    s
}

fn table(title: &str, items: &[MetaItem]) -> String {
    let mut s = format!("{title}\n");
    if items.is_empty() {
        s.push_str("  (nothing counted)\n");
        return s;
    }
    let header = [
        "rank", "name", "count", "share", "before", "change", "trend", "votes", "saves", "fights",
        "won",
    ];
    let rows: Vec<[String; 11]> = items
        .iter()
        .map(|i| {
            let name = match (&i.profession, &i.specialization) {
                (Some(prof), None) if prof == &i.name && title == "Specializations" => {
                    format!("{prof} (core)")
                }
                _ => i.name.clone(),
            };
            let rank = match (i.rank, i.rank_change) {
                (Some(r), Some(c)) if c > 0 => format!("{r} ↑{c}"),
                (Some(r), Some(c)) if c < 0 => format!("{r} ↓{}", -c),
                (Some(r), _) => r.to_string(),
                (None, _) => "-".to_owned(),
            };
            let trend = match i.trend {
                Trend::New => "new",
                Trend::Rising => "rising",
                Trend::Falling => "falling",
                Trend::Stable => "stable",
            };
            [
                rank,
                name,
                i.count.to_string(),
                percent(i.share),
                percent(i.previous_share),
                points(i.share_delta),
                trend.to_owned(),
                format!("+{}/-{}", i.rating.upvotes, i.rating.downvotes),
                i.rating.saves.to_string(),
                i.rating.fights.to_string(),
                i.rating.win_rate.map(percent).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::from(" ");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            // Names left-aligned, numbers right-aligned.
            if i == 1 || i == 6 {
                l.push_str(&format!(" {cell}{}", " ".repeat(pad)));
            } else {
                l.push_str(&format!(" {}{cell}", " ".repeat(pad)));
            }
        }
        l.trim_end().to_owned() + "\n"
    };
    s.push_str(&line(&header.map(str::to_owned)));
    for row in &rows {
        s.push_str(&line(row));
    }
    s
}
