//! From a [`SquadRequest`] to an equipped, graded squad.
//!
//! 1. [`shape`]: groups and sizes; the requested slots of each group, exactly as asked (per
//!    group, or squad-wide counts spread over the groups); anything impossible is refused.
//! 2. Per group, the squad optimizer (`optimizer::squad`) chooses a build for every slot: a
//!    requested slot among the builds that answer it, a free slot among all WvW builds (or
//!    those the request's "fill with ..." names), so that the group covers the mode's needs
//!    (stability, aegis, resistance, protection, might, fury, quickness, alacrity, cleanses,
//!    strips, healing...), then damage, then the players' experience ([`pool`]).
//! 3. Each slot is equipped and measured by the gear engine ([`gear`]).
//! 4. The synergy grade and its details come from the optimizer's coverage figures ([`grade`]).
//!
//! Groups with the same requested slots and size are solved once (the solver is
//! deterministic), so a 10-group squad of the same groups costs one solve.

pub mod answer;
pub mod gear;
pub mod grade;
pub mod pool;
pub mod shape;

use std::collections::{BTreeMap, HashMap};

use gw2::Lang;
use optimizer::squad::{self, Player, ProfileBook, Resource, SquadInput};

use crate::request::{Duty, Experience, SquadRequest, Wanted, WvwMode};
use crate::words;
use answer::{Group, Slot, SquadAnswer};

/// A request the planner cannot honour: the field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PlanError {
    pub field: String,
    pub message: String,
}

impl PlanError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        PlanError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// What the caller sets beside the sentence (the API's `mode` and `experience` fields win
/// over what the sentence says), the language the planner writes its notes, reasons and
/// refusals in, and factors on the format's needs (a learned model's, see the server's
/// `learned_weights`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub mode: Option<WvwMode>,
    pub experience: Option<Experience>,
    pub lang: Lang,
    /// Multiplies the weight of each need of the format when the squad optimizer fills the
    /// groups (`SquadInput::weight_factors`). The synergy grade stays on the format's own
    /// weights, so grades compare across requests.
    pub weight_factors: Option<BTreeMap<Resource, f64>>,
}

/// The optimizer's requirement template for a mode (`crates/optimizer/data/requirements.json`).
pub fn template(mode: WvwMode) -> &'static str {
    match mode {
        WvwMode::Zerg => "wvw_zerg",
        WvwMode::GuildRaid => "wvw_guild_raid",
        WvwMode::Outnumbered => "wvw_outnumbered",
        WvwMode::Roaming => "wvw_roam",
    }
}

fn internal(e: impl std::fmt::Display) -> PlanError {
    PlanError::new("engine", e.to_string())
}

/// Plans the squad a request asks for.
pub fn plan(request: &SquadRequest, overrides: Overrides) -> Result<SquadAnswer, PlanError> {
    let lang = overrides.lang;
    if !request.unknown_names.is_empty() {
        let names: Vec<&str> = request
            .unknown_names
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        return Err(PlanError::new(
            "message",
            match lang {
                Lang::En => format!(
                    "unknown profession or specialization: {} (write a profession, an elite specialization or a duty such as stab, heal, boon, strip, dps)",
                    names.join(", ")
                ),
                Lang::Fr => format!(
                    "profession ou spécialisation inconnue : {} (écrivez une profession, une spécialisation d'élite ou un rôle comme stab, heal, boon, strip, dps)",
                    names.join(", ")
                ),
            },
        ));
    }
    let mut notes = Vec::new();
    let mode = match overrides.mode.or(request.mode) {
        Some(m) => m,
        None => {
            notes.push(
                lang.pick(
                    "No WvW format named: planned for a zerg.",
                    "Aucun format McM indiqué : escouade prévue pour un zerg.",
                )
                .to_owned(),
            );
            WvwMode::Zerg
        }
    };
    let experience = overrides
        .experience
        .or(request.experience)
        .unwrap_or(Experience::Intermediate);
    let shape = shape::resolve(request, mode, lang)?;
    notes.extend(shape.notes.iter().cloned());
    let book = ProfileBook::builtin().map_err(internal)?;
    let condition = wants_condition(request);
    let requirements = squad::Requirements::template(template(mode)).map_err(internal)?;
    let free_pool = pool::free_options(book, request.fill.as_ref(), experience, &requirements);
    if free_pool.is_empty() {
        return Err(PlanError::new(
            "message",
            lang.pick(
                "nothing can fill the free slots",
                "rien ne peut remplir les places libres",
            ),
        ));
    }
    if let Some(fill) = &request.fill {
        let fill = words::wanted(fill, lang);
        notes.push(match lang {
            Lang::En => format!("Free slots are filled with {fill}."),
            Lang::Fr => format!("Les places libres sont remplies avec {fill}."),
        });
    }
    if let Some(factors) = &overrides.weight_factors {
        notes.push(weighted_note(factors, lang));
    }

    let mut solved: HashMap<(u32, Vec<Wanted>), GroupResult> = HashMap::new();
    let mut coverage_by_group = Vec::new();
    let mut groups = Vec::new();
    let mut cover_score = 0.0;
    let mut cover_max = 0.0;
    for (g, (&size, fixed)) in shape.sizes.iter().zip(&shape.fixed).enumerate() {
        let key = (size, fixed.clone());
        let (members, coverage, score, max) = match solved.get(&key) {
            Some(done) => done.clone(),
            None => {
                let done = solve_group(
                    book,
                    &requirements,
                    fixed,
                    size,
                    &free_pool,
                    Context {
                        mode,
                        experience,
                        lang,
                        weight_factors: overrides.weight_factors.as_ref(),
                    },
                )?;
                solved.insert(key, done.clone());
                done
            }
        };
        cover_score += score;
        cover_max += max;
        let mut slots = Vec::new();
        for (member, requested) in &members {
            slots.push(slot(
                book,
                member,
                *requested,
                condition,
                (mode, experience, lang),
            )?);
        }
        coverage_by_group.push(coverage.clone());
        groups.push(Group {
            index: g as u32 + 1,
            slots,
            coverage,
        });
    }
    let synergy = grade::grade(&coverage_by_group, &groups, cover_score, cover_max, lang);
    let team_size = shape.sizes.iter().sum();
    Ok(SquadAnswer {
        success: true,
        team_size,
        groups,
        synergy,
        notes,
        mode,
        experience,
    })
}

type GroupResult = (
    Vec<(squad::PlacedMember, bool)>,
    Vec<squad::CoverageEntry>,
    f64,
    f64,
);

/// What every group of a plan is solved under.
#[derive(Clone, Copy)]
struct Context<'a> {
    mode: WvwMode,
    experience: Experience,
    lang: Lang,
    weight_factors: Option<&'a BTreeMap<Resource, f64>>,
}

/// The note saying the needs were weighted, with the factors that moved (largest first).
fn weighted_note(factors: &BTreeMap<Resource, f64>, lang: Lang) -> String {
    let mut moved: Vec<(Resource, f64)> = factors
        .iter()
        .filter(|(_, f)| (**f - 1.0).abs() > 0.005)
        .map(|(r, f)| (*r, *f))
        .collect();
    moved.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list = moved
        .iter()
        .map(|(r, f)| format!("{} ×{f:.2}", words::resource(*r, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::En => format!(
            "The format's needs were weighted by the learned fight-outcome model: {list}."
        ),
        Lang::Fr => format!(
            "Les besoins du format ont été pondérés par le modèle appris sur l'issue des combats : {list}."
        ),
    }
}

/// One group: the requested slots with their matching builds, the free ones with the pool,
/// placed by the squad optimizer against the mode's needs.
fn solve_group(
    book: &ProfileBook,
    requirements: &squad::Requirements,
    fixed: &[Wanted],
    size: u32,
    free_pool: &[squad::BuildOption],
    context: Context<'_>,
) -> Result<GroupResult, PlanError> {
    let Context {
        mode,
        experience,
        lang,
        weight_factors,
    } = context;
    let mut players = Vec::new();
    for (i, wanted) in fixed.iter().enumerate() {
        let options = pool::narrow(
            book,
            pool::options_for(book, wanted, experience),
            requirements,
        );
        if options.is_empty() {
            let wanted = words::wanted(wanted, lang);
            return Err(PlanError::new(
                "message",
                match lang {
                    Lang::En => format!("no WvW build answers {wanted}"),
                    Lang::Fr => format!("aucun build McM ne correspond à {wanted}"),
                },
            ));
        }
        players.push(Player {
            name: format!("asked-{i}"),
            options,
            preference_weight: 1.0,
        });
    }
    for i in fixed.len()..size as usize {
        players.push(Player {
            name: format!("free-{i}"),
            options: free_pool.to_vec(),
            preference_weight: 1.0,
        });
    }
    let mut input = SquadInput::new(players, template(mode));
    input.party_size = Some(size as usize);
    input.party_count = Some(1);
    input.weight_factors = weight_factors.cloned();
    let plan = squad::optimize(&input).map_err(internal)?;
    let party = plan
        .parties
        .into_iter()
        .next()
        .ok_or_else(|| internal("the optimizer returned no group"))?;
    // Requested slots first, in the order asked; then the filled ones.
    let mut members: Vec<(squad::PlacedMember, bool)> = party
        .members
        .into_iter()
        .map(|m| {
            let requested = m.player.starts_with("asked-");
            (m, requested)
        })
        .collect();
    members.sort_by_key(|(m, requested)| (!requested, order_of(&m.player)));
    let (score, max) = group_score(&party.coverage, mode)?;
    Ok((members, party.coverage, score, max))
}

fn order_of(player: &str) -> usize {
    player
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// Weighted coverage of a group and its maximum (the template's weights).
fn group_score(coverage: &[squad::CoverageEntry], mode: WvwMode) -> Result<(f64, f64), PlanError> {
    let requirements = squad::Requirements::template(template(mode)).map_err(internal)?;
    let mut score = 0.0;
    let mut max = 0.0;
    for entry in coverage {
        let weight = requirements
            .per_party
            .iter()
            .find(|r| r.resource == entry.resource)
            .map_or(1.0, |r| r.weight);
        score += weight * entry.coverage;
        max += weight;
    }
    Ok((score, max))
}

fn wants_condition(request: &SquadRequest) -> bool {
    let condi = |w: &Wanted| {
        matches!(
            w,
            Wanted::Duty {
                duty: Duty::ConditionDamage
            }
        )
    };
    request.fill.as_ref().is_some_and(condi) || request.demands.iter().any(|d| condi(&d.wanted))
}

fn slot(
    book: &ProfileBook,
    member: &squad::PlacedMember,
    requested: bool,
    condition: bool,
    (mode, experience, lang): (WvwMode, Experience, Lang),
) -> Result<Slot, PlanError> {
    let kind = gear::Kind::of(&member.role, condition && member.role == "dps");
    let fitted = gear::fit(&member.profession, kind, mode, experience).map_err(internal)?;
    let profile = book
        .resolve(&member.profession, &member.specialization, &member.role)
        .ok_or_else(|| internal(format!("no support profile for {}", member.build)))?;
    let party_amount = |r: Resource| profile.amount(r);
    let increase = gear::dps_increase(party_amount(Resource::Might), party_amount(Resource::Fury))
        .map_err(internal)?;
    let reason = reason(member, requested, profile, &fitted, (mode, lang));
    Ok(Slot {
        role: member.role.clone(),
        profession: member.profession.clone(),
        specialization: member.specialization.clone(),
        performance: gear::performance(&fitted, increase).map_err(internal)?,
        equipment: fitted.equipment,
        advisor_reason: reason,
        requested,
    })
}

/// Why this slot: asked for or chosen, what it brings its group (the three largest
/// contributions of its support profile), and what the gear is for.
fn reason(
    member: &squad::PlacedMember,
    requested: bool,
    profile: &squad::SupportProfile,
    fitted: &gear::Fitted,
    (mode, lang): (WvwMode, Lang),
) -> String {
    let mut gives: Vec<(Resource, f64)> = Resource::ALL
        .iter()
        .map(|r| (*r, profile.amount(*r)))
        .filter(|(_, a)| *a > 0.0)
        .collect();
    // Compare shares of each resource's usual scale so 700 healing does not outrank stability.
    gives.sort_by(|a, b| {
        let scale = |(r, v): &(Resource, f64)| match r {
            Resource::Might => v / 25.0,
            Resource::Healing | Resource::Barrier => v / 1000.0,
            _ => *v,
        };
        scale(b).total_cmp(&scale(a))
    });
    let top: Vec<&str> = gives
        .iter()
        .take(3)
        .map(|(r, _)| words::resource(*r, lang))
        .collect();
    let brings = if top.is_empty() {
        lang.pick("damage", "des dégâts").to_owned()
    } else {
        top.join(", ")
    };
    let specialization = words::game_name(&member.specialization, lang);
    let role = words::role(&member.role, lang);
    let survivability = gear::relative_survivability(fitted.survivability).unwrap_or(0.0);
    let stats = &fitted.equipment.stats;
    let format = words::format_phrase(mode, lang);
    match lang {
        Lang::En => {
            let why = if requested {
                "Requested"
            } else {
                "Chosen by the squad optimizer to cover the group's needs"
            };
            format!(
                "{why}: {specialization} {role} brings {brings}; {stats} gear for {format} (survivability {survivability:.1}× a full-Berserker's Elementalist)."
            )
        }
        Lang::Fr => {
            let why = if requested {
                "Demandé"
            } else {
                "Choisi par l'optimiseur d'escouade pour couvrir les besoins du groupe"
            };
            format!(
                "{why} : {specialization} ({role}) apporte {brings} ; équipement {stats} pour {format} (survie {survivability:.1}× celle d'un Élémentaliste tout Berserker)."
            )
        }
    }
}
