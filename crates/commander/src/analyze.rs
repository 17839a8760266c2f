//! One build judged for a WvW format (the API's `POST /ai/analyze/build-full` and
//! `/ai/analyze/skill`): which role it plays best, what it brings and lacks against the
//! format's needs, its gear from the gear engine, the closest build of the support table and
//! its chat code. Every figure comes from the engines and the game data; nothing is invented.
//!
//! Grades are relative to the strongest build of the support table for the same format: the
//! build's weighted coverage of one party's needs (the squad optimizer's measure), as a share
//! of the best build's: S ≥ 90%, A ≥ 75%, B ≥ 50%, C below.

use gw2::build::{Build, Skills, TraitLine};
use gw2::data::{GameData, Specialization};
use gw2::model::{GameMode, Role};
use optimizer::squad::{ProfileBook, ProfileRule, Requirements, Resource, SupportProfile};
use serde::Serialize;

use crate::plan::gear::{self, Kind};
use crate::plan::{template, PlanError};
use crate::request::{Duty, Experience, Wanted, WvwMode};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildAnalysis {
    pub context: String,
    pub profession: String,
    pub specialization: String,
    pub synergy_score: String,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub summary: String,
    pub gear_optimization: GearOptimization,
    pub meta_comparison: Option<MetaComparison>,
    pub chat_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GearOptimization {
    pub role: String,
    pub experience: Experience,
    pub mode: WvwMode,
    pub chosen: GearChoice,
    pub alternatives: Vec<GearChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GearChoice {
    pub prefix: String,
    pub rune: String,
    pub sigils: Vec<String>,
    pub relic: Option<String>,
    /// Damage of the 4-second reference burst (see `plan::gear`).
    pub total_damage: f64,
    /// Effective health as a multiple of a full-Berserker's Elementalist's (as Team
    /// Commander's `performance.survivability`).
    pub survivability: f64,
    /// Health × armor with this gear.
    pub effective_health: f64,
    /// The kit's score as a percentage of the best kit's for this slot.
    pub overall_score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Over ten seconds of the reference rotation (see `plan::gear`): damage per second and
    /// in all; heals per second and in all with one representative heal a second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_dps_10s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_total_damage_10s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_hps_10s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_total_heal_10s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaBuild {
    pub id: String,
    pub name: String,
    pub profession: String,
    pub specialization: String,
    pub role: String,
    pub stats_text: Option<String>,
    pub runes_text: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaComparison {
    pub closest_meta: Option<MetaBuild>,
    /// Share of the format's weighted needs both builds cover alike (1 = same role profile).
    pub similarity_score: f64,
    pub recommendations: Vec<String>,
    pub user_role: String,
    /// How clearly the build's traits and skills point at its role (0..1).
    pub role_confidence: f64,
}

/// The format and experience a context string names (« McM zerg », "WvW roaming, beginner"),
/// and a duty if it names one ("support"); a zerg and intermediate players when it names none.
pub fn read_context(context: &str) -> (WvwMode, Experience, Option<Duty>) {
    let request = crate::parse::parse(context);
    let duty_of = |w: &Wanted| match w {
        Wanted::Duty { duty } => Some(*duty),
        _ => None,
    };
    let duty = request
        .demands
        .iter()
        .find_map(|d| duty_of(&d.wanted))
        .or_else(|| request.fill.as_ref().and_then(duty_of));
    (
        request.mode.unwrap_or(WvwMode::Zerg),
        request.experience.unwrap_or(Experience::Intermediate),
        duty,
    )
}

/// What one build's profile covers of one party's needs: each need's coverage (provided per
/// member ÷ target, capped at 1; a self-only contribution reaches one member of five) times
/// its weight.
pub fn party_value(profile: &SupportProfile, needs: &Requirements) -> f64 {
    needs
        .per_party
        .iter()
        .map(|r| r.weight * coverage(profile, r.resource, r.target))
        .sum()
}

fn coverage(profile: &SupportProfile, resource: Resource, target: f64) -> f64 {
    let Some(c) = profile.provides.get(&resource) else {
        return 0.0;
    };
    let share = (c.reach.targets().min(5) as f64) / 5.0;
    if target <= 0.0 {
        return 1.0;
    }
    (c.amount * share / target).min(1.0)
}

fn letter(share: f64) -> &'static str {
    if share >= 0.9 {
        "S"
    } else if share >= 0.75 {
        "A"
    } else if share >= 0.5 {
        "B"
    } else {
        "C"
    }
}

/// Does a build's role fit a duty the context names?
fn role_fits(role: &str, duty: Duty) -> bool {
    match duty {
        Duty::Healing => role == "heal",
        Duty::Support | Duty::Stability | Duty::Tank | Duty::Cleanse => {
            matches!(role, "support" | "heal")
        }
        Duty::Boons => matches!(role, "quickness" | "alacrity" | "support"),
        Duty::Strip => role == "strip",
        Duty::Damage | Duty::PowerDamage | Duty::ConditionDamage => role == "dps",
    }
}

/// Why an analysis cannot be made: a field and the reason (a 422).
pub type AnalyzeError = PlanError;

fn rules_of<'a>(book: &'a ProfileBook, profession: &str, spec: &str) -> Vec<&'a ProfileRule> {
    let named: Vec<&ProfileRule> = book
        .rules
        .iter()
        .filter(|r| {
            r.profession.eq_ignore_ascii_case(profession)
                && r.specialization.eq_ignore_ascii_case(spec)
        })
        .collect();
    if named.is_empty() {
        // A specialization the table does not name plays as the table's generic damage build.
        book.rules
            .iter()
            .filter(|r| r.profession == "*" && r.specialization == "*" && r.role == "dps")
            .collect()
    } else {
        named
    }
}

/// The specialization a build is: the one named, else the elite line among its traits, else
/// the profession of its skills' and traits' specializations (its core line).
fn specialization<'a>(
    data: &'a GameData,
    spec_id: Option<u16>,
    trait_ids: &[u32],
    skill_ids: &[u32],
) -> Result<&'a Specialization, AnalyzeError> {
    if let Some(id) = spec_id {
        return data.specialization_by_id(id).ok_or_else(|| {
            PlanError::new(
                "specialization_id",
                format!("unknown specialization id {id}"),
            )
        });
    }
    let from_traits: Vec<&Specialization> = trait_ids
        .iter()
        .filter_map(|t| data.trait_by_id(*t))
        .filter_map(|t| data.specialization_by_id(t.specialization))
        .collect();
    if let Some(elite) = from_traits.iter().find(|s| s.elite) {
        return Ok(elite);
    }
    let from_skills = skill_ids
        .iter()
        .filter_map(|id| data.skill(*id))
        .find_map(|s| {
            s.specialization
                .and_then(|id| data.specialization_by_id(id))
        });
    from_skills
        .or_else(|| from_traits.first().copied())
        .ok_or_else(|| {
            PlanError::new(
                "specialization_id",
                "give a specialization id, or trait or skill ids the game data knows",
            )
        })
}

/// The build's chat code: its trait lines from the trait ids (each major trait names its line,
/// tier and choice) and its bar from the skill ids (heal, utilities, elite by their slots).
fn chat_code(
    data: &GameData,
    profession: &str,
    spec: &Specialization,
    trait_ids: &[u32],
    skill_ids: &[u32],
) -> Option<String> {
    let mut lines: Vec<TraitLine> = Vec::new();
    for id in trait_ids {
        let Some((line, tier, choice)) = data.trait_location(*id) else {
            continue;
        };
        let entry = match lines.iter_mut().position(|l| l.specialization == line.name) {
            Some(i) => &mut lines[i],
            None => {
                lines.push(TraitLine {
                    specialization: line.name.clone(),
                    traits: [0; 3],
                });
                let last = lines.len() - 1;
                &mut lines[last]
            }
        };
        entry.traits[tier.min(2)] = choice.to_bits();
    }
    // Elite line last, as the game requires.
    lines.sort_by_key(|l| {
        data.specialization_by_name(&l.specialization)
            .is_some_and(|s| s.elite)
    });
    lines.truncate(3);
    let code = data.profession(profession)?.code;
    let mut skills = Skills::default();
    let mut utility = 0;
    for id in skill_ids {
        let (Some(skill), Some(palette)) = (data.skill(*id), data.palette_for_skill(code, *id))
        else {
            continue;
        };
        match skill.slot {
            gw2::data::SkillSlot::Heal => skills.heal = Some(palette),
            gw2::data::SkillSlot::Elite => skills.elite = Some(palette),
            gw2::data::SkillSlot::Utility if utility < 3 => {
                skills.utilities[utility] = Some(palette);
                utility += 1;
            }
            gw2::data::SkillSlot::Utility => {}
        }
    }
    let draft = Build {
        name: "Analyzed build".into(),
        profession: profession.to_owned(),
        specialization: spec.elite.then(|| spec.name.clone()),
        game_mode: GameMode::Wvw,
        role: Role::Dps,
        trait_lines: lines,
        skills,
        equipment: Default::default(),
        synergies: Vec::new(),
        counters: Vec::new(),
        description: None,
        tags: Vec::new(),
        is_public: true,
    };
    draft.to_chat_code(data).ok()
}

fn choice(
    equipment: &crate::plan::answer::Equipment,
    burst: f64,
    survivability: f64,
    overall: f64,
    reason: Option<String>,
) -> GearChoice {
    GearChoice {
        prefix: equipment.stats.clone(),
        rune: equipment.rune.clone(),
        sigils: equipment.sigils.clone(),
        relic: equipment.relic.clone(),
        total_damage: burst,
        survivability: gear::relative_survivability(survivability).unwrap_or(0.0),
        effective_health: survivability,
        overall_score: overall,
        reason,
        rotation_dps_10s: None,
        rotation_total_damage_10s: None,
        rotation_hps_10s: None,
        rotation_total_heal_10s: None,
    }
}

/// Analyzes the build `spec_id` / `trait_ids` / `skill_ids` for the format `context` names.
pub fn analyze_build(
    spec_id: Option<u16>,
    trait_ids: &[u32],
    skill_ids: &[u32],
    context: &str,
) -> Result<BuildAnalysis, AnalyzeError> {
    let data = GameData::embedded();
    let spec = specialization(data, spec_id, trait_ids, skill_ids)?;
    let profession = data
        .profession(&spec.profession)
        .map(|p| p.name.clone())
        .ok_or_else(|| {
            PlanError::new("specialization_id", "specialization without a profession")
        })?;
    let (mode, experience, duty) = read_context(context);
    let book = ProfileBook::builtin().map_err(|e| PlanError::new("engine", e.to_string()))?;
    let needs = Requirements::template(template(mode))
        .map_err(|e| PlanError::new("engine", e.to_string()))?;
    let best_in_table = book
        .rules
        .iter()
        .filter(|r| r.profession != "*")
        .map(|r| party_value(&r.profile, &needs))
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let spec_name = if spec.elite {
        spec.name.clone()
    } else {
        profession.clone()
    };
    let mut roles: Vec<(&ProfileRule, f64)> = rules_of(book, &profession, &spec_name)
        .into_iter()
        .map(|r| (r, party_value(&r.profile, &needs)))
        .collect();
    roles.sort_by(|a, b| b.1.total_cmp(&a.1));
    let fitting: Vec<&(&ProfileRule, f64)> = roles
        .iter()
        .filter(|(r, _)| duty.is_none_or(|d| role_fits(&r.role, d)))
        .collect();
    let (rule, value) = fitting
        .first()
        .copied()
        .or_else(|| roles.first())
        .copied()
        .ok_or_else(|| {
            PlanError::new("specialization_id", "no WvW build of this specialization")
        })?;
    let share = value / best_in_table;
    let role_confidence = if roles.len() <= 1 || duty.is_some() {
        1.0
    } else {
        let second = roles.get(1).map_or(0.0, |r| r.1);
        ((value - second) / value.max(f64::MIN_POSITIVE)).clamp(0.0, 1.0)
    };

    let mut strengths = Vec::new();
    let mut weaknesses = Vec::new();
    let mut sorted_needs: Vec<_> = needs.per_party.iter().collect();
    sorted_needs.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    for need in &sorted_needs {
        let c = coverage(&rule.profile, need.resource, need.target);
        if c >= 0.5 {
            strengths.push(format!(
                "{}: {:.0}% of a party's need in {}",
                need.resource.name(),
                c * 100.0,
                crate::words::format_phrase(mode, gw2::Lang::En)
            ));
        } else if c < 0.2 && need.weight >= 1.5 {
            weaknesses.push(format!(
                "{}: {:.0}% of a party's need; bring it from another slot",
                need.resource.name(),
                c * 100.0
            ));
        }
    }
    if rule.profile.damage >= 80.0 {
        strengths.push(format!(
            "damage: {} / 100 in the support table",
            rule.profile.damage
        ));
    }
    let recommendations: Vec<String> = sorted_needs
        .iter()
        .filter(|n| coverage(&rule.profile, n.resource, n.target) < 0.2 && n.weight >= 1.5)
        .filter_map(|n| {
            book.providers_of(n.resource, 0.5).first().map(|p| {
                format!(
                    "Use a {} ({}) in the same party for {}: this build gives little of it",
                    p.specialization,
                    p.role,
                    n.resource.name()
                )
            })
        })
        .collect();

    let kind = Kind::of(&rule.role, duty == Some(Duty::ConditionDamage));
    let fitted = gear::fit(&profession, kind, mode, experience)
        .map_err(|e| PlanError::new("engine", e.to_string()))?;
    let best = fitted.score.max(f64::MIN_POSITIVE);
    let pct = |score: f64| ((score / best) * 1000.0).round() / 10.0;
    let mut chosen = choice(
        &fitted.equipment,
        fitted.burst_damage,
        fitted.survivability,
        100.0,
        Some(format!(
            "best {} kit for {} ({} players) by the gear engine",
            rule.role,
            crate::words::format_phrase(mode, gw2::Lang::En),
            match experience {
                Experience::Beginner => "beginner",
                Experience::Intermediate => "intermediate",
                Experience::Expert => "expert",
            }
        )),
    );
    let round1 = |v: f64| (v * 10.0).round() / 10.0;
    chosen.rotation_dps_10s = Some(round1(fitted.dps));
    chosen.rotation_total_damage_10s = Some((fitted.dps * 10.0).round());
    chosen.rotation_hps_10s = Some(round1(fitted.healing));
    chosen.rotation_total_heal_10s = Some((fitted.healing * 10.0).round());
    let alternatives = fitted
        .alternatives
        .iter()
        .map(|a| {
            let mut e = fitted.equipment.clone();
            e.stats = a.stats.clone();
            choice(&e, a.burst_damage, a.survivability, pct(a.score), None)
        })
        .collect();

    let closest = MetaBuild {
        id: format!("{}-{}", rule.specialization.to_lowercase(), rule.role),
        name: format!("{} {} (WvW)", rule.specialization, rule.role),
        profession: rule.profession.clone(),
        specialization: rule.specialization.clone(),
        role: rule.role.clone(),
        stats_text: Some(fitted.equipment.stats.clone()),
        runes_text: Some(fitted.equipment.rune.clone()),
        source: (!rule.source.is_empty()).then(|| rule.source.join(", ")),
        notes: None,
    };
    let summary = format!(
        "{} plays best as {} in {}: it covers {:.0}% of a party's weighted needs, {:.0}% of the strongest build in the table (grade {}).",
        spec_name,
        rule.role,
        crate::words::format_phrase(mode, gw2::Lang::En),
        100.0 * value / needs.per_party.iter().map(|r| r.weight).sum::<f64>().max(f64::MIN_POSITIVE),
        share * 100.0,
        letter(share)
    );
    Ok(BuildAnalysis {
        context: context.to_owned(),
        profession: profession.clone(),
        specialization: spec_name,
        synergy_score: letter(share).to_owned(),
        strengths,
        weaknesses,
        summary,
        gear_optimization: GearOptimization {
            role: rule.role.clone(),
            experience,
            mode,
            chosen,
            alternatives,
        },
        meta_comparison: Some(MetaComparison {
            closest_meta: Some(closest),
            similarity_score: 1.0,
            recommendations,
            user_role: rule.role.clone(),
            role_confidence: (role_confidence * 100.0).round() / 100.0,
        }),
        chat_code: chat_code(data, &profession, spec, trait_ids, skill_ids),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillAnalysis {
    pub skill_id: u32,
    pub skill_name: Option<String>,
    pub context: String,
    pub profession: String,
    /// heal | utility | elite
    pub slot: String,
    /// The elite specialization the skill needs, if any.
    pub specialization: Option<String>,
    /// The grade of the best build of the skill's specialization (or profession) in the
    /// format: how much the kit the skill belongs to brings there.
    pub rating: String,
    pub reason: String,
    pub tags: Vec<String>,
}

/// What the game data says of a heal, utility or elite skill, and how the builds it belongs to
/// grade in the format `context` names.
pub fn analyze_skill(skill_id: u32, context: &str) -> Result<SkillAnalysis, AnalyzeError> {
    let data = GameData::embedded();
    let skill = data.skill(skill_id).ok_or_else(|| {
        PlanError::new(
            "skill_id",
            format!("unknown skill {skill_id} (only heal, utility and elite skills are in the game data)"),
        )
    })?;
    let spec = skill
        .specialization
        .and_then(|id| data.specialization_by_id(id));
    let owner = match spec {
        Some(s) => analyze_build(Some(s.id), &[], &[], context)?,
        None => {
            let core = data
                .specializations_of(&skill.profession)
                .into_iter()
                .find(|s| !s.elite)
                .ok_or_else(|| {
                    PlanError::new("skill_id", "no specialization for the skill's profession")
                })?;
            analyze_build(Some(core.id), &[], &[], context)?
        }
    };
    let mut tags = vec![
        skill.slot.as_str().to_owned(),
        skill.profession.to_lowercase(),
    ];
    if let Some(s) = spec {
        tags.push(s.name.to_lowercase());
    }
    tags.push(owner.gear_optimization.role.clone());
    Ok(SkillAnalysis {
        skill_id,
        skill_name: skill.name.clone(),
        context: context.to_owned(),
        profession: skill.profession.clone(),
        slot: skill.slot.as_str().to_owned(),
        specialization: spec.map(|s| s.name.clone()),
        rating: owner.synergy_score.clone(),
        reason: format!(
            "{} {} skill{}; {}",
            skill.profession,
            skill.slot.as_str(),
            spec.map_or(String::new(), |s| format!(" of {}", s.name)),
            owner.summary
        ),
        tags,
    })
}
