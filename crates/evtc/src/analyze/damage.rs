//! Elite Insights' classification of one combat event as health damage, a marker
//! (interrupt, downing or killing blow), crowd control or nothing.
//!
//! Every damage statistic of [`super::analyze`] is a sum or count over these rows, with the
//! same rules EI uses (baaron4/GW2-Elite-Insights-Parser, current master):
//!
//! * Which events are damage at all: `GW2EIEvtcParser/CombatItem.cs` `IsDirectDamageEvent` /
//!   `IsBuffDamageEvent`. Before arcdps build 20260501 (EI `ArcDPSBuilds.ResultEnumRework`) a
//!   direct hit is `is_statechange == 0 && is_activation == 0 && is_buffremove == 0 && buff == 0`
//!   and buff damage additionally needs `buff != 0 && value == 0`; from that build on buff
//!   applications and removals are statechanges of their own, so every `is_statechange == 0`
//!   event is damage: `buff == 0` direct, `buff != 0` buff damage.
//! * What a direct event carries: `CombatEventFactory.AddDirectDamageEvent` and
//!   `DirectHealthDamageEvent.cs`: results NORMAL/CRIT/GLANCE/BLOCK/EVADE/ABSORB/BLIND/INVERT
//!   (0/1/2/3/4/6/7/13) become a health damage event with `HealthDamage = value`, a *hit*
//!   (`HasHit`) only for NORMAL/CRIT/GLANCE; INTERRUPT/KILLING_BLOW/DOWNED (5/8/9) become a
//!   `NoDamageHealthDamageEvent` whose `HealthDamage` is never set (0) and which only carries
//!   `HasInterrupted`/`HasKilled`/`HasDowned` (`NoDamageHealthDamageEvent.cs`,
//!   `IsNotADamageEvent = true`): the arcdps readme calls these results "not a damage strike";
//!   BREAKBAR (10) is defiance damage, CROWD_CONTROL (12) a `CrowdControlEvent`; anything else
//!   is dropped.
//! * What a buff damage event carries (`NonDirectHealthDamageEvent.cs`, both constructors):
//!   `HealthDamage = buff_dmg`. Before the rework the result is EI `ConditionResult`: 0 is a
//!   hit ("expected to hit"), 1-4 are invulnerable (`IsAbsorbed`, not a hit), others are
//!   dropped. From the rework on the result is EI `DamageResult`: BUFF_CYCLE / BUFF_NOT_CYCLE /
//!   DMG_TO_SOURCE_ON_HIT (14/15/17) are hits, DMG_TO_TARGET_ON_HIT /
//!   DMG_TO_TARGET_ON_STACK_REMOVE (16/18) are life-leech hits, ABSORB/INVERT (6/13) are
//!   absorbed, 5/8/9 are the same markers as above, 10 and 12 are defiance and crowd control,
//!   others are dropped.
//! * Barrier (`ShieldDamage`): direct: `overstack_value` when `is_shields`; buff: `buff_dmg`
//!   when `is_shields` (after the rework `overstack_value` when it is non-zero).

use crate::event::result;
use crate::model::Event;

/// First arcdps build with the reworked result enum and buff applications/removals as
/// statechanges (EI `ArcDPSBuilds.ResultEnumRework` = `BuffAppliesAndRemovesAsStateChanges`).
pub const RESULT_ENUM_REWORK_BUILD: u32 = 20_260_501;

/// Post-rework buff damage results (arcdps readme `cbtresult`, EI `DamageResult`).
pub const BUFF_CYCLE: u8 = 14;
pub const BUFF_NOT_CYCLE: u8 = 15;
pub const BUFF_DMG_TO_TARGET_ON_HIT: u8 = 16;
pub const BUFF_DMG_TO_SOURCE_ON_HIT: u8 = 17;
pub const BUFF_DMG_TO_TARGET_ON_STACK_REMOVE: u8 = 18;
/// "damage was inverted" (arcdps readme `CBTR_INVERT`, EI `DirectOrBuffInvert`).
pub const INVERT: u8 = 13;

/// Which wire shape a log uses, from its arcdps build date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    /// Before arcdps 20260501.
    Classic,
    /// arcdps 20260501 and later (EI `ResultEnumRework`).
    Reworked,
}

impl Era {
    /// The era of a log built by arcdps `build` (`yyyymmdd`); unreadable builds are classic.
    pub fn of_build(build: Option<u32>) -> Era {
        match build {
            Some(b) if b >= RESULT_ENUM_REWORK_BUILD => Era::Reworked,
            _ => Era::Classic,
        }
    }
}

/// How an event counts, per EI. Markers and damage rows are both "health damage events" in EI
/// (`HealthDamageEvent`); markers carry no damage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Damage(DamageRow),
    /// `NoDamageHealthDamageEvent`: result INTERRUPT, KILLING_BLOW or DOWNED.
    Marker(Marker),
    /// `CrowdControlEvent` (result CROWD_CONTROL); `value` is the duration in ms.
    CrowdControl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Interrupt,
    KillingBlow,
    Downed,
}

/// One health damage event with EI's flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DamageRow {
    /// `buff == 0` (EI `DirectHealthDamageEvent`, "strike damage").
    pub direct: bool,
    /// EI `HealthDamage` (`value` or `buff_dmg`, as recorded).
    pub damage: i64,
    /// EI `ShieldDamage`.
    pub shield: i64,
    /// EI `HasHit` (a connected hit).
    pub hit: bool,
    pub crit: bool,
    pub glance: bool,
    pub blocked: bool,
    pub evaded: bool,
    /// EI `IsBlind` ("missed").
    pub blind: bool,
    /// EI `IsAbsorbed` ("invulned").
    pub absorbed: bool,
    /// EI `IsLifeLeech` (post-rework results 16/18): power damage, not condition damage.
    pub life_leech: bool,
}

/// Classify a non-statechange event; `None` for events EI does not turn into damage, markers
/// or crowd control (applications, removals, casts, defiance damage, unknown results).
pub fn classify(e: &Event, era: Era) -> Option<Row> {
    if e.is_statechange != 0 {
        return None;
    }
    if era == Era::Classic && (e.is_activation != 0 || e.is_buffremove != 0) {
        return None;
    }
    if e.buff == 0 {
        direct(e)
    } else if era == Era::Reworked {
        buff_reworked(e)
    } else if e.value == 0 {
        buff_classic(e)
    } else {
        None
    }
}

fn marker(res: u8) -> Option<Row> {
    match res {
        result::INTERRUPT => Some(Row::Marker(Marker::Interrupt)),
        result::KILLING_BLOW => Some(Row::Marker(Marker::KillingBlow)),
        result::DOWNED => Some(Row::Marker(Marker::Downed)),
        result::CROWD_CONTROL => Some(Row::CrowdControl),
        _ => None,
    }
}

fn direct(e: &Event) -> Option<Row> {
    let r = e.result;
    if !matches!(
        r,
        result::NORMAL
            | result::CRIT
            | result::GLANCE
            | result::BLOCK
            | result::EVADE
            | result::ABSORB
            | result::BLIND
            | INVERT
    ) {
        return marker(r);
    }
    Some(Row::Damage(DamageRow {
        direct: true,
        damage: i64::from(e.value),
        shield: if e.is_shields != 0 {
            i64::from(e.overstack_value)
        } else {
            0
        },
        hit: matches!(r, result::NORMAL | result::CRIT | result::GLANCE),
        crit: r == result::CRIT,
        glance: r == result::GLANCE,
        blocked: r == result::BLOCK,
        evaded: r == result::EVADE,
        blind: r == result::BLIND,
        absorbed: matches!(r, result::ABSORB | INVERT),
        life_leech: false,
    }))
}

fn buff_classic(e: &Event) -> Option<Row> {
    // EI ConditionResult: 0 ExpectedToHit, 1-4 InvulByBuff / InvulByPlayerSkill1-3.
    if e.result > 4 {
        return None;
    }
    let damage = i64::from(e.buff_dmg);
    Some(Row::Damage(DamageRow {
        direct: false,
        damage,
        shield: if e.is_shields != 0 { damage } else { 0 },
        hit: e.result == 0,
        absorbed: e.result != 0,
        ..DamageRow::default()
    }))
}

fn buff_reworked(e: &Event) -> Option<Row> {
    let r = e.result;
    if !matches!(
        r,
        BUFF_CYCLE
            | BUFF_NOT_CYCLE
            | BUFF_DMG_TO_TARGET_ON_HIT
            | BUFF_DMG_TO_SOURCE_ON_HIT
            | BUFF_DMG_TO_TARGET_ON_STACK_REMOVE
            | result::ABSORB
            | INVERT
    ) {
        return marker(r);
    }
    let damage = i64::from(e.buff_dmg);
    let life_leech = matches!(
        r,
        BUFF_DMG_TO_TARGET_ON_HIT | BUFF_DMG_TO_TARGET_ON_STACK_REMOVE
    );
    Some(Row::Damage(DamageRow {
        direct: false,
        damage,
        shield: match (e.is_shields != 0, e.overstack_value) {
            (false, _) => 0,
            (true, 0) => damage,
            (true, o) => i64::from(o),
        },
        hit: matches!(r, BUFF_CYCLE | BUFF_NOT_CYCLE | BUFF_DMG_TO_SOURCE_ON_HIT) || life_leech,
        absorbed: matches!(r, result::ABSORB | INVERT),
        life_leech,
        ..DamageRow::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(buff: u8, value: i32, buff_dmg: i32, res: u8) -> Event {
        Event {
            buff,
            value,
            buff_dmg,
            result: res,
            ..Event::default()
        }
    }

    #[test]
    fn killing_and_downing_blows_are_markers_without_damage() {
        for era in [Era::Classic, Era::Reworked] {
            assert_eq!(
                classify(&ev(0, 1234, 0, result::KILLING_BLOW), era),
                Some(Row::Marker(Marker::KillingBlow))
            );
            assert_eq!(
                classify(&ev(0, 1234, 0, result::DOWNED), era),
                Some(Row::Marker(Marker::Downed))
            );
            assert_eq!(
                classify(&ev(0, 99, 0, result::INTERRUPT), era),
                Some(Row::Marker(Marker::Interrupt))
            );
        }
    }

    #[test]
    fn blocked_and_absorbed_strikes_are_rows_but_not_hits() {
        let Some(Row::Damage(d)) = classify(&ev(0, 0, 0, result::BLOCK), Era::Classic) else {
            panic!("block is a damage row");
        };
        assert!(d.blocked && !d.hit);
        let Some(Row::Damage(d)) = classify(&ev(0, 0, 0, result::ABSORB), Era::Classic) else {
            panic!("absorb is a damage row");
        };
        assert!(d.absorbed && !d.hit);
        assert_eq!(
            classify(&ev(0, 500, 0, result::DEFIANCE), Era::Classic),
            None
        );
    }

    #[test]
    fn condition_damage_results_follow_the_era() {
        // Classic: result 0 hits, 1-4 invulnerable, a buff event with value != 0 is an application.
        let Some(Row::Damage(d)) = classify(&ev(1, 0, 300, 0), Era::Classic) else {
            panic!()
        };
        assert!(d.hit && d.damage == 300 && !d.direct);
        let Some(Row::Damage(d)) = classify(&ev(1, 0, 300, 2), Era::Classic) else {
            panic!()
        };
        assert!(!d.hit && d.absorbed);
        assert_eq!(classify(&ev(1, 0, 300, BUFF_CYCLE), Era::Classic), None);
        assert_eq!(classify(&ev(1, 5000, 0, 0), Era::Classic), None);
        // Reworked: 14/15/17 hit, 16/18 life leech, 0 is not a buff result any more.
        for (res, leech) in [
            (BUFF_CYCLE, false),
            (BUFF_NOT_CYCLE, false),
            (16, true),
            (17, false),
            (18, true),
        ] {
            let Some(Row::Damage(d)) = classify(&ev(1, 0, 300, res), Era::Reworked) else {
                panic!("{res}")
            };
            assert!(d.hit && d.damage == 300 && d.life_leech == leech, "{res}");
        }
        assert_eq!(classify(&ev(1, 0, 300, 0), Era::Reworked), None);
    }

    #[test]
    fn era_from_build() {
        assert_eq!(Era::of_build(Some(20_260_430)), Era::Classic);
        assert_eq!(Era::of_build(Some(20_260_501)), Era::Reworked);
        assert_eq!(Era::of_build(None), Era::Classic);
    }
}
