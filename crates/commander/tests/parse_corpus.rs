//! The language corpus (#19): requests a WvW commander types, in French and English, with the
//! structured parse each must give. Every case checks the mode, experience, group count and
//! size, player count, every demand (what, how many, per group or in total), the fill, and
//! exactly what was not understood and which names are unknown.

use commander::parse::parse;
use commander::request::{Duty, Experience, SquadRequest, Wanted, WvwMode};

#[derive(Debug, Clone, Copy)]
enum W {
    S(&'static str, &'static str),
    P(&'static str),
    D(Duty),
}

impl W {
    fn wanted(self) -> Wanted {
        match self {
            W::S(profession, specialization) => Wanted::Specialization {
                profession: profession.to_string(),
                specialization: specialization.to_string(),
            },
            W::P(profession) => Wanted::Profession {
                profession: profession.to_string(),
            },
            W::D(duty) => Wanted::Duty { duty },
        }
    }
}

const FB: W = W::S("Guardian", "Firebrand");
const DH: W = W::S("Guardian", "Dragonhunter");
const WB: W = W::S("Guardian", "Willbender");
const SPB: W = W::S("Warrior", "Spellbreaker");
const SCRAP: W = W::S("Engineer", "Scrapper");
const DRUID: W = W::S("Ranger", "Druid");
const SLB: W = W::S("Ranger", "Soulbeast");
const DD: W = W::S("Thief", "Daredevil");
const TEMPEST: W = W::S("Elementalist", "Tempest");
const VIRTUOSO: W = W::S("Mesmer", "Virtuoso");
const REAPER: W = W::S("Necromancer", "Reaper");
const SCOURGE: W = W::S("Necromancer", "Scourge");
const HARB: W = W::S("Necromancer", "Harbinger");
const HERALD: W = W::S("Revenant", "Herald");
const RENEGADE: W = W::S("Revenant", "Renegade");
const GUARDIAN: W = W::P("Guardian");
const WARRIOR: W = W::P("Warrior");
const ENGINEER: W = W::P("Engineer");
const RANGER: W = W::P("Ranger");
const THIEF: W = W::P("Thief");
const ELE: W = W::P("Elementalist");
const MESMER: W = W::P("Mesmer");
const NECRO: W = W::P("Necromancer");
const REV: W = W::P("Revenant");
const STAB: W = W::D(Duty::Stability);
const HEAL: W = W::D(Duty::Healing);
const BOONS: W = W::D(Duty::Boons);
const STRIP: W = W::D(Duty::Strip);
const CLEANSE: W = W::D(Duty::Cleanse);
const DPS: W = W::D(Duty::Damage);
const POWER: W = W::D(Duty::PowerDamage);
const CONDI: W = W::D(Duty::ConditionDamage);
const TANK: W = W::D(Duty::Tank);
const SUPPORT: W = W::D(Duty::Support);

/// Per group / in the whole squad.
const PG: bool = true;
const ALL: bool = false;

use Experience::{Beginner, Expert, Intermediate};
use WvwMode::{GuildRaid, Outnumbered, Roaming, Zerg};

struct Case {
    msg: &'static str,
    mode: Option<WvwMode>,
    experience: Option<Experience>,
    groups: Option<u32>,
    group_size: Option<u32>,
    players: Option<u32>,
    demands: Vec<(W, u32, bool)>,
    fill: Option<W>,
    not_understood: Vec<&'static str>,
    unknown_names: Vec<&'static str>,
}

fn case(msg: &'static str) -> Case {
    Case {
        msg,
        mode: None,
        experience: None,
        groups: None,
        group_size: None,
        players: None,
        demands: Vec::new(),
        fill: None,
        not_understood: Vec::new(),
        unknown_names: Vec::new(),
    }
}

impl Case {
    fn mode(mut self, m: WvwMode) -> Self {
        self.mode = Some(m);
        self
    }
    fn exp(mut self, e: Experience) -> Self {
        self.experience = Some(e);
        self
    }
    fn groups(mut self, g: u32) -> Self {
        self.groups = Some(g);
        self
    }
    fn size(mut self, s: u32) -> Self {
        self.group_size = Some(s);
        self
    }
    /// `groups` groups of `size`.
    fn shape(self, groups: u32, size: u32) -> Self {
        self.groups(groups).size(size)
    }
    fn players(mut self, p: u32) -> Self {
        self.players = Some(p);
        self
    }
    fn d(mut self, w: W, count: u32, per_group: bool) -> Self {
        self.demands.push((w, count, per_group));
        self
    }
    /// One of each, with the same scope.
    fn each(mut self, ws: &[W], per_group: bool) -> Self {
        for w in ws {
            self.demands.push((*w, 1, per_group));
        }
        self
    }
    fn fill(mut self, w: W) -> Self {
        self.fill = Some(w);
        self
    }
    fn nu(mut self, text: &'static str) -> Self {
        self.not_understood.push(text);
        self
    }
    fn unknown(mut self, text: &'static str) -> Self {
        self.unknown_names.push(text);
        self
    }

    /// What differs between the expected and the actual parse (empty when they agree).
    fn diff(&self, r: &SquadRequest) -> Vec<String> {
        let mut out = Vec::new();
        let mut cmp = |what: &str, want: String, got: String| {
            if want != got {
                out.push(format!("{what}: want {want}, got {got}"));
            }
        };
        cmp("mode", format!("{:?}", self.mode), format!("{:?}", r.mode));
        cmp(
            "experience",
            format!("{:?}", self.experience),
            format!("{:?}", r.experience),
        );
        cmp(
            "groups",
            format!("{:?}", self.groups),
            format!("{:?}", r.groups),
        );
        cmp(
            "group_size",
            format!("{:?}", self.group_size),
            format!("{:?}", r.group_size),
        );
        cmp(
            "players",
            format!("{:?}", self.players),
            format!("{:?}", r.players),
        );
        let want: Vec<(Wanted, u32, bool)> = self
            .demands
            .iter()
            .map(|(w, c, pg)| (w.wanted(), *c, *pg))
            .collect();
        let got: Vec<(Wanted, u32, bool)> = r
            .demands
            .iter()
            .map(|d| (d.wanted.clone(), d.count, d.per_group))
            .collect();
        cmp("demands", format!("{want:?}"), format!("{got:?}"));
        cmp(
            "fill",
            format!("{:?}", self.fill.map(W::wanted)),
            format!("{:?}", r.fill),
        );
        let texts = |spans: &[commander::request::Span]| -> Vec<String> {
            spans.iter().map(|s| s.text.clone()).collect()
        };
        cmp(
            "not_understood",
            format!("{:?}", self.not_understood),
            format!("{:?}", texts(&r.not_understood)),
        );
        cmp(
            "unknown_names",
            format!("{:?}", self.unknown_names),
            format!("{:?}", texts(&r.unknown_names)),
        );
        out
    }
}

fn corpus() -> Vec<Case> {
    vec![
        // ---- French -----------------------------------------------------------------------
        case("Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg")
            .mode(Zerg).shape(2, 5).each(&[FB, DRUID, HARB, SPB, SCRAP], PG),
        case("je veux 2 groupes de 5 avec firebrand, druid, harbinger, spellbreaker et scrapper pour du wvw zerg")
            .mode(Zerg).shape(2, 5).each(&[FB, DRUID, HARB, SPB, SCRAP], PG),
        case("JE VEUX 2 GROUPES DE 5 AVEC FIREBRAND ET SCRAPPER POUR DU ZERG")
            .mode(Zerg).shape(2, 5).each(&[FB, SCRAP], PG),
        case("Avec 2 Firebrands et complète avec du DPS")
            .d(FB, 2, ALL).fill(DPS),
        case("Zerg de 30 joueurs : 6 Incendiaires, 4 Fléaux, 4 Mécatroniciens, 3 Brisesorts, le reste en DPS")
            .mode(Zerg).players(30)
            .d(FB, 6, ALL).d(SCOURGE, 4, ALL).d(SCRAP, 4, ALL).d(SPB, 3, ALL).fill(DPS),
        case("2 groupes de 5, dans chaque groupe : 1 Incendiaire, 1 Fléau, 1 Mécatronicien et 2 dps")
            .shape(2, 5).d(FB, 1, PG).d(SCOURGE, 1, PG).d(SCRAP, 1, PG).d(DPS, 2, PG),
        case("Un groupe de 5 en roaming avec un Subjugueur, un Fracasseur et un Animorphe")
            .mode(Roaming).shape(1, 5).each(&[WB, DD, SLB], PG),
        case("3 groupes de 5 pour du bus, 2 gardiens par groupe et complète avec des nécros")
            .mode(Zerg).shape(3, 5).d(GUARDIAN, 2, PG).fill(NECRO),
        case("McM zerg 15 joueurs, 3 fb 2 scourge 2 scrap 2 druide le reste dps")
            .mode(Zerg).players(15)
            .d(FB, 3, ALL).d(SCOURGE, 2, ALL).d(SCRAP, 2, ALL).d(DRUID, 2, ALL).fill(DPS),
        case("groupe de 5 avec stab, heal, boon, strip et dps pour des débutants")
            .exp(Beginner).size(5).each(&[STAB, HEAL, BOONS, STRIP, DPS], PG),
        case("Je voudrais 10 joueurs en infériorité numérique avec 2 stabeurs et 2 soigneurs")
            .mode(Outnumbered).players(10).d(STAB, 2, ALL).d(HEAL, 2, ALL),
        case("raid de guilde de 15 : 3 Incendiaires, 3 Mécatroniciens, 3 Faucheurs, 3 Brisesorts et 3 Virtuoses")
            .mode(GuildRaid).players(15)
            .d(FB, 3, ALL).d(SCRAP, 3, ALL).d(REAPER, 3, ALL).d(SPB, 3, ALL).d(VIRTUOSO, 3, ALL),
        case("Deux groupes de cinq avec deux Incendiaires et trois Faucheurs")
            .shape(2, 5).d(FB, 2, PG).d(REAPER, 3, PG),
        case("Deux groupes de cinq avec deux Incendiaires et deux Faucheurs")
            .shape(2, 5).d(FB, 2, ALL).d(REAPER, 2, ALL),
        case("5 groupes de 5 avec 5 Incendiaires")
            .shape(5, 5).d(FB, 5, ALL),
        case("4 groupes de 5 joueurs, 1 Incendiaire par groupe, 1 Fléau par groupe, 6 Brisesorts au total, le reste en dps")
            .shape(4, 5).d(FB, 1, PG).d(SCOURGE, 1, PG).d(SPB, 6, ALL).fill(DPS),
        case("vingt-cinq joueurs débutants en zerg")
            .mode(Zerg).exp(Beginner).players(25),
        case("Je veux un bus de 40 avec 8 gardiens, 6 nécros, 4 ingés, 4 guerriers et 4 élés")
            .mode(Zerg).players(40)
            .d(GUARDIAN, 8, ALL).d(NECRO, 6, ALL).d(ENGINEER, 4, ALL).d(WARRIOR, 4, ALL).d(ELE, 4, ALL),
        case("Roaming à 3 : Voleur, Rôdeur, Gardien")
            .mode(Roaming).players(3).each(&[THIEF, RANGER, GUARDIAN], ALL),
        case("roam a 2 avec un voleur et un rodeur")
            .mode(Roaming).players(2).each(&[THIEF, RANGER], ALL),
        case("Compo McM outnumber : 1 Incendiaire, 1 Mécatronicien, 1 Augure, 1 Faucheur, 1 Brisesort")
            .mode(Outnumbered)
            .d(FB, 1, ALL).d(SCRAP, 1, ALL).d(HARB, 1, ALL).d(REAPER, 1, ALL).d(SPB, 1, ALL),
        case("2 groupes de 5 avec 2 heal firebrands et 3 scourge dps")
            .shape(2, 5).d(FB, 2, PG).d(SCOURGE, 3, PG),
        case("Je veux 3 groupes de 5 avec 3 Blorps et 2 Firebrands")
            .shape(3, 5).d(FB, 2, ALL).unknown("Blorps"),
        case("2 groupes de 5 avec Firebrand, Blorp, Scrapper")
            .shape(2, 5).each(&[FB, SCRAP], PG).unknown("Blorp"),
        case("Je veux 2 groupes de 5 sans Willbender avec Firebrand et Scrapper")
            .shape(2, 5).each(&[FB, SCRAP], PG).nu("sans Willbender"),
        case("2 groupes de 5 avec Firebrand ou Willbender et Scrapper")
            .shape(2, 5).each(&[FB, SCRAP], PG).nu("ou Willbender"),
        case("Salut ! Il me faut 2 groupes de 5 en zerg pour des joueurs expérimentés, avec 2 incendiaires et 1 mécatronicien par groupe")
            .mode(Zerg).exp(Expert).shape(2, 5).d(FB, 2, PG).d(SCRAP, 1, PG),
        case("Escouade de 20 joueurs en zerg : 4 Firebrands, 4 Scourges, 4 Spellbreakers, 4 Scrappers et 4 Reapers")
            .mode(Zerg).players(20)
            .d(FB, 4, ALL).d(SCOURGE, 4, ALL).d(SPB, 4, ALL).d(SCRAP, 4, ALL).d(REAPER, 4, ALL),
        case("3 groupes de 5, chaque groupe a un Incendiaire, un Fléau et un Brisesort, le reste en dps")
            .shape(3, 5).each(&[FB, SCOURGE, SPB], PG).fill(DPS),
        case("gvg 15v15 avec 3 gardiens, 3 guerriers, 3 nécros, 3 revenants et 3 envoûteurs")
            .mode(GuildRaid).players(15)
            .d(GUARDIAN, 3, ALL).d(WARRIOR, 3, ALL).d(NECRO, 3, ALL).d(REV, 3, ALL).d(MESMER, 3, ALL),
        case("Pour du havoc à 5 : Draconnier, Héraut, Faucheur, Mécatronicien, Druide")
            .mode(GuildRaid).players(5).each(&[DH, HERALD, REAPER, SCRAP, DRUID], ALL),
        case("Groupe 1 : Incendiaire, Fléau, Mécatronicien, Brisesort, Augure\nGroupe 2 : Incendiaire, Faucheur, Mécatronicien, Héraut, Druide")
            .groups(2)
            .each(&[FB, SCOURGE, SCRAP, SPB, HARB, FB, REAPER, SCRAP, HERALD, DRUID], ALL),
        case("2 groupes de 5 avec des necros, des gardiens et des guerriers pour du zerg")
            .mode(Zerg).shape(2, 5).each(&[NECRO, GUARDIAN, WARRIOR], PG),
        case("je veux 2 groupe de 5 avec 1 firebrnad et 1 scourg")
            .shape(2, 5).d(FB, 1, ALL).d(SCOURGE, 1, ALL),
        case("Il me faut des stabeurs, des soigneurs et du strip, 2 groupes de 5")
            .shape(2, 5).each(&[STAB, HEAL, STRIP], PG),
        case("10 débutants en roaming")
            .mode(Roaming).exp(Beginner).players(10),
        case("Deux groupes : dans chaque groupe un stab, un heal et trois dps")
            .groups(2).d(STAB, 1, PG).d(HEAL, 1, PG).d(DPS, 3, PG),
        case("zerg, 2 groupes de 5, 2 firebrands par groupe, 1 tempest chacun")
            .mode(Zerg).shape(2, 5).d(FB, 2, PG).d(TEMPEST, 1, PG),
        case("Je veux 2 groupes de 5 avec 2 Firebrands, 1 Scrapper, 1 Scourge et 1 Tempest pour des vétérans")
            .exp(Expert).shape(2, 5).d(FB, 2, PG).d(SCRAP, 1, PG).d(SCOURGE, 1, PG).d(TEMPEST, 1, PG),
        case("Compo intermédiaire : 2 groupes de 5, Incendiaire, Mécatronicien, Fléau, Héraut, Cataclyste")
            .exp(Intermediate).shape(2, 5).each(&[FB, SCRAP, SCOURGE, HERALD, TEMPEST], PG),
        case("Je veux 3 groupes, 3 heal fb, 3 stab spb, 3 scrap, le reste condi")
            .groups(3).d(FB, 3, ALL).d(SPB, 3, ALL).d(SCRAP, 3, ALL).fill(CONDI),
        case("2 groupes avec 1 tank et 4 dps chacun")
            .groups(2).d(TANK, 1, PG).d(DPS, 4, PG),
        case("Nécros, gardiens et ingés en sous-nombre, 3 groupes de 5")
            .mode(Outnumbered).shape(3, 5).each(&[NECRO, GUARDIAN, ENGINEER], PG),
        case("je veux 2 mes, 1 fb et mes potes en roaming")
            .mode(Roaming).d(MESMER, 2, ALL).d(FB, 1, ALL).nu("potes"),
        case("ZERG 2 GROUPES DE 5 AVEC FIREBRANDS ET SCRAPERS")
            .mode(Zerg).shape(2, 5).each(&[FB, SCRAP], PG),
        case("Pas de roaming, je veux du zerg avec 3 groupes de 5")
            .mode(Zerg).shape(3, 5).nu("Pas de roaming"),
        case("2 groupes de 5 avec 2 Firebrands par groupe et 1 Scourge")
            .shape(2, 5).d(FB, 2, PG).d(SCOURGE, 1, ALL),
        case("zerg avec 3 groupes de 5, 2 incendiaires et 3 dps dans chaque groupe")
            .mode(Zerg).shape(3, 5).d(FB, 2, PG).d(DPS, 3, PG),
        case("Pour un raid de guilde, il faut un groupe de 5 : tank, heal, stab, dps et dps")
            .mode(GuildRaid).shape(1, 5).each(&[TANK, HEAL, STAB, DPS, DPS], PG),
        case("vingt et un joueurs en bus, sept incendiaires et quatorze nécros")
            .mode(Zerg).players(21).d(FB, 7, ALL).d(NECRO, 14, ALL),
        case("Compo zerg 50 : 10 groupes de 5 — par groupe 1 FB, 1 Scourge, 1 Scrapper, 1 Spb, 1 DPS")
            .mode(Zerg).players(50).shape(10, 5)
            .d(FB, 1, PG).d(SCOURGE, 1, PG).d(SCRAP, 1, PG).d(SPB, 1, PG).d(DPS, 1, PG),
        case("[McM] Bus 3x5 - Groupe type : Incendiaire / Fléau / Mécatronicien / Brisesort / Augure")
            .mode(Zerg).shape(3, 5).each(&[FB, SCOURGE, SCRAP, SPB, HARB], PG),
        case("Roaming 3 joueurs : Subjugueur + Fracasseur + Animorphe")
            .mode(Roaming).players(3).each(&[WB, DD, SLB], ALL),
        case("zerg ou roaming avec 2 groupes de 5")
            .mode(Zerg).shape(2, 5),
        case("10 groupes de 5")
            .shape(10, 5),
        case("12 groupes de 5 avec 7 Incendiaires par groupe")
            .shape(12, 5).d(FB, 7, PG),
        case("2 groupes de 5 avec 2 stab/heal et du dps en fill")
            .shape(2, 5).d(STAB, 2, ALL).d(HEAL, 1, ALL).fill(DPS),
        case("3 FB/groupe, 2 scourges/groupe, core guard")
            .d(FB, 3, PG).d(SCOURGE, 2, PG).d(GUARDIAN, 1, ALL).nu("core"),
        case("Salut, je veux faire du McM avec ma guilde : un raid de guilde de 10 joueurs, avec 2 firebrands, 2 scrappers et le reste en dps")
            .mode(GuildRaid).players(10).d(FB, 2, ALL).d(SCRAP, 2, ALL).fill(DPS),
        case("Je veux 2 groupes de 7")
            .shape(2, 7),
        // ---- English ----------------------------------------------------------------------
        case("I want 2 groups of 5 with Firebrand, Druid, Harbinger, Spellbreaker and Scrapper for WvW zerg")
            .mode(Zerg).shape(2, 5).each(&[FB, DRUID, HARB, SPB, SCRAP], PG),
        case("3 groups of 5 for a zerg: each party needs a Firebrand, a Scrapper and a Scourge, fill the rest with DPS")
            .mode(Zerg).shape(3, 5).each(&[FB, SCRAP, SCOURGE], PG).fill(DPS),
        case("zerg squad of 25 players: 5 firebrands, 5 scourges, 5 spellbreakers, 5 scrappers, 5 reapers")
            .mode(Zerg).players(25)
            .d(FB, 5, ALL).d(SCOURGE, 5, ALL).d(SPB, 5, ALL).d(SCRAP, 5, ALL).d(REAPER, 5, ALL),
        case("Roaming party of 3: Willbender, Daredevil, Soulbeast")
            .mode(Roaming).size(3).each(&[WB, DD, SLB], PG),
        case("a party of five for roaming: thief, ranger, guardian, mesmer and warrior")
            .mode(Roaming).shape(1, 5).each(&[THIEF, RANGER, GUARDIAN, MESMER, WARRIOR], PG),
        case("I need 15 players for outnumbered fights with 3 stabbers, 3 healers and 3 strippers")
            .mode(Outnumbered).players(15).d(STAB, 3, ALL).d(HEAL, 3, ALL).d(STRIP, 3, ALL)
            .nu("fights"),
        case("guild raid of 10: 2 firebrands per group, 2 scourges per group, rest dps")
            .mode(GuildRaid).players(10).d(FB, 2, PG).d(SCOURGE, 2, PG).fill(DPS),
        case("2 groups of 5, each group: 1 firebrand, 1 scrapper, 1 tempest, 2 dps")
            .shape(2, 5).d(FB, 1, PG).d(SCRAP, 1, PG).d(TEMPEST, 1, PG).d(DPS, 2, PG),
        case("two groups of five with two firebrands and three reapers")
            .shape(2, 5).d(FB, 2, PG).d(REAPER, 3, PG),
        case("Two groups of five with two firebrands and two reapers")
            .shape(2, 5).d(FB, 2, ALL).d(REAPER, 2, ALL),
        case("4 parties of 5 players with 1 heal firebrand per party and 4 spellbreakers in total")
            .shape(4, 5).d(FB, 1, PG).d(SPB, 4, ALL),
        case("zerg with 8 guardians, 6 necros, 4 engis, 4 warriors and fill with eles")
            .mode(Zerg)
            .d(GUARDIAN, 8, ALL).d(NECRO, 6, ALL).d(ENGINEER, 4, ALL).d(WARRIOR, 4, ALL).fill(ELE),
        case("I want a roaming group of 3 with a thief and a ranger")
            .mode(Roaming).size(3).each(&[THIEF, RANGER], PG),
        case("Beginner zerg, 2 groups of 5, firebrand, scrapper, scourge, tempest, spellbreaker")
            .mode(Zerg).exp(Beginner).shape(2, 5).each(&[FB, SCRAP, SCOURGE, TEMPEST, SPB], PG),
        case("expert players only: 3 groups of 5, fill with power dps, 1 quickness firebrand and 1 alac renegade per group")
            .exp(Expert).shape(3, 5).fill(POWER).d(FB, 1, PG).d(RENEGADE, 1, PG),
        case("need 10 people in outnumber: 2 stab, 2 heal, 2 boon, 2 strip, 2 cleanse")
            .mode(Outnumbered).players(10)
            .d(STAB, 2, ALL).d(HEAL, 2, ALL).d(BOONS, 2, ALL).d(STRIP, 2, ALL).d(CLEANSE, 2, ALL),
        case("3 groups: in each group a stabber, a healer, a boonsharer and 2 dps")
            .groups(3).d(STAB, 1, PG).d(HEAL, 1, PG).d(BOONS, 1, PG).d(DPS, 2, PG),
        case("squad of 20, 4 groups of 5, 4 firebrands, 4 scrappers, 4 scourges")
            .players(20).shape(4, 5).d(FB, 4, ALL).d(SCRAP, 4, ALL).d(SCOURGE, 4, ALL),
        case("I want 2 groups of 5 with 3 Blorps and 2 firebrands")
            .shape(2, 5).d(FB, 2, ALL).unknown("Blorps"),
        case("2 groups of 5 with firebrand, scrapper and 2 glorbs")
            .shape(2, 5).each(&[FB, SCRAP], PG).unknown("glorbs"),
        case("2 groups of 5 with firebrand, scrapper, please no willbender")
            .shape(2, 5).each(&[FB, SCRAP], PG).nu("no willbender"),
        case("2 groups of 5 with a firebrand or a willbender in each group")
            .shape(2, 5).d(FB, 1, PG).nu("or a willbender"),
        case("Give me a zerg comp for 30 players with 6 firebrands 4 scourges 4 scrappers 3 spellbreakers and the rest dps")
            .mode(Zerg).players(30)
            .d(FB, 6, ALL).d(SCOURGE, 4, ALL).d(SCRAP, 4, ALL).d(SPB, 3, ALL).fill(DPS),
        case("WvW roaming duo: daredevil and soulbeast")
            .mode(Roaming).players(2).each(&[DD, SLB], ALL),
        case("3 groups of 5 with firebrand per group, scrapper per group and 1 scourge in total")
            .shape(3, 5).d(FB, 1, PG).d(SCRAP, 1, PG).d(SCOURGE, 1, ALL),
        case("roam with 2 thieves")
            .mode(Roaming).d(THIEF, 2, ALL),
        case("2 groups of 5: each party needs a firebrand and 2 dps, and the squad needs 3 strippers in total")
            .shape(2, 5).d(FB, 1, PG).d(DPS, 2, PG).d(STRIP, 3, ALL),
        case("Zerg 2x5: fb, scrap, scourge, spb, tempest")
            .mode(Zerg).shape(2, 5).each(&[FB, SCRAP, SCOURGE, SPB, TEMPEST], PG),
        case("5 players per group, 3 groups, tank and support in every group")
            .size(5).groups(3).each(&[TANK, SUPPORT], PG),
        case("I want to run havoc with 5 people: 2 power reapers and 3 condi scourges")
            .mode(GuildRaid).players(5).d(REAPER, 2, ALL).d(SCOURGE, 3, ALL),
        case("4 groups of 5 for beginners, fill with healers, 1 firebrand per group")
            .exp(Beginner).shape(4, 5).fill(HEAL).d(FB, 1, PG),
        case("intermediate zerg with 2 groups of 5, each group has a heal scourge, a stab firebrand and a quick herald")
            .mode(Zerg).exp(Intermediate).shape(2, 5).each(&[SCOURGE, FB, HERALD], PG),
        case("I'd like 10 players, 2 groups of 5, Firebrand x2, Scrapper x2, Scourge x2 in total")
            .players(10).shape(2, 5).d(FB, 2, ALL).d(SCRAP, 2, ALL).d(SCOURGE, 2, ALL),
        case("2 groups of 5 with 2 fbs, 1 dh and 2 spbs for the bus")
            .mode(Zerg).shape(2, 5).d(FB, 2, PG).d(DH, 1, PG).d(SPB, 2, PG),
        case("blob of 40 with 10 guards, 10 necros, 10 wars and 10 eles")
            .mode(Zerg).players(40)
            .d(GUARDIAN, 10, ALL).d(NECRO, 10, ALL).d(WARRIOR, 10, ALL).d(ELE, 10, ALL),
        case("A zerg with 2 groups of 5 and stability, healing, boon share, boon strip and cleanse in each group")
            .mode(Zerg).shape(2, 5).each(&[STAB, HEAL, BOONS, STRIP, CLEANSE], PG),
        case("outnumbered, 5 players, 1 tank 2 heal 2 dps")
            .mode(Outnumbered).players(5).d(TANK, 1, ALL).d(HEAL, 2, ALL).d(DPS, 2, ALL),
        case("2 groups of 5 with firebrand scrapper scourge spellbreaker tempest")
            .shape(2, 5).each(&[FB, SCRAP, SCOURGE, SPB, TEMPEST], PG),
        case("GUILD RAID 3 GROUPS OF 5 WITH 3 FIREBRANDS 3 SCRAPPERS 3 SCOURGES")
            .mode(GuildRaid).shape(3, 5).d(FB, 3, ALL).d(SCRAP, 3, ALL).d(SCOURGE, 3, ALL),
        case("I want 2 groups of 5 with harbringer, spellbraker and guardain")
            .shape(2, 5).each(&[HARB, SPB, GUARDIAN], PG),
        case("Hello! Can you build me 2 groups of 5 for wvw zerg with 1 firebrand, 1 scrapper, 1 scourge, 1 spellbreaker and 1 tempest each")
            .mode(Zerg).shape(2, 5)
            .d(FB, 1, PG).d(SCRAP, 1, PG).d(SCOURGE, 1, PG).d(SPB, 1, PG).d(TEMPEST, 1, PG),
        case("Beginner friendly roaming: 1 willbender, 1 daredevil")
            .mode(Roaming).exp(Beginner).d(WB, 1, ALL).d(DD, 1, ALL).nu("friendly"),
        case("Je veux 2 groups of 5 with fb, scrap et scourge pour le blob")
            .mode(Zerg).shape(2, 5).each(&[FB, SCRAP, SCOURGE], PG),
        case("15 players in 3 groups, 3 firebrands, 3 scrappers and fill with condi")
            .players(15).groups(3).d(FB, 3, ALL).d(SCRAP, 3, ALL).fill(CONDI),
        case("Outnumbered 2 groups of 5: every group gets a tank, a heal support and 3 power dps")
            .mode(Outnumbered).shape(2, 5).d(TANK, 1, PG).d(HEAL, 1, PG).d(POWER, 3, PG),
        case("zerg with 60 players and 7 per group")
            .mode(Zerg).players(60).size(7),
    ]
}

#[test]
fn corpus_parses_as_expected() {
    let cases = corpus();
    assert!(cases.len() >= 80, "corpus has {} requests", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let r = parse(c.msg);
        let diff = c.diff(&r);
        if !diff.is_empty() {
            failures.push(format!("{}\n  {}", c.msg, diff.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_span_is_the_message_text_it_names() {
    for c in corpus() {
        let r = parse(c.msg);
        let spans = r
            .understood
            .iter()
            .map(|u| &u.span)
            .chain(r.demands.iter().map(|d| &d.span))
            .chain(&r.not_understood)
            .chain(&r.unknown_names);
        for s in spans {
            assert_eq!(
                c.msg.get(s.start..s.end),
                Some(s.text.as_str()),
                "{}",
                c.msg
            );
        }
        // Every demand is also listed as understood, with its span.
        for d in &r.demands {
            assert!(
                r.understood.iter().any(|u| u.span == d.span),
                "{}: demand {:?} not in understood",
                c.msg,
                d.span.text
            );
        }
    }
}

#[test]
fn the_issue_sentence_says_what_it_understood() {
    let r = parse(
        "Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg",
    );
    let parts: Vec<(&str, &str)> = r
        .understood
        .iter()
        .map(|u| (u.span.text.as_str(), u.meaning.as_str()))
        .collect();
    assert_eq!(
        parts,
        [
            ("2 groupes de 5", "groups: 2, group size: 5"),
            (
                "Firebrand",
                "1 × Firebrand (Guardian) per group (the list is one group's worth)"
            ),
            (
                "Druid",
                "1 × Druid (Ranger) per group (the list is one group's worth)"
            ),
            (
                "Harbinger",
                "1 × Harbinger (Necromancer) per group (the list is one group's worth)"
            ),
            (
                "Spellbreaker",
                "1 × Spellbreaker (Warrior) per group (the list is one group's worth)"
            ),
            (
                "Scrapper",
                "1 × Scrapper (Engineer) per group (the list is one group's worth)"
            ),
            ("WvW zerg", "mode: zerg"),
        ]
    );
    assert!(r.not_understood.is_empty() && r.unknown_names.is_empty());
}

#[test]
fn roles_typos_and_conflicts_are_spelled_out() {
    let r = parse("2 groupes de 5 avec 2 heal firebrnads, du roaming et du zerg");
    let meanings: Vec<&str> = r.understood.iter().map(|u| u.meaning.as_str()).collect();
    assert!(
        meanings.contains(
            &"2 × Firebrand (Guardian) as healing in the squad (read \"firebrnads\" as \"firebrand\")"
        ),
        "{meanings:?}"
    );
    assert!(meanings.contains(&"mode: roaming"), "{meanings:?}");
    assert!(
        meanings.contains(&"mode: zerg (ignored: roaming was named first)"),
        "{meanings:?}"
    );
    assert_eq!(r.mode, Some(WvwMode::Roaming));
}

#[test]
fn understood_spans_point_at_the_words_read() {
    let msg =
        "3 groupes de 5 : dans chaque groupe 1 Incendiaire et 2 soigneurs, 4 Brisesorts au total";
    let r = parse(msg);
    let parts: Vec<(&str, &str)> = r
        .understood
        .iter()
        .map(|u| (u.span.text.as_str(), u.meaning.as_str()))
        .collect();
    assert_eq!(
        parts,
        [
            ("3 groupes de 5", "groups: 3, group size: 5"),
            ("dans chaque groupe", "per group"),
            ("1 Incendiaire", "1 × Firebrand (Guardian) per group"),
            ("2 soigneurs", "2 × healing per group"),
            ("4 Brisesorts", "4 × Spellbreaker (Warrior) in the squad"),
            ("au total", "in total"),
        ]
    );
}

/// Parsing is per request and must stay well under a millisecond for a sentence (the lexicon
/// is built once, on first use). The bound is generous for unoptimized builds.
#[test]
fn a_request_parses_well_under_a_millisecond() {
    use std::time::{Duration, Instant};
    let cases = corpus();
    let _ = parse("warm up: builds the lexicon");
    let mut times: Vec<Duration> = cases
        .iter()
        .map(|c| {
            let start = Instant::now();
            for _ in 0..10 {
                std::hint::black_box(parse(std::hint::black_box(c.msg)));
            }
            start.elapsed() / 10
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    println!(
        "parse: median {median:?}, worst {worst:?} over {} requests",
        times.len()
    );
    let bound = if cfg!(debug_assertions) {
        Duration::from_millis(10)
    } else {
        Duration::from_millis(1)
    };
    assert!(median < bound, "median {median:?}");
}
