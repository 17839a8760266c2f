//! The squad's shape: how many groups of how many players, and which slots of each group the
//! request fixes. Everything asked is honoured exactly or refused with the reason.

use gw2::Lang;

use crate::request::{Demand, SquadRequest, Wanted, WvwMode};
use crate::words;

use super::PlanError;

/// Largest WvW party (the game's squad UI groups players by 5).
pub const MAX_GROUP_SIZE: u32 = 5;
/// Largest WvW squad.
pub const MAX_PLAYERS: u32 = optimizer::squad::MAX_SQUAD as u32;

/// Groups and the slots the request fixes in each.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Players per group, in order.
    pub sizes: Vec<u32>,
    /// Per group, the wanted slots (one entry per slot).
    pub fixed: Vec<Vec<Wanted>>,
    pub notes: Vec<String>,
}

/// The mode's usual squad when the request gives no size: a zerg of two groups, a guild raid
/// of three, an outnumbered squad of two, a roaming party of five.
fn default_players(mode: WvwMode) -> u32 {
    match mode {
        WvwMode::Zerg | WvwMode::Outnumbered => 10,
        WvwMode::GuildRaid => 15,
        WvwMode::Roaming => 5,
    }
}

/// The largest squad a mode's needs are written for: its requirement template's
/// `max_players` (`crates/optimizer/data/requirements.json`).
pub fn max_players(mode: WvwMode) -> u32 {
    optimizer::squad::Requirements::template(super::template(mode))
        .ok()
        .and_then(|t| u32::try_from(t.max_players).ok())
        .unwrap_or(MAX_PLAYERS)
        .min(MAX_PLAYERS)
}

fn count_of(demands: &[&Demand]) -> u32 {
    demands.iter().map(|d| d.count).sum()
}

pub fn resolve(request: &SquadRequest, mode: WvwMode, lang: Lang) -> Result<Shape, PlanError> {
    let mut notes = Vec::new();
    let per_group: Vec<&Demand> = request.demands.iter().filter(|d| d.per_group).collect();
    let totals: Vec<&Demand> = request.demands.iter().filter(|d| !d.per_group).collect();
    let size = request.group_size.unwrap_or(MAX_GROUP_SIZE);
    if size == 0 || size > MAX_GROUP_SIZE {
        return Err(PlanError::new(
            "group_size",
            match lang {
                Lang::En => {
                    format!("a WvW group has 1 to {MAX_GROUP_SIZE} players (asked: {size})")
                }
                Lang::Fr => format!(
                    "un groupe McM compte de 1 à {MAX_GROUP_SIZE} joueurs (demandé : {size})"
                ),
            },
        ));
    }
    if request.groups == Some(0) || request.players == Some(0) {
        return Err(PlanError::new(
            "message",
            lang.pick(
                "a squad needs at least one player",
                "une escouade compte au moins un joueur",
            ),
        ));
    }
    let players = match (request.groups, request.players) {
        (Some(g), Some(p)) => {
            if request.group_size.is_some() && p != g.saturating_mul(size) {
                return Err(PlanError::new(
                    "players",
                    match lang {
                        Lang::En => format!(
                            "{g} group(s) of {size} are {} players, not {p}",
                            g.saturating_mul(size)
                        ),
                        Lang::Fr => format!(
                            "{g} groupe(s) de {size} font {} joueurs, pas {p}",
                            g.saturating_mul(size)
                        ),
                    },
                ));
            }
            if p > g.saturating_mul(MAX_GROUP_SIZE) {
                return Err(PlanError::new(
                    "players",
                    match lang {
                        Lang::En => format!(
                            "{p} players do not fit in {g} group(s) of at most {MAX_GROUP_SIZE}"
                        ),
                        Lang::Fr => format!(
                            "{p} joueurs ne tiennent pas dans {g} groupe(s) d'au plus {MAX_GROUP_SIZE}"
                        ),
                    },
                ));
            }
            p
        }
        (Some(g), None) => g.saturating_mul(size),
        (None, Some(p)) => p,
        (None, None) => {
            let asked = count_of(&totals) + count_of(&per_group);
            let p = match request.group_size {
                // "a party of 3": one group of that size, more only if the counts need them.
                Some(s) => s * asked.div_ceil(s).max(1),
                // The mode's usual squad, grown by whole groups until every requested slot
                // fits (per-group counts repeat in each group).
                None => {
                    let (each, total) = (count_of(&per_group), count_of(&totals));
                    let mut p = default_players(mode).max(asked);
                    while each < MAX_GROUP_SIZE
                        && each * p.div_ceil(MAX_GROUP_SIZE) + total > p
                        && p < max_players(mode)
                    {
                        p = (p.div_ceil(MAX_GROUP_SIZE) + 1) * MAX_GROUP_SIZE;
                    }
                    p
                }
            };
            if request.group_size.is_none() {
                let format = words::format_phrase(mode, lang);
                notes.push(match lang {
                    Lang::En => format!(
                        "The request gives no squad size: {p} players, the usual for {format} (say \"N groups of M\" or \"N players\" to change it)."
                    ),
                    Lang::Fr => format!(
                        "La demande ne donne pas de taille d'escouade : {p} joueurs, l'habitude pour {format} (dites « N groupes de M » ou « N joueurs » pour la changer)."
                    ),
                });
            }
            p
        }
    };
    if players > MAX_PLAYERS {
        return Err(PlanError::new(
            "players",
            match lang {
                Lang::En => {
                    format!("a WvW squad has at most {MAX_PLAYERS} players (asked: {players})")
                }
                Lang::Fr => format!(
                    "une escouade McM compte au plus {MAX_PLAYERS} joueurs (demandé : {players})"
                ),
            },
        ));
    }
    let mode_max = max_players(mode);
    if players > mode_max {
        return Err(PlanError::new(
            "mode",
            match lang {
                Lang::En => format!(
                    "{} is for at most {mode_max} players (asked: {players}); ask for a zerg or a guild raid",
                    words::format_label(mode, lang)
                ),
                Lang::Fr => format!(
                    "le format {} est pour au plus {mode_max} joueurs (demandé : {players}) ; demandez un zerg ou un raid de guilde",
                    words::format_label(mode, lang)
                ),
            },
        ));
    }
    let groups = request.groups.unwrap_or_else(|| players.div_ceil(size));
    if groups > players {
        return Err(PlanError::new(
            "groups",
            match lang {
                Lang::En => format!("{groups} groups cannot be made of {players} player(s)"),
                Lang::Fr => {
                    format!("{groups} groupes ne peuvent pas être formés de {players} joueur(s)")
                }
            },
        ));
    }
    let group_size = players.div_ceil(groups).min(MAX_GROUP_SIZE);
    // Fill groups in order; only the last ones may be short.
    let mut sizes = Vec::new();
    let mut left = players;
    for g in 0..groups {
        let rest = groups - g;
        let here = left.div_ceil(rest).min(group_size);
        sizes.push(here);
        left -= here;
    }

    let per_group_count = count_of(&per_group);
    let smallest = sizes.iter().copied().min().unwrap_or(0);
    if per_group_count > smallest {
        return Err(PlanError::new(
            "message",
            match lang {
                Lang::En => format!(
                    "each group should hold {per_group_count} requested slots ({}), but a group has {smallest} players",
                    describe(&per_group, lang)
                ),
                Lang::Fr => format!(
                    "chaque groupe devrait compter {per_group_count} places demandées ({}), mais un groupe a {smallest} joueurs",
                    describe(&per_group, lang)
                ),
            },
        ));
    }
    let mut fixed: Vec<Vec<Wanted>> = sizes
        .iter()
        .map(|_| {
            per_group
                .iter()
                .flat_map(|d| std::iter::repeat_n(d.wanted.clone(), d.count as usize))
                .collect()
        })
        .collect();
    let total_count = count_of(&totals);
    let free: u32 = players - per_group_count * groups;
    if total_count > free {
        return Err(PlanError::new(
            "message",
            match lang {
                Lang::En => format!(
                    "{total_count} requested slots ({}) do not fit in the {free} free slot(s) of a {players}-player squad",
                    describe(&totals, lang)
                ),
                Lang::Fr => format!(
                    "{total_count} places demandées ({}) ne tiennent pas dans les {free} place(s) libre(s) d'une escouade de {players} joueurs",
                    describe(&totals, lang)
                ),
            },
        ));
    }
    // Squad totals go round-robin to the group with the most room left, so "3 Firebrands in
    // 2 groups" is 2 + 1 and no group is packed while another is empty.
    for demand in &totals {
        for _ in 0..demand.count {
            let target = (0..fixed.len())
                .filter(|&g| (fixed[g].len() as u32) < sizes[g])
                .max_by_key(|&g| (sizes[g] - fixed[g].len() as u32, std::cmp::Reverse(g)));
            if let Some(g) = target {
                fixed[g].push(demand.wanted.clone());
            }
        }
    }
    if !totals.is_empty() && groups > 1 {
        let counts = describe(&totals, lang);
        notes.push(match lang {
            Lang::En => format!("Squad-wide counts ({counts}) are spread over the {groups} groups."),
            Lang::Fr => format!(
                "Les effectifs pour toute l'escouade ({counts}) sont répartis sur les {groups} groupes."
            ),
        });
    }
    Ok(Shape {
        sizes,
        fixed,
        notes,
    })
}

fn describe(demands: &[&Demand], lang: Lang) -> String {
    demands
        .iter()
        .map(|d| format!("{} {}", d.count, words::wanted(&d.wanted, lang)))
        .collect::<Vec<_>>()
        .join(", ")
}
