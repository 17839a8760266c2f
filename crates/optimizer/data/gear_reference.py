#!/usr/bin/env python3
"""Independent reference for the gear optimizer's tests: a direct port of discretize-gear-optimizer's
model (src/state/optimizer/optimizerSetup.ts modifier collection, src/state/slices/extras.ts extras
combinations, src/state/optimizer/optimizerCore.ts calcStats / calcPower / calcCondi /
calcSurvivability / calcHealing, discretize/discretize-gear-optimizer), run by plain brute force over
every extras combination, every slot assignment and every infusion split (no slot classes, no
bounds) on an input in this project's format (crates/optimizer/src/gear/README.md).

Written from discretize's TypeScript, in its vocabulary (attribute names as discretize spells them),
not from the Rust engine: the Rust tests compare the two.

Order of the attribute sheet (optimizerCore.ts `calcStatsScenario`, lines 565-641 at commit
a71b0d879fb8ee68699c83d37bef2c0577a3938f, the newest stored version; same order in every version
that has `Condition Duration Uncapped`, like the data of /work/shared/data/discretize at b64d7244):
  574-581 `convert` from the base attributes (rounded half to even into attribute points),
  583-585 buffs,
  587-588 critical chance from Precision, critical damage from Ferocity,
  590-591 boon duration from Concentration, condition duration from Expertise,
  593-596 health from Vitality, 598 armor += Toughness,
  600-618 Mesmer illusions' (clone / phantasm) critical chance and damage, or with a Power2
          coefficient the alternative (shroud) Power, critical chance and damage,
  621-640 `convertAfterBuffs` (critical chance sources clamped to [0, 1]), each reading the sheet
          as the previous left it, destinations in first-seen order -- last, so points they add to
          Expertise, Toughness, Precision, Ferocity, Concentration or Vitality do not reach the
          derived attributes above, and a source `Armor` already includes Toughness.
calcPowerScenario (strike, non-critical strike, Power2 as phantasm or alternative strikes, siphon,
flat), calcCondiScenario (inferno / sharpshooter ticks, capped + uncapped duration),
calcSurvivabilityScenario (health x armor / damage taken), calcHealingScenario. The target armor is
the input's (discretize fixes 2597, the golem's). The Power2 branch is taken when the Power2
coefficient is non-zero after the before-buff conversions (discretize reads it there too).

Usage:
  python3 crates/optimizer/data/gear_reference.py INPUT.json [top]
        [--set KEY=JSON]... [--modifier JSON]...
      --set replaces a top-level key of the input, --modifier appends a modifier. Prints the top
      results (score, extras, gear, infusions, key attributes) as JSON.
  python3 crates/optimizer/data/gear_reference.py --templates DIR K --seed S --out FILE
      For every template input in DIR (`cargo run --release -p optimizer --example
      gear_templates -- --write-inputs DIR MODE`, for both modes), K fully fixed evaluations
      (random prefixes among its candidates, one candidate per extras category, an infusion
      split) with their scores: crates/optimizer/tests/fixtures/gear_reference_templates.json.
  python3 crates/optimizer/data/gear_reference.py --random N --seed S --out FILE
      Writes N random inputs (every part of the model: Power2 of both kinds, siphon, non-critical
      strikes, uncapped duration, Inferno / Sharpshooter, negative and non-attribute conversions,
      after-buff conversion chains, per-slot candidates, exotic slots, custom stat tables, extras,
      WvW, player targets, the weighted objective) with their top results: crates/optimizer/tests/fixtures/gear_reference_random.json,
      which `tests/gear_reference.rs` checks the engine against.
"""
import itertools
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SNAP = json.load(open(os.path.join(ROOT, "crates", "gw2", "data", "snapshot.json")))
LIB = {m["id"]: m for m in json.load(open(os.path.join(HERE, "gear_modifiers.json")))["modifiers"]}

# this project's snake_case names -> discretize's attribute names
NAME = {
    "power": "Power", "precision": "Precision", "toughness": "Toughness", "vitality": "Vitality",
    "ferocity": "Ferocity", "condition_damage": "Condition Damage", "expertise": "Expertise",
    "concentration": "Concentration", "healing_power": "Healing Power", "armor": "Armor",
    "agony_resistance": "Agony Resistance", "alternative_power": "Alternative Power",
    "alternative_precision": "Alternative Precision",
    "alternative_ferocity": "Alternative Ferocity", "health": "Health",
    "critical_chance": "Critical Chance", "critical_damage": "Critical Damage",
    "boon_duration": "Boon Duration", "condition_duration": "Condition Duration",
    "condition_duration_uncapped": "Condition Duration Uncapped",
    "alternative_critical_chance": "Alternative Critical Chance",
    "alternative_critical_damage": "Alternative Critical Damage",
    "phantasm_critical_chance": "Phantasm Critical Chance",
    "phantasm_critical_damage": "Phantasm Critical Damage",
    "clone_critical_chance": "Clone Critical Chance",
    "maximum_health": "Maximum Health", "outgoing_healing": "Outgoing Healing",
    "power_coefficient": "Power Coefficient",
    "non_crit_power_coefficient": "NonCrit Power Coefficient",
    "power2_coefficient": "Power2 Coefficient", "siphon_coefficient": "Siphon Coefficient",
    "siphon_base_coefficient": "Siphon Base Coefficient", "flat_dps": "Flat DPS",
}
CONDITIONS = ["Bleeding", "Burning", "Confusion", "Poison", "Torment"]
for c in CONDITIONS:
    NAME[c.lower() + "_duration"] = c + " Duration"
    NAME[c.lower() + "_coefficient"] = c + " Coefficient"
BOONS = ["Might", "Fury", "Quickness", "Alacrity", "Protection", "Regeneration", "Vigor", "Aegis",
         "Stability", "Swiftness", "Resistance", "Resolution"]
for b in BOONS:
    NAME[b.lower() + "_duration"] = b + " Duration"
PRIMARY = ["Power", "Precision", "Toughness", "Vitality"]
SECONDARY = ["Ferocity", "Condition Damage", "Expertise", "Concentration", "Healing Power",
             "Agony Resistance"]
# allAttributePointKeys (rounded when a conversion produces them)
POINT_KEYS = set(PRIMARY + SECONDARY + ["Armor", "Alternative Power", "Alternative Precision",
                                        "Alternative Ferocity"])
COEFFICIENT_KEYS = {"Power Coefficient", "NonCrit Power Coefficient", "Power2 Coefficient",
                    "Siphon Coefficient", "Siphon Base Coefficient", "Flat DPS"} | {
    c + " Coefficient" for c in CONDITIONS}
GEAR = ["Power", "Precision", "Toughness", "Vitality", "Ferocity", "Condition Damage", "Expertise",
        "Concentration", "Healing Power"]

# gw2-data.ts conditionData / conditionDataWvW: (baseDamage, factor)
PVE = {"Burning": (131, 0.155), "BurningInferno": (131, 0.0825), "Bleeding": (22, 0.06),
       "BleedingSharpshooter": (22, 0.04), "Poison": (33.5, 0.06), "Torment": (31.8, 0.09),
       "TormentMoving": (22, 0.06), "Confusion": (18.25, 0.05), "ConfusionActive": (16.34, 0.0325)}
WVW = {"Burning": (131, 0.155), "BurningInferno": (131, 0.06), "Bleeding": (22, 0.06),
       "BleedingSharpshooter": (22, 0.04), "Poison": (33.5, 0.06), "Torment": (26, 0.07),
       "TormentMoving": (19.8, 0.054), "Confusion": (11, 0.03), "ConfusionActive": (49.5, 0.0975)}

# optimizerSetup.ts MultiplierName (+ the phantasm critical damage optimizerCore reads)
MULTIPLIERS = ["Strike Damage", "Condition Damage", "Siphon Damage", "Damage Taken",
               "Critical Damage", "Bleeding Damage", "Burning Damage", "Confusion Damage",
               "Poison Damage", "Torment Damage", "Alternative Damage",
               "Alternative Critical Damage", "Phantasm Damage", "Phantasm Critical Damage"]
DAMAGE_KEY = {"strike": "Strike Damage", "condition": "Condition Damage", "all": "All Damage",
              "critical": "Critical Damage", "damage_reduction": "Damage Reduction",
              "siphon": "Siphon Damage", "alternative": "Alternative Damage",
              "alternative_critical": "Alternative Critical Damage",
              "phantasm": "Phantasm Damage", "phantasm_critical": "Phantasm Critical Damage"}
for c in CONDITIONS:
    DAMAGE_KEY[c.lower()] = c + " Damage"

SLOTS = ["helm", "shoulders", "coat", "gloves", "leggings", "boots", "amulet", "ring1", "ring2",
         "accessory1", "accessory2", "back"]
# extras.ts allowedDuplicateSigils
DUPLICATE_SIGILS = {"sigil:impact/night/slaying-both", "sigil:impact/night/slaying-only-3",
                    "sigil:no-item-sigil", "sigil:ruby-orb", "sigil:platinum-doubloon"}


def round_even(x):
    """utils.ts roundEven: halves go to the even neighbour."""
    if x % 1 == 0.5:
        f = math.floor(x)
        return f if f % 2 == 0 else f + 1
    return math.floor(x + 0.5)


def clamp(x, lo, hi):
    return min(max(x, lo), hi)


def spec_of(spec):
    return {"id": spec} if isinstance(spec, str) else spec


def amount_of(spec):
    """(amount data, amount) of a modifier spec: its own, else the library entry's."""
    spec = spec_of(spec)
    lib = LIB.get(spec["id"].lower())
    if spec.get("effects") is not None:
        return spec.get("amount_data"), spec.get("amount")
    return spec.get("amount_data") or (lib or {}).get("amount"), spec.get("amount")


def scenario_templates(modifiers):
    """createScenarioTemplates.ts: modifiers whose amount data asks for advanced uptime
    simulation are not scaled; scenarios with and without them (correlated ones together or
    exclusive by category / group) are weighted by their uptimes. Returns [(fraction,
    modifiers)]: the scenario's advanced modifiers (at full effect) then the basic ones."""
    categories = []  # [category, [[group, modifiers, uptime]]]
    basic = []
    for spec in modifiers:
        ad, amount = amount_of(spec)
        if not ad or ad.get("advanced_uptime") is None:
            basic.append(spec)
            continue
        uptime = clamp((ad["default"] if amount is None else amount) / ad["quantity_entered"],
                       0, 1)
        if uptime == 0:
            continue
        full = dict(spec_of(spec), _full=True)
        corr = ad["advanced_uptime"]
        if not corr:
            categories.append([None, [[None, [full], uptime]]])
            continue
        cat = next((c for c in categories if c[0] == corr["category"]), None)
        if cat is None:
            cat = [corr["category"], []]
            categories.append(cat)
        grp = next((g for g in cat[1] if g[0] == corr["group"]), None)
        if grp is None:
            grp = [corr["group"], [], uptime]
            cat[1].append(grp)
        if grp[2] != uptime:
            raise ValueError("mismatched uptimes of correlated modifiers")
        grp[1].append(full)
    for _, groups in categories:
        total = sum(g[2] for g in groups)
        if abs(total - 1) <= 4 * sys.float_info.epsilon:
            continue
        if total - 1 >= 4 * sys.float_info.epsilon:
            raise ValueError("more than 100% total uptime")
        groups.insert(0, [None, [], 1 - total])
    scenarios = [(1.0, [])]
    for _, groups in categories:
        scenarios = [(f * g[2], mods + g[1]) for f, mods in scenarios for g in groups]
    return [(f, mods + basic) for f, mods in scenarios]


def modifier_data(spec, wvw):
    """(modifiers, scale) of a modifier spec: inline or library effects, WvW override, amount
    (none for an advanced uptime modifier inside its scenario)."""
    spec = spec_of(spec)
    lib = LIB.get(spec["id"].lower())
    if spec.get("effects") is not None:
        eff, weff, ad = spec["effects"], spec.get("wvw_effects"), spec.get("amount_data")
    else:
        eff, weff = lib["effects"], lib.get("wvw_effects")
        ad = spec.get("amount_data") or lib.get("amount")
    if wvw and weff:
        eff = weff
    scale = 1.0
    if ad and not spec.get("_full"):
        amount = spec.get("amount")
        scale = (ad["default"] if amount is None else amount) / ad["quantity_entered"]
    return eff, scale


def setup(p, modifiers, infusion_counts):
    """optimizerSetup.ts for one extras combination: base attributes, collected modifiers,
    damage multipliers."""
    wvw = p.get("game_mode") in ("wvw", "pvp", "wvw_zerg", "wvw_guild_raid", "wvw_outnumbered",
                                 "wvw_roaming")
    prof = next(x for x in SNAP["professions"] if x["id"].lower() == p["profession"].lower())
    mesmer = prof["id"] == "Mesmer"
    base = {"Health": prof["base_health"], "Armor": prof["armor_defense"]}
    for a in PRIMARY:
        base[a] = 1000.0
    for a in SECONDARY:
        base[a] = 0.0
    base.update({"Condition Duration": 0.0, "Condition Duration Uncapped": 0.0,
                 "Boon Duration": 0.0, "Critical Chance": 0.05, "Critical Damage": 1.5})
    if mesmer:
        base.update({"Clone Critical Chance": 0.05, "Phantasm Critical Chance": 0.05,
                     "Phantasm Critical Damage": 1.5})
    dist = p.get("distribution", {})
    for k, name in [("power", "Power"), ("power2", "Power2"), ("burning", "Burning"),
                    ("bleeding", "Bleeding"), ("poison", "Poison"), ("torment", "Torment"),
                    ("confusion", "Confusion")]:
        base[name + " Coefficient"] = float(dist.get(k, 0))
    base["Flat DPS"] = float(dist.get("flat_dps", 0))
    for stat, n in infusion_counts.items():  # createCharacter: count x INFUSION_BONUS
        base[NAME[stat]] = base.get(NAME[stat], 0) + 5 * n

    buff, convert, after = {}, {}, {}
    tweaks = set()
    dm = {k: {"mult": 1.0, "add": 1.0, "target": 1.0} for k in MULTIPLIERS}

    def dmg_buff(key, amount, mode):
        if mode == "add":
            dm[key]["add"] += amount
        elif mode == "target":
            dm[key]["target"] += amount
        else:
            dm[key]["mult"] *= 1 + amount

    for spec in modifiers:
        eff, scale = modifier_data(spec, wvw)
        for d in eff.get("damage", []):
            key, x, mode = DAMAGE_KEY[d["target"]], d["percent"] / 100 * scale, d["mode"]
            if key == "All Damage":
                for k in ("Strike Damage", "Condition Damage", "Siphon Damage"):
                    dmg_buff(k, x, mode)
            elif key == "Damage Reduction":
                dmg_buff("Damage Taken", -x, mode)
            elif key in ("Critical Damage", "Alternative Critical Damage",
                         "Phantasm Critical Damage"):
                dmg_buff(key, x, "mult")
            else:
                dmg_buff(key, x, mode)
        for a in eff.get("attributes", []):
            key, v = NAME[a["stat"]], a["value"] * scale
            if key in POINT_KEYS:
                if a.get("mode", "buff") == "converted":
                    base[key] = base.get(key, 0) + v
                else:
                    buff[key] = buff.get(key, 0) + v
            elif key in COEFFICIENT_KEYS:
                base[key] = base.get(key, 0) + v
            elif key == "Maximum Health":
                base[key] = (base.get(key, 0) + 1) * (1 + v / 100) - 1
            else:
                base[key] = base.get(key, 0) + v / 100
        for c in eff.get("conversion", []):
            to = NAME[c["to"]]
            base.setdefault(to, 0)
            convert.setdefault(to, {})
            convert[to][NAME[c["from"]]] = convert[to].get(NAME[c["from"]], 0) \
                + c["percent"] / 100 * scale
        for c in eff.get("conversion_after_buffs", []):
            to = NAME[c["to"]]
            after.setdefault(to, {})
            after[to][NAME[c["from"]]] = after[to].get(NAME[c["from"]], 0) \
                + c["percent"] / 100 * scale
        for t in eff.get("calculation_tweaks", []):
            tweaks.add(t)
    # extras.ts lifestealData: a food with hasLifesteal adds 325 siphon base per proc per 10 s
    if p.get("lifesteal") is not None:
        for spec in modifiers:
            spec = spec_of(spec)
            if spec.get("effects") is None and LIB.get(spec["id"].lower(), {}).get("lifesteal"):
                base["Siphon Base Coefficient"] = base.get("Siphon Base Coefficient", 0) \
                    + 325 * p["lifesteal"] / 10
    # this project's target model (not discretize's, which fixes the golem): a player's armor
    # is its armor weight's defense + Toughness; protection (-33% strikes) and resolution (-33%
    # conditions) by uptime, and damage-taken percentages, multiply the damage it takes
    armor = p.get("target_armor", 2597)
    target = p.get("target") or {"kind": "golem"}
    if target["kind"] == "player":
        defense = {"light": 967, "medium": 1118, "heavy": 1271,
                   "mixed": (967 + 1118 + 1271) / 3}[target.get("armor_class", "mixed")]
        armor = defense + target.get("toughness", 1000)
        strike = (1 - 0.33 * target.get("protection_uptime", 0) / 100) \
            * (1 + target.get("strike_damage_taken", 0) / 100)
        cond = (1 - 0.33 * target.get("resolution_uptime", 0) / 100) \
            * (1 + target.get("condition_damage_taken", 0) / 100)
        dmg_buff("Strike Damage", strike - 1, "mult")
        dmg_buff("Phantasm Damage", strike - 1, "mult")
        dmg_buff("Condition Damage", cond - 1, "mult")
    mult = {k: g["mult"] * g["add"] * g["target"] for k, g in dm.items()}
    return dict(base=base, buff=buff, convert=convert, after=after, mult=mult, mesmer=mesmer,
                tweaks=tweaks, ticks=WVW if wvw else PVE, armor=armor,
                mu=p.get("movement_uptime", 0) / 100, ar=p.get("attack_rate", 0))


def calc_stats(s, gear):
    """calcStatsScenario."""
    b = dict(s["base"])
    for k, v in gear.items():
        b[k] = b.get(k, 0) + v
    a = dict(b)
    g = lambda k: a.get(k, 0.0)
    for to, srcs in s["convert"].items():
        for frm, f in srcs.items():
            v = b.get(frm, 0) * f
            a[to] = g(to) + (round_even(v) if to in POINT_KEYS else v)
    for k, v in s["buff"].items():
        a[k] = g(k) + v
    a["Critical Chance"] = g("Critical Chance") + (g("Precision") - 1000) / 21 / 100
    a["Critical Damage"] = g("Critical Damage") + g("Ferocity") / 15 / 100
    a["Boon Duration"] = g("Boon Duration") + g("Concentration") / 15 / 100
    a["Condition Duration"] = g("Condition Duration") + g("Expertise") / 15 / 100
    a["Health"] = round_even((g("Health") + g("Vitality") * 10) * (1 + g("Maximum Health")))
    a["Armor"] = g("Armor") + g("Toughness")
    if s["mesmer"]:
        a["Clone Critical Chance"] = g("Clone Critical Chance") + (g("Precision") - 1000) / 21 / 100
        a["Phantasm Critical Chance"] = g("Phantasm Critical Chance") \
            + (g("Precision") - 1000) / 21 / 100
        a["Phantasm Critical Damage"] = g("Phantasm Critical Damage") + g("Ferocity") / 15 / 100
    elif g("Power2 Coefficient"):
        a["Alternative Power"] = g("Alternative Power") + g("Power")
        a["Alternative Critical Chance"] = g("Alternative Critical Chance") \
            + g("Critical Chance") + g("Alternative Precision") / 21 / 100
        a["Alternative Critical Damage"] = g("Alternative Critical Damage") \
            + g("Critical Damage") + g("Alternative Ferocity") / 15 / 100
    for to, srcs in s["after"].items():
        for frm, f in srcs.items():
            if frm in ("Critical Chance", "Clone Critical Chance", "Phantasm Critical Chance"):
                src = clamp(g(frm), 0, 1)
            else:
                src = g(frm)
            v = src * f
            a[to] = g(to) + (round_even(v) if to in POINT_KEYS else v)
    return a


def evaluate(s, gear):
    """calcPower + calcCondi + calcSurvivability + calcHealing: (damage, survivability,
    healing, sheet)."""
    M = s["mult"]
    a = calc_stats(s, gear)
    g = lambda k: a.get(k, 0.0)
    armor = s["armor"]
    crit_dmg = g("Critical Damage") * M["Critical Damage"]
    crit_chance = clamp(g("Critical Chance"), 0, 1)
    ep = g("Power") * (1 + crit_chance * (crit_dmg - 1))
    total = (g("Power Coefficient") / armor) * ep * M["Strike Damage"] \
        + (g("NonCrit Power Coefficient") / armor) * g("Power") * M["Strike Damage"]
    if g("Power2 Coefficient"):
        if s["mesmer"]:
            pcd = g("Phantasm Critical Damage") * M["Phantasm Critical Damage"]
            pcc = clamp(g("Phantasm Critical Chance"), 0, 1)
            pep = g("Power") * (1 + pcc * (pcd - 1))
            total += (g("Power2 Coefficient") / armor) * pep * M["Phantasm Damage"]
        else:
            acd = g("Alternative Critical Damage") * M["Critical Damage"] \
                * M["Alternative Critical Damage"]
            acc = clamp(g("Alternative Critical Chance"), 0, 1)
            aep = g("Alternative Power") * (1 + acc * (acd - 1))
            total += (g("Power2 Coefficient") / armor) * aep * M["Strike Damage"] \
                * M["Alternative Damage"]
    total += (g("Siphon Base Coefficient") + g("Siphon Coefficient") * g("Power")) \
        * M["Siphon Damage"]
    total += g("Flat DPS")
    t = s["ticks"]
    tick = lambda name, x, m: (t[name][1] * x + t[name][0]) * m
    cdmg = g("Condition Damage")
    for c in CONDITIONS:
        k = g(c + " Coefficient")
        if k <= 0:
            continue
        m = M["Condition Damage"] * M[c + " Damage"]
        if c == "Burning" and "inferno_burning_damage" in s["tweaks"]:
            d = tick("BurningInferno", g("Power"), m)
        elif c == "Bleeding" and "sharpshooter_bleeding_damage" in s["tweaks"]:
            d = tick("BleedingSharpshooter", g("Power"), m)
        elif c == "Torment":
            d = tick("Torment", cdmg, m) * (1 - s["mu"]) + tick("TormentMoving", cdmg, m) * s["mu"]
        elif c == "Confusion":
            d = tick("Confusion", cdmg, m) + tick("ConfusionActive", cdmg, m) * s["ar"]
        else:
            d = tick(c, cdmg, m)
        dur = 1 + clamp(g(c + " Duration") + g("Condition Duration"), 0, 1) \
            + g("Condition Duration Uncapped")
        total += k * dur * d
    eh = g("Health") * g("Armor") / M["Damage Taken"]
    heal = (g("Healing Power") * 0.3 + 390) * (1 + g("Outgoing Healing"))
    return total, eh / 1967, heal, a


def invalid(p, a, dmg, surv, heal):
    """checkInvalid + checkInvalidIndicators, with this project's extra min/max attributes."""
    c = p.get("constraints") or {}
    g = lambda k: a.get(k, 0.0)
    checks = [
        ("min_boon_duration", g("Boon Duration") * 100, 1),
        ("min_quickness_duration", (g("Boon Duration") + g("Quickness Duration")) * 100, 1),
        ("min_crit_chance", g("Critical Chance") * 100, 1),
        ("min_toughness", g("Toughness"), 1), ("max_toughness", g("Toughness"), -1),
        ("min_vitality", g("Vitality"), 1), ("min_health", g("Health"), 1),
        ("min_healing_power", g("Healing Power"), 1),
        ("min_outgoing_healing", g("Outgoing Healing") * 100, 1),
        ("min_damage", dmg, 1), ("min_healing", heal, 1), ("min_survivability", surv, 1),
    ]
    for key, value, sign in checks:
        lim = c.get(key)
        if lim is not None and (value - lim) * sign < -1e-9 * max(1, abs(lim)):
            return True
    for key, sign in (("min_attributes", 1), ("max_attributes", -1)):
        for stat, lim in (c.get(key) or {}).items():
            name = NAME[stat]
            v = g(name) * (100 if name not in POINT_KEYS and name not in COEFFICIENT_KEYS
                           and name != "Health" else 1)
            if (v - lim) * sign < -1e-9 * max(1, abs(lim)):
                return True
    return False


def extras_combinations(p):
    """extras.ts findCombinations + the sigil rules, this project's category order."""
    x = p.get("extras") or {}
    cats = [("runes", x.get("runes") or x.get("rune") or []),
            ("relic", x.get("relic") or x.get("relics") or []),
            ("sigil1", x.get("sigil1") or []), ("sigil2", x.get("sigil2") or []),
            ("utility", x.get("utility") or x.get("enhancement") or []),
            ("food", x.get("food") or x.get("nourishment") or [])]
    cats = [(k, v) for k, v in cats if v]
    idl = lambda spec: spec_of(spec)["id"].lower()
    out = []
    for combo in itertools.product(*[v for _, v in cats]):
        labels = {k: idl(spec) for (k, _), spec in zip(cats, combo)}
        s1, s2 = labels.get("sigil1"), labels.get("sigil2")
        if s1 and s2:
            if s1 == s2 and s1 not in DUPLICATE_SIGILS:
                continue
            if s1 != s2 and s2 in [idl(q) for q in x.get("sigil1", [])] \
                    and s1 in [idl(q) for q in x.get("sigil2", [])] and s1 > s2:
                continue
        out.append((labels, list(combo), None))
    infs = x.get("infusions") or []
    if infs:
        out = [(dict(l, infusions=i["primary"] + ("+" + i["secondary"] if i.get("secondary")
                                                  and i["secondary"] != i["primary"] else "")),
                m, i) for l, m, _ in out for i in infs]
    return out


def prefix_values(p):
    """name -> {"ascended"|"exotic": {slot: {discretize attribute: points}}}, custom tables
    included (Custom affix: the triple (Berserker's) or quadruple (Viper's) major / minor
    per-slot values, or explicit values)."""
    table = {}
    for x in SNAP["itemstats"]:
        table[x["key"]] = {r: {sl: {NAME[k]: v for k, v in vals.items()}
                               for sl, vals in x[r].items()} for r in ("ascended", "exotic")}
        table[x["key"]]["name"] = x["name"]
    for c in p.get("custom_affixes", []):
        key = norm(c["name"])
        if c.get("values"):
            vals = {sl: {NAME[k]: v for k, v in d.items()} for sl, d in c["values"].items()}
            table[key] = {"ascended": vals, "exotic": vals, "name": c["name"].strip()}
            continue
        ref = "viper" if c.get("kind") == "quadruple" else "berserker"
        entry = {"name": c["name"].strip()}
        for r in ("ascended", "exotic"):
            entry[r] = {}
            for sl, vals in table[ref][r].items():
                d = {}
                for a in c.get("major", []):
                    d[NAME[a]] = d.get(NAME[a], 0) + vals["Power"]
                for a in c.get("minor", []):
                    d[NAME[a]] = d.get(NAME[a], 0) + vals["Precision"]
                entry[r][sl] = d
        table[key] = entry
    return table


def norm(name):
    name = name.strip()
    if name.endswith("'s"):
        name = name[:-2]
    return "".join(ch for ch in name if ch.isalnum()).lower()


def slot_options(p, table):
    """Per slot: [(prefix key, {attribute: points})] it may take."""
    slots = SLOTS + (["two_handed"] if p.get("weapon_type", "two_handed") == "two_handed"
                     else ["main_hand", "off_hand"])
    exotic = {sl: [norm(n) for n in names] for sl, names in (p.get("exotic") or {}).items()}
    out = []
    for sl in slots:
        if sl in (p.get("forced_slots") or {}):
            names = [p["forced_slots"][sl]]
        else:
            names = (p.get("slot_affixes") or {}).get(sl) or p["affixes"]
        opts = []
        for n in dict.fromkeys(norm(n) for n in names):
            rarity = "exotic" if n in exotic.get(sl, []) else "ascended"
            if sl in table[n][rarity]:
                opts.append((n, table[n][rarity][sl]))
        out.append((sl, opts))
    return out


def run(p, top):
    """Every extras combination x slot assignment x infusion split; assignments that differ only
    by swapping slots with identical options are counted once (as the optimizer reports them)."""
    table = prefix_values(p)
    options = slot_options(p, table)
    sig = [json.dumps(o, sort_keys=True) for _, o in options]
    results = []
    for labels, mods, inf_override in extras_combinations(p):
        inf = inf_override if inf_override is not None else p.get("infusions")
        splits = [{}]
        if inf:
            pm, sm = inf.get("primary_max", 18), inf.get("secondary_max", 18)
            sec = inf.get("secondary") if inf.get("secondary") != inf["primary"] else None
            if not sec:
                sm = 0
            tot = min(inf.get("max", 18), min(pm, inf.get("max", 18)) + min(sm, inf.get("max", 18)))
            splits = []
            for q in range(tot, -1, -1):
                if q <= pm and tot - q <= sm:
                    d = {inf["primary"]: q}
                    if sec:
                        d[sec] = tot - q
                    splits.append(d)
        modifiers = list(p.get("modifiers", [])) + mods
        gears = []
        seen = set()
        for combo in itertools.product(*[range(len(o)) for _, o in options]):
            groups = {}
            for i, c in enumerate(combo):
                groups.setdefault(sig[i], []).append(c)
            canon = tuple(sorted((k, tuple(sorted(v))) for k, v in groups.items()))
            if canon in seen:
                continue
            seen.add(canon)
            gear = {}
            for (sl, opts), i in zip(options, combo):
                for k, v in opts[i][1].items():
                    gear[k] = gear.get(k, 0) + v
            gears.append((combo, gear))
        templates = scenario_templates(modifiers)
        for counts in splits:
            inf_counts = {k: v for k, v in counts.items() if v}
            scenarios = [(f, setup(p, mods, inf_counts)) for f, mods in templates]
            for combo, gear in gears:
                # calcStats per scenario; indicators weighted by the scenarios' fractions; the
                # attributes (and the constraints on them, checkInvalid) are the first's
                dmg = surv = heal = 0.0
                a = None
                for f, s in scenarios:
                    d, sv, h, sheet = evaluate(s, gear)
                    dmg, surv, heal = dmg + f * d, surv + f * sv, heal + f * h
                    a = sheet if a is None else a
                if invalid(p, a, dmg, surv, heal):
                    continue
                w = p.get("weights") or {}
                score = {"damage": dmg, "dps": dmg, "survivability": surv,
                         "effective_health": surv, "healing": heal, "healing_power": heal,
                         "weighted": w.get("damage", 0) * dmg
                         + w.get("survivability", 0) * surv
                         + w.get("healing", 0) * heal}[p.get("optimize_for", "damage")]
                results.append((score, labels, combo, counts, a, options))
    results.sort(key=lambda x: -x[0])
    out = []
    for score, labels, combo, counts, a, options in results[:top]:
        out.append({"score": score, "extras": labels,
                    "gear": {sl: table[o[i][0]]["name"] for (sl, o), i in zip(options, combo)},
                    "infusions": {k: v for k, v in counts.items() if v},
                    "attributes": {k: a.get(v) for k, v in NAME.items() if k in (
                        "power", "precision", "toughness", "vitality", "ferocity",
                        "condition_damage", "expertise", "health", "armor")}})
    return out


# ---------------------------------------------------------------- random inputs

POOL_DAMAGE = ["berserker", "assassin", "viper", "sinister", "grieving", "marauder", "valkyrie",
               "rampager", "dragon", "celestial", "diviner", "ritualist"]
POOL_SUPPORT = ["minstrel", "harrier", "cleric", "knight", "soldier", "giver", "magi", "nomad"]
ATTRS = ["power", "precision", "toughness", "vitality", "ferocity", "condition_damage",
         "expertise", "concentration", "healing_power"]


def random_effects(r, professions_power2):
    """Inline effects touching every part of the model; values keep the model's quantities
    positive (the engine clamps negative coefficients and Power at 0, discretize does not)."""
    e = {}
    kind = r.randrange(9)
    if kind == 0:
        e["attributes"] = [{"stat": r.choice(ATTRS + ["alternative_power", "alternative_precision",
                                                       "alternative_ferocity", "armor"]),
                            "value": r.choice([50, 120, 180, 300]),
                            "mode": r.choice(["converted", "buff"])}]
    elif kind == 1:
        e["attributes"] = [{"stat": r.choice(["critical_chance", "condition_duration",
                                              "condition_duration_uncapped", "boon_duration",
                                              "bleeding_duration", "burning_duration",
                                              "alternative_critical_chance",
                                              "phantasm_critical_chance", "clone_critical_chance",
                                              "maximum_health", "outgoing_healing",
                                              "quickness_duration"]),
                            "value": r.choice([5, 10, 15, 25, 40])}]
    elif kind == 2:
        e["attributes"] = [{"stat": r.choice(["non_crit_power_coefficient", "siphon_coefficient",
                                              "siphon_base_coefficient", "flat_dps",
                                              "bleeding_coefficient", "burning_coefficient"]),
                            "value": r.choice([0.05, 3, 40, 150])}]
    elif kind == 3:
        e["damage"] = [{"target": r.choice(["strike", "condition", "all", "critical", "siphon",
                                            "alternative", "alternative_critical", "phantasm",
                                            "phantasm_critical", "bleeding", "burning", "torment",
                                            "confusion", "poison", "damage_reduction"]),
                        "percent": r.choice([3, 5, 7, 10, 15, 25]),
                        "mode": r.choice(["add", "mult", "target", "unknown"])}]
    elif kind == 4:
        # conversions before buffs: negative ones, and non-attribute sources
        frm = r.choice(ATTRS + ["armor", "critical_chance", "health", "boon_duration"])
        to = r.choice(ATTRS + ["outgoing_healing", "critical_chance", "condition_duration",
                               "flat_dps"])
        pct = r.choice([-3, -2, 1, 3, 5, 7, 13])
        if to in ("outgoing_healing", "critical_chance", "condition_duration"):
            pct = abs(pct) * 0.001
        if to == "flat_dps" or frm in ("critical_chance", "boon_duration"):
            pct = abs(pct)
        e["conversion"] = [{"to": to, "from": frm, "percent": pct}]
    elif kind == 5:
        # after-buff conversions: critical chances as source, chains, derived sources
        frm = r.choice(["critical_chance", "clone_critical_chance", "phantasm_critical_chance",
                        "power", "ferocity", "armor", "health", "concentration"])
        to = r.choice(["ferocity", "power", "precision", "condition_damage", "expertise",
                       "bleeding_coefficient", "flat_dps", "toughness", "vitality"])
        pct = r.choice([2, 5, 10, 50, 150]) if "chance" in frm else r.choice([-2, 1, 3, 6])
        if to in ("bleeding_coefficient", "flat_dps"):
            pct = abs(pct)
        e["conversion_after_buffs"] = [{"to": to, "from": frm, "percent": pct}]
    elif kind == 6:
        e["calculation_tweaks"] = [r.choice(["inferno_burning_damage",
                                             "sharpshooter_bleeding_damage"])]
    elif kind == 7:
        e["conversion_after_buffs"] = [
            {"to": "ferocity", "from": "power", "percent": 3},
            {"to": "power", "from": "ferocity", "percent": 5}]
    else:
        e["attributes"] = [{"stat": "maximum_health", "value": -2}]
    return e


def random_input(r, i):
    prof = r.choice([x["id"] for x in SNAP["professions"]])
    mode = r.choice(["pve", "pve", "raid", "wvw"])
    objective = r.choice(["damage"] * 5 + ["survivability", "healing"])
    pool = POOL_SUPPORT if objective != "damage" else POOL_DAMAGE
    affixes = r.sample(pool, r.choice([2, 3]))
    p = {"name": f"random {i}", "profession": prof, "game_mode": mode,
         "weapon_type": r.choice(["two_handed", "dual_wield"]), "affixes": affixes,
         "optimize_for": objective, "top": r.choice([1, 3, 5, 8])}
    slots = SLOTS + (["two_handed"] if p["weapon_type"] == "two_handed"
                     else ["main_hand", "off_hand"])
    open_slots = r.sample(slots, r.choice([2, 3, 4]))
    p["forced_slots"] = {sl: r.choice(pool) for sl in slots if sl not in open_slots}
    if r.random() < 0.4:
        sl = r.choice(open_slots)
        p["slot_affixes"] = {sl: r.sample(pool, 2)}
    if r.random() < 0.3:
        sl = r.choice(slots)
        p["exotic"] = {sl: list(pool)}
    if r.random() < 0.3:
        if r.random() < 0.5:
            c = {"name": "Mine", "kind": r.choice(["triple", "quadruple"]),
                 "major": r.sample(ATTRS, 1 if r.random() < 0.5 else 2),
                 "minor": r.sample(ATTRS, 2)}
        else:
            c = {"name": "Mine", "values": {sl: {r.choice(ATTRS): r.choice([30, 60, 90])}
                                            for sl in slots}}
        p["custom_affixes"] = [c]
        p["affixes"] = affixes + ["Mine"]
    dist = {}
    if objective == "damage":
        dist["power"] = r.choice([0, 1500, 3000])
        if r.random() < 0.5:
            dist["power2"] = r.choice([300, 900])
        for c in ["bleeding", "burning", "confusion", "poison", "torment"]:
            if r.random() < 0.35:
                dist[c] = r.choice([2.5, 8, 20])
        if r.random() < 0.2:
            dist["flat_dps"] = 250
    p["distribution"] = dist
    mods = ["buff:might", "buff:fury", "buff:vulnerability"]
    if mode == "wvw":
        mods.append("buff:protection")
    for j in range(r.choice([2, 4, 6])):
        mods.append({"id": f"random:{j}", "effects": random_effects(r, None)})
    if r.random() < 0.3:
        mods.append({"id": "random:amount", "amount": r.choice([0, 2, 7]),
                     "amount_data": {"label": "stacks", "default": 1, "quantity_entered": 4},
                     "effects": random_effects(r, None)})
    if r.random() < 0.3:
        # advanced uptime simulation: an uncorrelated modifier, and two exclusive groups
        ad = lambda corr: {"label": "% uptime", "default": 50, "quantity_entered": 100,
                           "advanced_uptime": corr}
        mods.append({"id": "random:scenario", "amount": r.choice([30, 70, 100]),
                     "amount_data": ad({}),
                     "effects": {"attributes": [{"stat": "critical_chance", "value": 30}]}})
        if r.random() < 0.5:
            for g, up in (("1", 40), ("2", 35)):
                mods.append({"id": f"random:group{g}", "amount": up,
                             "amount_data": ad({"category": "test", "group": g}),
                             "effects": random_effects(r, None)})
    p["modifiers"] = mods
    if r.random() < 0.5:
        p["infusions"] = {"primary": r.choice(ATTRS), "secondary": r.choice(ATTRS),
                          "max": r.choice([1, 2, 3]), "primary_max": 2, "secondary_max": 2}
    if r.random() < 0.5:
        x = {"runes": r.sample(["rune:scholar", "rune:eagle", "rune:durability",
                                "rune:nightmare", "rune:no-item-rune"], 2)}
        if r.random() < 0.5:
            sig = ["sigil:force", "sigil:accuracy", "sigil:air", "sigil:bursting",
                   "sigil:impact/night/slaying-both", "sigil:blood-sigil"]
            x["sigil1"] = r.sample(sig, 2)
            x["sigil2"] = r.sample(sig, 2)
        if r.random() < 0.3 and "infusions" not in p:
            x["infusions"] = [{"primary": "power", "secondary": "precision", "max": 2},
                              {"primary": "condition_damage", "max": 1}]
        p["extras"] = x
    if r.random() < 0.3:
        p.setdefault("extras", {})["food"] = r.sample(
            ["food:cilantro-lime-sous-vide-steak", "food:plate-of-coq-au-vin-with-salsa",
             "food:no-item-food"], 2)
        p["lifesteal"] = r.choice([0, 4.3, 10])
    if r.random() < 0.2:
        p["constraints"] = {"min_boon_duration": r.choice([5, 20])}
    if r.random() < 0.3:
        p["target"] = {"kind": "player", "armor_class": r.choice(["light", "medium", "heavy",
                                                                   "mixed"]),
                       "toughness": r.choice([1000, 1400, 2100]),
                       "protection_uptime": r.choice([0, 40, 100]),
                       "resolution_uptime": r.choice([0, 60]),
                       "strike_damage_taken": r.choice([0, -10, 7]),
                       "condition_damage_taken": r.choice([0, 5])}
    elif r.random() < 0.2:
        p["target_armor"] = r.choice([1800, 2597, 3200])
    if objective == "damage" and r.random() < 0.15:
        p["optimize_for"] = "weighted"
        p["weights"] = {"damage": 1, "survivability": r.choice([0, 0.01, 0.1]),
                        "healing": r.choice([0, 0.5])}
        p["movement_uptime"] = r.choice([0, 30])
        p["attack_rate"] = r.choice([0, 0.5])
    return p


def write_random(n, seed, path):
    r = random.Random(seed)
    cases = []
    while len(cases) < n:
        p = random_input(r, len(cases))
        res = run(p, p["top"])
        cases.append({"input": p, "expected": [
            {"score": x["score"], "extras": x["extras"], "infusions": x["infusions"]} for x in res]})
    doc = {"generator": "crates/optimizer/data/gear_reference.py --random "
                        f"{n} --seed {seed} --out {os.path.relpath(path, ROOT)}",
           "cases": cases}
    with open(path, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")


def template_cases(directory, per_template, seed, path):
    """For every template input in `directory` (written by `cargo run --release -p optimizer
    --example gear_templates -- --write-inputs DIR MODE`): `per_template` fully fixed cases (a
    random prefix per slot among the template's candidates, one random candidate per extras
    category (two different sigils unless a pair entry), a random infusion split, constraints
    dropped), each with the reference's score."""
    r = random.Random(seed)
    cases = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        template, mode, _ = name.rsplit(".", 2)
        base = json.load(open(os.path.join(directory, name)))
        slots = SLOTS + (["two_handed"] if base["weapon_type"] == "two_handed"
                         else ["main_hand", "off_hand"])
        table = prefix_values(base)
        for _ in range(per_template):
            p = json.loads(json.dumps(base))
            forced = {}
            for sl in slots:
                opts = [a for a in p["affixes"] if sl in table[norm(a)]["ascended"]]
                forced[sl] = r.choice(opts)
            p["forced_slots"] = forced
            choice = {}
            for cat, cands in (p.get("extras") or {}).items():
                if cands:
                    choice[cat] = r.randrange(len(cands))
            ids = lambda cat: spec_of(p["extras"][cat][choice[cat]])["id"].lower()
            if "sigil1" in choice and "sigil2" in choice and ids("sigil1") == ids("sigil2") \
                    and ids("sigil1") not in DUPLICATE_SIGILS:
                others = [i for i in range(len(p["extras"]["sigil2"]))
                          if spec_of(p["extras"]["sigil2"][i])["id"].lower() != ids("sigil1")]
                if others:
                    choice["sigil2"] = r.choice(others)
                else:
                    del choice["sigil2"]
            # the model, not the constraints: every case evaluates
            p["constraints"] = {}
            if p.get("extras"):
                p["extras"] = {cat: [p["extras"][cat][i]] for cat, i in choice.items()}
            infusions = None
            if p.get("infusions"):
                q = r.randint(0, 18)
                sec = p["infusions"].get("secondary")
                infusions = [q, 18 - q if sec else 0]
                p["infusions"] = dict(p["infusions"], max=sum(infusions),
                                      primary_max=infusions[0], secondary_max=infusions[1])
            p["top"] = 1
            res = run(p, 1)
            cases.append({"template": template, "mode": mode, "forced_slots": forced,
                          "extras": choice, "infusions": infusions,
                          "score": res[0]["score"] if res else None})
    doc = {"generator": "crates/optimizer/data/gear_reference.py --templates DIR "
                        f"{per_template} --seed {seed} --out {os.path.relpath(path, ROOT)}",
           "cases": cases}
    with open(path, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")


def main():
    args = sys.argv[1:]
    if args and args[0] == "--templates":
        template_cases(args[1], int(args[2]), int(args[4]), args[6])
        return
    if args and args[0] == "--random":
        n, seed, out = int(args[1]), int(args[3]), args[5]
        write_random(n, seed, out)
        return
    p = json.load(open(args.pop(0)))
    top = 5
    while args:
        a = args.pop(0)
        if a == "--set":
            key, _, value = args.pop(0).partition("=")
            p[key] = json.loads(value)
        elif a == "--modifier":
            p.setdefault("modifiers", []).append(json.loads(args.pop(0)))
        else:
            top = int(a)
    print(json.dumps(run(p, top), indent=1))


if __name__ == "__main__":
    main()
