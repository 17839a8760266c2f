#!/usr/bin/env python3
"""Derives the gear optimizer's data from discretize-gear-optimizer's YAML (read-only reference).

Writes, in this project's own format (see crates/optimizer/src/gear/README.md):
  - crates/optimizer/data/gear_modifiers.json: runes, sigils, relics, food, utility and buffs
    (boons/effects) with their damage / attribute / conversion effects;
  - presets/gear/*.json: ready optimizer inputs built from discretize's presetdata templates
    (traits inlined as modifiers, extras referenced by id).

Usage: python3 crates/optimizer/data/gear_import.py /work/shared/data/discretize
Source: discretize/discretize-gear-optimizer at b64d7244e9a97c843bfb711c7ad00d3817cee9ba (GPL-3.0;
the numbers are game facts), files modifierdata/*.yaml and presetdata/*.yaml.
"""
import json
import os
import sys

import yaml

COMMIT = "b64d7244e9a97c843bfb711c7ad00d3817cee9ba"
REPO = "discretize/discretize-gear-optimizer"

POINT = {
    "Power": "power", "Precision": "precision", "Toughness": "toughness", "Vitality": "vitality",
    "Ferocity": "ferocity", "Condition Damage": "condition_damage", "Expertise": "expertise",
    "Concentration": "concentration", "Healing Power": "healing_power", "Armor": "armor",
    "Agony Resistance": "agony_resistance",
}
PERCENT = {
    "Critical Chance": "critical_chance", "Boon Duration": "boon_duration",
    "Condition Duration": "condition_duration", "Bleeding Duration": "bleeding_duration",
    "Burning Duration": "burning_duration", "Confusion Duration": "confusion_duration",
    "Poison Duration": "poison_duration", "Torment Duration": "torment_duration",
    "Maximum Health": "maximum_health", "Outgoing Healing": "outgoing_healing",
}
for boon in ["Might", "Fury", "Quickness", "Alacrity", "Protection", "Regeneration", "Vigor",
             "Aegis", "Stability", "Swiftness", "Resistance", "Resolution"]:
    PERCENT[f"{boon} Duration"] = f"{boon.lower()}_duration"
COEFF = {
    "Power Coefficient": "power_coefficient", "Bleeding Coefficient": "bleeding_coefficient",
    "Burning Coefficient": "burning_coefficient", "Confusion Coefficient": "confusion_coefficient",
    "Poison Coefficient": "poison_coefficient", "Torment Coefficient": "torment_coefficient",
    "Flat DPS": "flat_dps",
}
DAMAGE = {
    "Outgoing Strike Damage": "strike", "Outgoing Condition Damage": "condition",
    "Outgoing All Damage": "all", "Outgoing Critical Damage": "critical",
    "Outgoing Bleeding Damage": "bleeding", "Outgoing Burning Damage": "burning",
    "Outgoing Confusion Damage": "confusion", "Outgoing Poison Damage": "poison",
    "Outgoing Torment Damage": "torment", "Damage Reduction": "damage_reduction",
    # older key spellings
    "Strike Damage": "strike", "Condition Damage": "condition", "All Damage": "all",
    "Critical Damage": "critical",
}
AFTER_BUFF_SOURCES = {"Critical Chance": "critical_chance"}


def pct(v):
    return float(str(v).replace("%", ""))


def effects(mods, skipped):
    out = {}
    for key, pairs in (mods.get("damage") or {}).items():
        if key not in DAMAGE:
            skipped.add(key)
            continue
        pairs = list(pairs)
        while pairs:
            amount, mode = pairs[0], pairs[1]
            pairs = pairs[2:]
            if mode == "unknown":
                mode = "mult"  # discretize's default for unknown stacking
            out.setdefault("damage", []).append(
                {"target": DAMAGE[key], "percent": pct(amount), "mode": mode})
    for key, val in (mods.get("attributes") or {}).items():
        if key in POINT:
            pairs = list(val)
            while pairs:
                amount, mode = pairs[0], pairs[1]
                pairs = pairs[2:]
                if mode == "unknown":
                    mode = "buff"
                out.setdefault("attributes", []).append(
                    {"stat": POINT[key], "value": float(amount), "mode": mode})
        elif key in PERCENT:
            v = val[0] if isinstance(val, list) else val
            out.setdefault("attributes", []).append({"stat": PERCENT[key], "value": pct(v)})
        elif key in COEFF:
            v = val[0] if isinstance(val, list) else val
            out.setdefault("attributes", []).append({"stat": COEFF[key], "value": float(v)})
        else:
            skipped.add(key)
    for name, section, sources in (("conversion", "conversion", POINT),
                                   ("conversionAfterBuffs", "conversion_after_buffs",
                                    AFTER_BUFF_SOURCES)):
        for dest, srcs in (mods.get(name) or {}).items():
            to = POINT.get(dest) or PERCENT.get(dest) or COEFF.get(dest)
            if to is None:
                skipped.add(dest)
                continue
            for src, amount in srcs.items():
                frm = sources.get(src) or POINT.get(src)
                if frm is None:
                    skipped.add(src)
                    continue
                out.setdefault(section, []).append({"to": to, "from": frm, "percent": pct(amount)})
    return out


def convert_item(item, kind):
    skipped = set()
    entry = {"id": f"{kind}:{item['id']}", "name": item.get("text", item["id"])}
    if item.get("subText"):
        entry["note"] = item["subText"]
    ad = item.get("amountData")
    if ad:
        entry["amount"] = {"label": ad.get("label", ""), "default": float(ad.get("default", 0)),
                           "quantity_entered": float(ad.get("quantityEntered", 1))}
    entry["effects"] = effects(item.get("modifiers") or {}, skipped)
    if item.get("wvwModifiers"):
        entry["wvw_effects"] = effects(item["wvwModifiers"], skipped)
    if skipped:
        entry["unsupported"] = sorted(skipped)
    return entry


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def sections(data):
    # modifierdata files are a list of sections; each has items.
    for sec in data:
        for item in sec.get("items") or []:
            yield sec, item


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/discretize"
    here = os.path.dirname(os.path.abspath(__file__))
    repo_root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    md = os.path.join(root, "modifierdata")
    lib = []
    kinds = {"runes": "rune", "sigils": "sigil", "relics": "relic", "food": "food",
             "utility": "utility", "buffs": "buff"}
    for fname, kind in kinds.items():
        for _sec, item in sections(load(os.path.join(md, f"{fname}.yaml"))):
            lib.append(convert_item(item, kind))
    out = {
        "format": 1,
        "source": {
            "repository": REPO, "commit": COMMIT, "license": "GPL-3.0 (numbers are game facts)",
            "paths": [f"modifierdata/{f}.yaml" for f in kinds],
            "generator": "crates/optimizer/data/gear_import.py",
        },
        "modifiers": lib,
    }
    with open(os.path.join(here, "gear_modifiers.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")

    # ---------------- presets ----------------
    pd = os.path.join(root, "presetdata")
    traits = {t["name"]: t for t in load(os.path.join(pd, "preset-traits.yaml"))["list"]}
    dists = {t["name"]: t for t in load(os.path.join(pd, "preset-distribution.yaml"))["list"]}
    extras = {t["name"]: t for t in load(os.path.join(pd, "preset-extras.yaml"))["list"]}
    affixes = {t["name"]: t for t in load(os.path.join(pd, "preset-affixes.yaml"))["list"]}
    infusions = {t["name"]: t for t in load(os.path.join(pd, "preset-infusions.yaml"))["list"]}
    prof_of_spec = {
        "Berserker": "Warrior", "Spellbreaker": "Warrior", "Bladesworn": "Warrior",
        "Firebrand": "Guardian", "Dragonhunter": "Guardian", "Willbender": "Guardian",
    }
    prof_items = {}

    def trait_items(profession):
        if profession not in prof_items:
            d = load(os.path.join(md, f"{profession.lower()}.yaml"))
            prof_items[profession] = {
                item["id"]: (sec, item) for sec, item in sections(d)}
        return prof_items[profession]

    def build(name, spec, trait_name, dist_name, extras_name, affix_name, *, weapon_type,
              mode="pve", buffs=(), pick=None, override=None, description=""):
        prof = prof_of_spec[spec]
        items = trait_items(prof)
        t = traits[trait_name]
        mods = []
        # buffs (boons, effects) by reference
        for b in buffs:
            mods.append(b)
        # extras: first choice of each category unless `pick` says otherwise
        ex = extras[extras_name]["value"]["extras"]
        cat_kind = {"Runes": "rune", "Relics": "relic", "Sigil1": "sigil", "Sigil2": "sigil",
                    "Enhancement": "utility", "Nourishment": "food"}
        for cat, choices in ex.items():
            if not choices:
                continue
            cid = (pick or {}).get(cat) or next(iter(choices))
            if cid.startswith("no-item"):
                continue
            ref = {"id": f"{cat_kind[cat]}:{cid}"}
            amt = (choices.get(cid) or {}).get("amount")
            if amt not in (None, ""):
                ref["amount"] = float(amt)
            mods.append(ref)
        # traits and skills, inlined
        lines = [str(x) for x in t["traits"]["selectedLines"]]
        enabled = {}
        for group in t["traits"]["items"]:
            enabled.update(group)
        enabled.update((t.get("skills") or {}).get("skills") or {})
        # always-on minor traits of the selected lines
        for iid, (sec, item) in items.items():
            if str(sec.get("id")) in lines and item.get("minor") and not item.get("subText") \
                    and not item.get("amountData") and iid not in enabled:
                enabled[iid] = {}
        for iid, opts in enabled.items():
            if iid not in items:
                continue
            _sec, item = items[iid]
            e = convert_item(item, "trait")
            e.pop("unsupported", None)
            amt = (opts or {}).get("amount")
            ref = {"id": e["id"], "name": e["name"], "effects": e["effects"]}
            if "wvw_effects" in e:
                ref["wvw_effects"] = e["wvw_effects"]
            if "amount" in e:
                ref["amount_data"] = e["amount"]
            if amt not in (None, ""):
                ref["amount"] = float(amt)
            mods.append(ref)
        dv = dists[dist_name]["value"]["values2"]
        dist = {"power": dv["Power"], "burning": dv["Burning"], "bleeding": dv["Bleeding"],
                "poison": dv["Poisoned"], "torment": dv["Torment"], "confusion": dv["Confusion"]}
        dist = {k: v for k, v in dist.items() if v}
        av = affixes[affix_name]["value"]
        inf = infusions[affixes[affix_name]["infusions"]]["value"]
        preset = {
            "name": name,
            "description": description,
            "source": {"repository": REPO, "commit": COMMIT,
                       "paths": ["presetdata/templates.yaml", "presetdata/preset-traits.yaml",
                                 "presetdata/preset-distribution.yaml",
                                 "presetdata/preset-extras.yaml",
                                 "presetdata/preset-affixes.yaml",
                                 f"modifierdata/{prof.lower()}.yaml"],
                       "template": {"traits": trait_name, "distribution": dist_name,
                                    "extras": extras_name, "affixes": affix_name}},
            "profession": prof,
            "game_mode": mode,
            "weapon_type": weapon_type,
            "affixes": [a.lower() for a in av["affixes"]],
            "optimize_for": av["optimizeFor"].lower(),
            "distribution": dist,
            "infusions": {"primary": (inf[0]["type"] or None), "secondary": (inf[1]["type"] or None),
                          "max": 18, "primary_max": 18, "secondary_max": 18},
            "constraints": {},
            "modifiers": mods,
            "top": 10,
        }
        mbd = float(av.get("minBoonDuration") or 0)
        if mbd:
            preset["constraints"]["min_boon_duration"] = mbd
        if preset["infusions"]["primary"] is None:
            preset["infusions"] = None
        else:
            for k in ("primary", "secondary"):
                if preset["infusions"][k]:
                    preset["infusions"][k] = preset["infusions"][k].lower().replace(" ", "_")
        if override:
            preset.update(override)
        return preset

    realistic = ["buff:might", "buff:fury", "buff:protection", "buff:vulnerability",
                 "buff:jade-bot-base", "buff:jade-bot-per-tier", "buff:reinforced-armor"]
    presets = {
        "power-berserker": build(
            "Power Berserker GS A/A", "Berserker", "Power Berserker GS A/A",
            "Power Berserker GS A/A", "Power Berserker", "Power DPS (no dragon)",
            weapon_type="two_handed", buffs=realistic,
            description="Raid power DPS warrior (discretize template 'Power Berserker GS A/A')."),
        "condi-firebrand": build(
            "Condi Firebrand A/T P/P", "Firebrand", "Condi Firebrand Zeal",
            "Condi Firebrand A/T P/P (Allies)", "Condi Firebrand", "Condi DPS",
            weapon_type="dual_wield", buffs=realistic,
            description="Condition DPS guardian (discretize template 'Condi Firebrand A/T P/P')."),
        "wvw-support-firebrand": build(
            "WvW frontline support Firebrand", "Firebrand", "Heal Quickness Firebrand",
            "None", "Heal", "Heal (Raid)", weapon_type="two_handed", mode="wvw",
            buffs=["buff:might", "buff:fury", "buff:protection", "buff:reinforced-armor"],
            description=("WvW frontline support guardian derived from discretize's 'Heal "
                         "Quickness Firebrand' (WvW modifiers): maximise effective health with "
                         "at least 50% boon duration and 1000 healing power."),
            override={"affixes": ["minstrel", "harrier", "magi", "cleric", "knight", "soldier"],
                      "optimize_for": "survivability",
                      "constraints": {"min_boon_duration": 50, "min_healing_power": 1000},
                      "infusions": {"primary": "concentration", "secondary": "toughness",
                                    "max": 18, "primary_max": 18, "secondary_max": 18}}),
    }
    pdir = os.path.join(repo_root, "presets", "gear")
    os.makedirs(pdir, exist_ok=True)
    for fname, p in presets.items():
        with open(os.path.join(pdir, f"{fname}.json"), "w") as f:
            json.dump(p, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
