#!/usr/bin/env python3
"""Independent reference for the gear optimizer's tests: a direct port of discretize-gear-optimizer's
damage model (src/state/optimizer/optimizerSetup.ts modifier collection and
src/state/optimizer/optimizerCore.ts calcStats / calcPower / calcCondi / calcSurvivability /
calcHealing, discretize/discretize-gear-optimizer), run by plain brute force over every slot
assignment (no classes, no bounds) on a preset of presets/gear/.

Order of the attribute sheet (optimizerCore.ts `calcStatsScenario`, lines 565-641 at commit
a71b0d879fb8ee68699c83d37bef2c0577a3938f, the newest stored version; same order in every version
that has `Condition Duration Uncapped`, like the data of /work/shared/data/discretize at b64d7244):
  574-581 `convert` from the base attributes (rounded half to even into attribute points),
  583-585 buffs,
  587-588 critical chance from Precision, critical damage from Ferocity,
  590-591 boon duration from Concentration, condition duration from Expertise,
  593-596 health from Vitality, 598 armor += Toughness,
  621-640 `convertAfterBuffs` (critical chance sources clamped to [0, 1]) -- last, so points they
          add to Expertise, Toughness, Precision, Ferocity, Concentration or Vitality do not reach
          the derived attributes above, and a source `Armor` already includes Toughness.
Then calcCondiScenario (duration at 820-823) and calcSurvivabilityScenario (health x armor, 847-848)
read those values; checkInvalid (655-656) compares the after-buff Toughness with min/max toughness.
(Older versions added condition duration in calcCondi and Toughness in calcSurvivability, i.e.
after `convertAfterBuffs`.)

Usage: python3 crates/optimizer/data/gear_reference.py presets/gear/power-berserker.json [top]
           [--set KEY=JSON]... [--modifier JSON]...
--set replaces a top-level key of the preset (affixes, optimize_for, infusions, ...), --modifier
appends an entry to its modifiers. Prints the top results (score, gear, infusions, key attributes)
as JSON.
"""
import itertools
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SNAP = json.load(open(os.path.join(ROOT, "crates", "gw2", "data", "snapshot.json")))
LIB = {m["id"]: m for m in json.load(open(os.path.join(HERE, "gear_modifiers.json")))["modifiers"]}

PRIMARY = ["power", "precision", "toughness", "vitality", "ferocity", "condition_damage",
           "expertise", "concentration", "healing_power"]
POINTS = set(PRIMARY) | {"armor", "agony_resistance"}
PVE = {"bleeding": (22, 0.06), "burning": (131, 0.155), "confusion": (18.25, 0.05),
       "confusion_active": (16.34, 0.0325), "poison": (33.5, 0.06), "torment": (31.8, 0.09),
       "torment_moving": (22, 0.06)}
WVW = {"bleeding": (22, 0.06), "burning": (131, 0.155), "confusion": (11, 0.03),
       "confusion_active": (49.5, 0.0975), "poison": (33.5, 0.06), "torment": (26, 0.07),
       "torment_moving": (19.8, 0.054)}


def round_even(x):
    if x % 1 == 0.5:
        f = math.floor(x)
        return f if f % 2 == 0 else f + 1
    return math.floor(x + 0.5)


def setup(p):
    wvw = p.get("game_mode") in ("wvw", "pvp")
    prof = next(x for x in SNAP["professions"] if x["id"].lower() == p["profession"].lower())
    base = {a: 0.0 for a in PRIMARY}
    for a in ["power", "precision", "toughness", "vitality"]:
        base[a] = 1000.0
    base["health"] = prof["base_health"]
    base["armor"] = prof["armor_defense"]
    base["critical_chance"] = 0.05
    base["critical_damage"] = 1.5
    for k, v in p.get("distribution", {}).items():
        base[("flat_dps" if k == "flat_dps" else k + "_coefficient")] = float(v)
    groups = {}
    buff, conv, after = {}, {}, {}

    def dmg(key, x, mode):
        g = groups.setdefault(key, {"mult": 1.0, "add": 1.0, "target": 1.0})
        if mode in ("add", "target"):
            g[mode] += x
        else:
            g["mult"] *= 1 + x

    for spec in p.get("modifiers", []):
        if isinstance(spec, str):
            spec = {"id": spec}
        lib = LIB.get(spec["id"])
        eff = spec.get("effects") or lib["effects"]
        weff = spec.get("wvw_effects") if "effects" in spec else (lib or {}).get("wvw_effects")
        if wvw and weff:
            eff = weff
        ad = spec.get("amount_data") or (lib or {}).get("amount")
        scale = 1.0
        if ad:
            scale = spec.get("amount", ad["default"]) / ad["quantity_entered"]
        for d in eff.get("damage", []):
            x = d["percent"] / 100 * scale
            t = d["target"]
            if t == "all":
                dmg("strike", x, d["mode"]); dmg("condition", x, d["mode"])
            elif t == "critical":
                dmg("critical", x, "mult")
            elif t == "damage_reduction":
                dmg("taken", -x, d["mode"])
            else:
                dmg(t, x, d["mode"])
        for a in eff.get("attributes", []):
            s, v = a["stat"], a["value"] * scale
            if s == "maximum_health":
                base[s] = (base.get(s, 0) + 1) * (1 + v / 100) - 1
            elif s in POINTS:
                if a.get("mode", "buff") == "converted":
                    base[s] = base.get(s, 0) + v
                else:
                    buff[s] = buff.get(s, 0) + v
            elif s.endswith("_coefficient") or s == "flat_dps":
                base[s] = base.get(s, 0) + v
            else:
                base[s] = base.get(s, 0) + v / 100
        for c in eff.get("conversion", []):
            conv.setdefault(c["to"], {}).setdefault(c["from"], 0)
            conv[c["to"]][c["from"]] += c["percent"] / 100 * scale
        for c in eff.get("conversion_after_buffs", []):
            after.setdefault(c["to"], {}).setdefault(c["from"], 0)
            after[c["to"]][c["from"]] += c["percent"] / 100 * scale
    mult = {k: g["mult"] * g["add"] * g["target"] for k, g in groups.items()}
    return dict(base=base, buff=buff, conv=conv, after=after, mult=mult,
                ticks=WVW if wvw else PVE, armor=p.get("target_armor", 2597),
                mu=p.get("movement_uptime", 0) / 100, ar=p.get("attack_rate", 0))


def evaluate(s, gear):
    M = lambda k: s["mult"].get(k, 1.0)
    b = dict(s["base"])
    for k, v in gear.items():
        b[k] = b.get(k, 0) + v
    a = dict(b)
    for to, srcs in s["conv"].items():
        for frm, f in srcs.items():
            v = b.get(frm, 0) * f
            a[to] = a.get(to, 0) + (round_even(v) if to in POINTS else v)
    for k, v in s["buff"].items():
        a[k] = a.get(k, 0) + v
    g = lambda k: a.get(k, 0.0)
    # calcStatsScenario: derived attributes, all before convertAfterBuffs
    a["critical_chance"] = g("critical_chance") + (g("precision") - 1000) / 21 / 100
    a["critical_damage"] = g("critical_damage") + g("ferocity") / 15 / 100
    a["boon_duration"] = g("boon_duration") + g("concentration") / 15 / 100
    a["condition_duration"] = g("condition_duration") + g("expertise") / 15 / 100
    a["health"] = round_even((g("health") + g("vitality") * 10) * (1 + g("maximum_health")))
    a["armor"] = g("armor") + g("toughness")
    for to, srcs in s["after"].items():
        for frm, f in srcs.items():
            src = min(max(g("critical_chance"), 0), 1) if frm == "critical_chance" else g(frm)
            v = src * f
            a[to] = g(to) + (round_even(v) if to in POINTS else v)
    # calcPower
    cd = g("critical_damage") * M("critical")
    cc = min(max(g("critical_chance"), 0), 1)
    ep = g("power") * (1 + cc * (cd - 1)) * M("strike")
    power_dps = g("power_coefficient") / s["armor"] * ep
    # calcCondi
    cdmg = g("condition_damage")
    t = s["ticks"]
    tick = lambda c: t[c][0] + t[c][1] * cdmg
    total = power_dps
    for c in ["bleeding", "burning", "confusion", "poison", "torment"]:
        k = g(c + "_coefficient")
        if k <= 0:
            continue
        m = M("condition") * M(c)
        if c == "torment":
            d = tick("torment") * m * (1 - s["mu"]) + tick("torment_moving") * m * s["mu"]
        elif c == "confusion":
            d = tick("confusion") * m + tick("confusion_active") * m * s["ar"]
        else:
            d = tick(c) * m
        dur = 1 + min(max(g(c + "_duration") + g("condition_duration"), 0), 1)
        total += k * dur * d
    total += g("flat_dps")
    # calcSurvivability
    eh = g("health") * g("armor") / M("taken")
    heal = (g("healing_power") * 0.3 + 390) * (1 + g("outgoing_healing"))
    return total, eh / 1967, heal, a


def main():
    args = sys.argv[1:]
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
    s = setup(p)
    stats = {x["key"]: x for x in SNAP["itemstats"]}
    names = [next(x for x in SNAP["itemstats"]
                  if x["key"] == a.replace("'s", "").replace(" ", "").lower()) for a in p["affixes"]]
    slots = ["helm", "shoulders", "coat", "gloves", "leggings", "boots", "amulet", "ring1", "ring2",
             "accessory1", "accessory2", "back"]
    slots += ["two_handed"] if p.get("weapon_type", "two_handed") == "two_handed" else ["main_hand", "off_hand"]
    inf = p.get("infusions")
    splits = [(0, 0)]
    if inf:
        tot = min(inf.get("max", 18), inf.get("primary_max", 18) + inf.get("secondary_max", 18))
        splits = [(q, tot - q) for q in range(tot, -1, -1)
                  if q <= inf.get("primary_max", 18) and tot - q <= inf.get("secondary_max", 18)]
    results = []
    for combo in itertools.product(range(len(names)), repeat=len(slots)):
        gear = {}
        for slot, i in zip(slots, combo):
            for k, v in names[i]["ascended"][slot].items():
                gear[k] = gear.get(k, 0) + v
        for q, r in splits:
            g = dict(gear)
            if inf:
                g[inf["primary"]] = g.get(inf["primary"], 0) + 5 * q
                if inf.get("secondary"):
                    g[inf["secondary"]] = g.get(inf["secondary"], 0) + 5 * r
            dmg, surv, heal, a = evaluate(s, g)
            score = {"damage": dmg, "survivability": surv, "healing": heal}[p.get("optimize_for", "damage")]
            results.append((score, combo, q, r, a))
    results.sort(key=lambda x: -x[0])
    out = []
    for score, combo, q, r, a in results[:top]:
        out.append({"score": score, "gear": {sl: names[i]["name"] for sl, i in zip(slots, combo)},
                    "infusions": [q, r],
                    "attributes": {k: a.get(k) for k in [
                        "power", "precision", "toughness", "vitality", "ferocity", "condition_damage",
                        "expertise", "critical_chance", "critical_damage", "condition_duration",
                        "health", "armor"]}})
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
