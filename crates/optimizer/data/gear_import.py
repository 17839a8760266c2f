#!/usr/bin/env python3
"""Derives the gear optimizer's data from discretize-gear-optimizer's YAML (read-only reference).

Writes, in this project's own format (see crates/optimizer/src/gear/README.md):
  - crates/optimizer/data/gear_modifiers.json: runes, sigils, relics, food, utility and buffs
    (boons/effects) with their damage / attribute / conversion effects;
  - crates/optimizer/data/benchmarks.json: every trait and skill modifier per profession (keyed
    by the game's trait / skill id) and every build template (specialization, role, weapon type,
    measured damage distribution, enabled traits and skills, extras, candidate prefixes): the
    benchmarks a build's DPS is estimated with (crates/optimizer/src/benchmark);
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
    "Agony Resistance": "agony_resistance", "Alternative Power": "alternative_power",
    "Alternative Precision": "alternative_precision",
    "Alternative Ferocity": "alternative_ferocity",
}
PERCENT = {
    "Critical Chance": "critical_chance", "Boon Duration": "boon_duration",
    "Condition Duration": "condition_duration", "Bleeding Duration": "bleeding_duration",
    "Burning Duration": "burning_duration", "Confusion Duration": "confusion_duration",
    "Poison Duration": "poison_duration", "Torment Duration": "torment_duration",
    "Maximum Health": "maximum_health", "Outgoing Healing": "outgoing_healing",
    "Condition Duration Uncapped": "condition_duration_uncapped",
    "Alternative Critical Chance": "alternative_critical_chance",
    "Phantasm Critical Chance": "phantasm_critical_chance",
    "Clone Critical Chance": "clone_critical_chance",
}
for boon in ["Might", "Fury", "Quickness", "Alacrity", "Protection", "Regeneration", "Vigor",
             "Aegis", "Stability", "Swiftness", "Resistance", "Resolution"]:
    PERCENT[f"{boon} Duration"] = f"{boon.lower()}_duration"
COEFF = {
    "Power Coefficient": "power_coefficient", "Bleeding Coefficient": "bleeding_coefficient",
    "Burning Coefficient": "burning_coefficient", "Confusion Coefficient": "confusion_coefficient",
    "Poison Coefficient": "poison_coefficient", "Torment Coefficient": "torment_coefficient",
    "Flat DPS": "flat_dps", "NonCrit Power Coefficient": "non_crit_power_coefficient",
    "Power2 Coefficient": "power2_coefficient", "Siphon Coefficient": "siphon_coefficient",
    "Siphon Base Coefficient": "siphon_base_coefficient",
}
DAMAGE = {
    "Outgoing Strike Damage": "strike", "Outgoing Condition Damage": "condition",
    "Outgoing All Damage": "all", "Outgoing Critical Damage": "critical",
    "Outgoing Bleeding Damage": "bleeding", "Outgoing Burning Damage": "burning",
    "Outgoing Confusion Damage": "confusion", "Outgoing Poison Damage": "poison",
    "Outgoing Torment Damage": "torment", "Damage Reduction": "damage_reduction",
    "Outgoing Siphon Damage": "siphon", "Outgoing Alternative Damage": "alternative",
    "Outgoing Alternative Critical Damage": "alternative_critical",
    "Outgoing Phantasm Damage": "phantasm",
    "Outgoing Phantasm Critical Damage": "phantasm_critical",
    # older key spellings
    "Strike Damage": "strike", "Condition Damage": "condition", "All Damage": "all",
    "Critical Damage": "critical",
}
AFTER_BUFF_SOURCES = {"Critical Chance": "critical_chance",
                      "Clone Critical Chance": "clone_critical_chance",
                      "Phantasm Critical Chance": "phantasm_critical_chance"}
TWEAKS = {"infernoBurningDamage": "inferno_burning_damage",
          "sharpshooterBleedingDamage": "sharpshooter_bleeding_damage"}
# discretize extras.ts lifestealData: a food with `hasLifesteal` adds this much "Siphon Base
# Coefficient" per lifesteal proc per 10 s (the input's `lifesteal`, 4.3 by default there).
LIFESTEAL_SIPHON_PER_PROC = 325 / 10


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
                frm = (sources.get(src) or POINT.get(src) or PERCENT.get(src)
                       or COEFF.get(src) or {"Health": "health"}.get(src))
                if frm is None:
                    skipped.add(src)
                    continue
                out.setdefault(section, []).append({"to": to, "from": frm, "percent": pct(amount)})
    for key, on in (mods.get("calculationTweaks") or {}).items():
        if key in TWEAKS and on:
            out.setdefault("calculation_tweaks", []).append(TWEAKS[key])
        elif key not in TWEAKS:
            skipped.add(key)
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
        adv = ad.get("advancedUptimeSimulation")
        if adv is not None:
            # simulated in separate scenarios, not scaled (createScenarioTemplates.ts)
            corr = (adv or {}).get("correlation")
            entry["amount"]["advanced_uptime"] = {} if not corr else {
                "category": str(corr["category"]), "group": str(corr["group"]).lower()}
    entry["effects"] = effects(item.get("modifiers") or {}, skipped)
    if item.get("wvwModifiers"):
        entry["wvw_effects"] = effects(item["wvwModifiers"], skipped)
    if item.get("hasLifesteal"):
        entry["lifesteal"] = True
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

    def build(name, spec, trait_name, dist_name, extras_name, affix_name, *, weapon_type,
              mode="pve", buffs=(), pick=None, override=None, description=""):
        prof = prof_of_spec[spec]
        items = trait_items_of(md, prof)
        t = traits[trait_name]
        mods = []
        # buffs (boons, effects) by reference
        for b in buffs:
            mods.append(b)
        # extras: first choice of each category unless `pick` says otherwise
        mods.extend(extras_refs(extras[extras_name]["value"]["extras"], pick))
        # traits and skills, inlined
        enabled = visible_trait_items(t, items)
        enabled.update((t.get("skills") or {}).get("skills") or {})
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
    write_benchmarks(root, here, prof_of_spec)

    pdir = os.path.join(repo_root, "presets", "gear")
    os.makedirs(pdir, exist_ok=True)
    for fname, p in presets.items():
        with open(os.path.join(pdir, f"{fname}.json"), "w") as f:
            json.dump(p, f, indent=1)
            f.write("\n")


ROLE_WORDS = (("Heal", "healer"), ("Quickness", "boon_dps"), ("Alacrity", "boon_dps"),
              ("Boon", "boon_dps"))


def template_role(name):
    """The build role a template benchmarks, from its name (discretize's naming convention)."""
    for word, role in ROLE_WORDS:
        if name.startswith(word) or f" {word} " in f" {name} ":
            return role
    return "dps"


def visible_trait_items(template, items):
    """The trait items of a preset that discretize applies (its getTraitsModifiers): minor-trait
    items, and items whose game trait id is one of the selected traits. Items a template lists
    for traits it does not select are ignored, as in discretize."""
    selected = {int(x) for line in template["traits"]["selectedTraits"] for x in line if x}
    enabled = {}
    for group in template["traits"]["items"]:
        for iid, opts in group.items():
            item = items.get(iid, (None, None))[1]
            if item is None or opts is False:
                continue
            if item.get("minor") or item.get("gw2id") in selected:
                enabled[iid] = opts
    return enabled


_TRAIT_ITEMS = {}


def trait_items_of(md, profession):
    """discretize id → (section, item) of a profession's modifierdata file."""
    if profession not in _TRAIT_ITEMS:
        d = load(os.path.join(md, f"{profession.lower()}.yaml"))
        _TRAIT_ITEMS[profession] = {item["id"]: (sec, item) for sec, item in sections(d)}
    return _TRAIT_ITEMS[profession]


CAT_KIND = {"Runes": "rune", "Relics": "relic", "Sigil1": "sigil", "Sigil2": "sigil",
            "Enhancement": "utility", "Nourishment": "food"}


def extras_refs(categories, pick=None):
    """Library references for a preset's extras: per category its first choice (or `pick`'s),
    with the amount the preset gives; "no-item" choices are left out."""
    refs = []
    for cat, choices in categories.items():
        if not choices:
            continue
        cid = (pick or {}).get(cat) or next(iter(choices))
        if cid.startswith("no-item"):
            continue
        ref = {"id": f"{CAT_KIND[cat]}:{cid}"}
        amt = number((choices.get(cid) or {}).get("amount"))
        if amt is not None:
            ref["amount"] = amt
        refs.append(ref)
    return refs


def number(v):
    """An amount from a template; discretize leaves unknown ones blank or as '???' (= default)."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def trait_table(md, profession):
    """Every trait and skill modifier of a profession, keyed by discretize id, with the game id."""
    out = []
    for sec, item in sections(load(os.path.join(md, f"{profession.lower()}.yaml"))):
        e = convert_item(item, "trait")
        e.pop("unsupported", None)
        e["kind"] = "skill" if sec.get("section") == "Skills" else "trait"
        if item.get("gw2id") is not None:
            e["gw2id"] = int(item["gw2id"])
        if sec.get("id") is not None:
            e["line"] = int(sec["id"])
        if item.get("minor"):
            e["minor"] = True
        if item.get("defaultEnabled"):
            e["default_enabled"] = True
        out.append(e)
    return out


# discretize src/components/nav/changeTemplate (templateTransform): a template's boons per mode
DEFAULT_BOONS = {"fractals": {"Power": "Power (spotter)", "Condi": "Condi"},
                 "raids": {"Power": "Benchmark", "Condi": "Benchmark"}}
EXTRAS_CATEGORY = {"Runes": "runes", "Relics": "relic", "Sigil1": "sigil1", "Sigil2": "sigil2",
                   "Enhancement": "utility", "Nourishment": "food"}


def template_mode(build, mode, profession, presets, md, by_id):
    """A template as discretize loads it in `mode` (fractals, its default, or raids): the
    template's keys, overridden by the other mode's, then by this mode's (templateTransform),
    and the boons preset of its boon type for the mode. What the gear input of the template
    needs: boons (library ids; preset entries discretize no longer has are left out and
    listed), affix candidates, objective and boon constraints, infusions, and every extras
    candidate with its amount."""
    traits, dists, extras, affixes, infusions, buffs, buff_ids = presets
    other = "raid" if mode == "fractals" else "fractal"
    own = "fractal" if mode == "fractals" else "raid"
    merged = {**build, **(build.get(other) or {}), **(build.get(own) or {})}
    boons_name = DEFAULT_BOONS[mode].get(build["boonType"], build["boonType"])
    chosen = [k for k, on in buffs[boons_name]["value"].items() if on]
    aff = affixes.get(merged.get("priority") or "") or affixes["Power DPS"]
    inf = infusions[aff["infusions"]]["value"]
    inf_pair = [(i["type"] or "").lower().replace(" ", "_") or None for i in inf[:2]]
    cands = {}
    ex_name = merged.get("extras")
    for cat, choices in ((extras[ex_name]["value"]["extras"] if ex_name else {}) or {}).items():
        refs = []
        for cid, opts in (choices or {}).items():
            ref = {"id": f"{CAT_KIND[cat]}:{cid}"}
            amt = number((opts or {}).get("amount"))
            if amt is not None:
                ref["amount"] = amt
            refs.append(ref)
        if refs:
            cands[EXTRAS_CATEGORY[cat]] = refs
    av = aff["value"]
    t = traits[merged["traits"]]
    lines = [int(x) for x in t["traits"]["selectedLines"] if str(x).strip()]
    enabled = visible_trait_items(t, trait_items_of(md, profession))
    skills = (t.get("skills") or {}).get("skills") or {}
    mods = []
    # discretize's appliedModifiers order: buffs, skills, traits (then the extras)
    for group in (skills, {k: v for k, v in enabled.items() if k not in skills}):
        for iid, opts in group.items():
            if f"trait:{iid}" not in by_id:
                continue
            ref = {"id": f"trait:{iid}"}
            amt = number((opts or {}).get("amount"))
            if amt is not None:
                ref["amount"] = amt
            mods.append(ref)
    dv = dists[merged["distribution"]]["value"]["values2"]
    dist = {"power": dv["Power"], "power2": dv.get("Power2", 0), "burning": dv["Burning"],
            "bleeding": dv["Bleeding"], "poison": dv["Poisoned"], "torment": dv["Torment"],
            "confusion": dv["Confusion"]}
    out = {
        "traits": merged["traits"],
        "trait_lines": lines,
        "selected_traits": t["traits"]["selectedTraits"],
        "modifiers": mods,
        "distribution_preset": merged["distribution"],
        "distribution": {k: v for k, v in dist.items() if v},
        "boons": boons_name,
        "buffs": [f"buff:{k}" for k in chosen if k in buff_ids],
        "buffs_not_modelled": [k for k in chosen if k not in buff_ids],
        "priority": aff["name"],
        "affixes": [a.lower() for a in av["affixes"]],
        "optimize_for": av["optimizeFor"].lower(),
        "min_boon_duration": float(av.get("minBoonDuration") or 0),
        "min_quickness_duration": float(av.get("minQuicknessDuration") or 0),
        "infusions": None if inf_pair[0] is None else
        {"primary": inf_pair[0], "secondary": inf_pair[1]},
        "extras_preset": ex_name,
        "extras": cands,
    }
    return out


def write_benchmarks(root, here, professions_of):
    """benchmarks.json: trait tables per profession and one benchmark per discretize template."""
    md = os.path.join(root, "modifierdata")
    pd = os.path.join(root, "presetdata")
    traits = {t["name"]: t for t in load(os.path.join(pd, "preset-traits.yaml"))["list"]}
    dists = {t["name"]: t for t in load(os.path.join(pd, "preset-distribution.yaml"))["list"]}
    extras = {t["name"]: t for t in load(os.path.join(pd, "preset-extras.yaml"))["list"]}
    affixes = {t["name"]: t for t in load(os.path.join(pd, "preset-affixes.yaml"))["list"]}
    infusions = {t["name"]: t for t in load(os.path.join(pd, "preset-infusions.yaml"))["list"]}
    buffs = {t["name"]: t for t in load(os.path.join(pd, "preset-buffs.yaml"))["list"]}
    templates = load(os.path.join(pd, "templates.yaml"))["list"]
    buff_ids = {item["id"] for _sec, item in sections(load(os.path.join(md, "buffs.yaml")))}
    tables = {}
    for cls in templates:
        prof = cls["class"]
        if prof not in tables:
            tables[prof] = trait_table(md, prof)
    out_templates = []
    for cls in templates:
        prof = cls["class"]
        by_id = {e["id"]: e for e in tables[prof]}
        for b in cls["builds"]:
            t = traits.get(b.get("traits"))
            if t is None:
                continue  # a template without traits is a placeholder in discretize
            lines = [int(x) for x in t["traits"]["selectedLines"] if str(x).strip()]
            enabled = visible_trait_items(t, trait_items_of(md, prof))
            enabled.update((t.get("skills") or {}).get("skills") or {})
            mods = []
            for iid, opts in enabled.items():
                if f"trait:{iid}" not in by_id:
                    continue
                ref = {"id": f"trait:{iid}"}
                amt = number((opts or {}).get("amount"))
                if amt is not None:
                    ref["amount"] = amt
                mods.append(ref)
            ex_name = b.get("extras") or (b.get("raid") or {}).get("extras") \
                or (b.get("fractal") or {}).get("extras")
            ex = extras_refs(extras[ex_name]["value"]["extras"]) if ex_name else []
            dv = dists[b["distribution"]]["value"]["values2"]
            dist = {"power": dv["Power"], "power2": dv.get("Power2", 0),
                    "burning": dv["Burning"], "bleeding": dv["Bleeding"],
                    "poison": dv["Poisoned"], "torment": dv["Torment"],
                    "confusion": dv["Confusion"]}
            dist = {k: v for k, v in dist.items() if v}
            aff = affixes.get(b.get("priority") or "") or affixes["Power DPS"]
            inf = infusions[aff["infusions"]]["value"]
            inf_pair = [(i["type"] or "").lower().replace(" ", "_") or None for i in inf[:2]]
            out_templates.append({
                "id": b["id"],
                "name": b["name"],
                "profession": prof,
                "specialization": b["specialization"],
                "boon_type": b["boonType"].lower(),
                "role": template_role(b["name"]),
                "weapon_type": "two_handed" if b["weaponType"] == "Two-handed" else "dual_wield",
                "outdated": bool(b.get("outdated")),
                "distribution": dist,
                "trait_lines": lines,
                "selected_traits": t["traits"]["selectedTraits"],
                "modifiers": mods,
                "extras": ex,
                "affixes": [a.lower() for a in aff["value"]["affixes"]],
                "infusions": None if inf_pair[0] is None else
                {"primary": inf_pair[0], "secondary": inf_pair[1]},
            })
    presets = (traits, dists, extras, affixes, infusions, buffs, buff_ids)
    gear_templates = []
    for cls in templates:
        prof = cls["class"]
        by_id = {e["id"]: e for e in tables[prof]}
        for b in cls["builds"]:
            gear_templates.append({
                "id": b["id"],
                "name": b["name"],
                "profession": prof,
                "specialization": b["specialization"],
                "boon_type": b["boonType"].lower(),
                "weapon_type": "two_handed" if b["weaponType"] == "Two-handed" else "dual_wield",
                "outdated": bool(b.get("outdated")),
                "modes": {mode: template_mode(b, mode, prof, presets, md, by_id)
                          for mode in ("fractals", "raids")},
            })
    out = {
        "format": 1,
        "source": {
            "repository": REPO, "commit": COMMIT, "license": "GPL-3.0 (numbers are game facts)",
            "paths": ["presetdata/templates.yaml", "presetdata/preset-traits.yaml",
                      "presetdata/preset-distribution.yaml", "presetdata/preset-extras.yaml",
                      "presetdata/preset-affixes.yaml", "presetdata/preset-infusions.yaml",
                      "presetdata/preset-buffs.yaml", "modifierdata/<profession>.yaml"],
            "generator": "crates/optimizer/data/gear_import.py",
        },
        "buffs": [f"buff:{k}" for k, on in buffs["Realistic"]["value"].items() if on],
        "professions": tables,
        "templates": out_templates,
        # every template as a gear input needs it, per game mode (src/components/nav
        # templateTransform: fractals, discretize's default, and raids)
        "gear_templates": gear_templates,
    }
    with open(os.path.join(here, "benchmarks.json"), "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
