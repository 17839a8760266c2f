//! Plain-text rendering of a [`FightReport`] for the CLI.

use super::FightReport;
use std::fmt::Write;

fn fmt_num(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars()
            .take(n.saturating_sub(1))
            .chain(std::iter::once('~'))
            .collect()
    }
}

pub(super) fn render(r: &FightReport) -> String {
    let mut o = String::new();
    let secs = r.duration_ms as f64 / 1000.0;
    let _ = writeln!(
        o,
        "{} ({}s), arcdps {}",
        r.fight_name,
        format_args!("{secs:.1}"),
        r.arc_build
    );
    let _ = writeln!(
        o,
        "Recorded by {} | squad {} | allies {} | enemies {} ({})",
        r.recorded_by.as_deref().unwrap_or("?"),
        r.squad_size,
        r.ally_count,
        r.enemy_count,
        r.enemies_by_team
            .iter()
            .map(|t| format!("team {}: {}", t.team_id, t.count))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let oc = &r.outcome;
    let _ = writeln!(
        o,
        "Outcome: {:?} | squad dmg {} | enemy downs {} deaths {} | squad downs {} deaths {} | K/D {:.2}",
        oc.result,
        fmt_num(oc.squad_damage),
        oc.enemy_downs,
        oc.enemy_deaths,
        oc.squad_downs,
        oc.squad_deaths,
        oc.kill_death_ratio
    );
    if let Some(c) = &r.commander {
        let _ = writeln!(o, "Commander: {c}");
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<3} {:<20} {:<13} {:>11} {:>7} {:>5} {:>5} {:>5} {:>9} {:>6} {:>6} {:>9} {:>9} {:>6} {:>6} {:>7}",
        "Grp", "Name", "Profession", "Damage", "DPS", "Downs", "Kills", "Death", "Taken", "Strips", "Clnse", "Healing", "Barrier", "Stab", "Quick", "DistCom"
    );
    let stab = super::buffs::boon_index(1122).unwrap_or(0);
    let quick = super::buffs::boon_index(1187).unwrap_or(0);
    for p in &r.players {
        let grp = if p.in_squad {
            p.subgroup.to_string()
        } else {
            "-".into()
        };
        let dist = p
            .distance_to_commander
            .map(|d| format!("{d:.0}"))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            o,
            "{:<3} {:<20} {:<13} {:>11} {:>7} {:>5} {:>5} {:>5} {:>9} {:>6} {:>6} {:>9} {:>9} {:>6.2} {:>5.1}% {:>7}",
            grp,
            trunc(&format!("{}{}", p.name, if p.is_commander { "*" } else { "" }), 20),
            trunc(&p.profession_name, 13),
            fmt_num(p.damage.to_enemies),
            fmt_num(p.damage.dps_to_enemies),
            p.damage.downs,
            p.damage.kills,
            p.defense.deaths,
            fmt_num(p.defense.damage_taken),
            p.support.boon_strips,
            p.support.cleanses + p.support.cleanses_self,
            fmt_num(p.support.healing),
            fmt_num(p.support.barrier),
            p.boons.get(stab).map(|b| b.uptime).unwrap_or(0.0),
            p.boons.get(quick).map(|b| b.uptime).unwrap_or(0.0),
            dist
        );
    }
    let _ = writeln!(o);
    let _ = write!(o, "Squad boon uptime:");
    for b in &r.squad_boons {
        if b.intensity {
            let _ = write!(o, " {} {:.1}", b.name, b.uptime);
        } else {
            let _ = write!(o, " {} {:.0}%", b.name, b.uptime);
        }
    }
    let _ = writeln!(o);
    o
}
