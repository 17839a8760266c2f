var e=`{
  "requirements": "wvw_zerg",
  "players": [
    {
      "name": "Aeris",
      "options": [
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Brak",
      "options": [
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        },
        {
          "build": "druid-support",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "support"
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        }
      ]
    },
    {
      "name": "Cyra",
      "options": [
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity",
          "preference": 0.5
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        },
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Doran",
      "options": [
        {
          "build": "harbinger-quick",
          "profession": "Necromancer",
          "specialization": "Harbinger",
          "role": "quickness",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "scourge-support",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "support"
        }
      ]
    },
    {
      "name": "Evie",
      "options": [
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Faro",
      "options": [
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        },
        {
          "build": "weaver-power",
          "profession": "Elementalist",
          "specialization": "Weaver",
          "role": "dps"
        },
        {
          "build": "catalyst-quick",
          "profession": "Elementalist",
          "specialization": "Catalyst",
          "role": "quickness"
        }
      ]
    },
    {
      "name": "Gila",
      "options": [
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "soulbeast-power",
          "profession": "Ranger",
          "specialization": "Soulbeast",
          "role": "dps"
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Hux",
      "options": [
        {
          "build": "fb-quick-dps",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "quickness",
          "preference": 0.5
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "wb-alac-dps",
          "profession": "Guardian",
          "specialization": "Willbender",
          "role": "alacrity"
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Ione",
      "options": [
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        },
        {
          "build": "mirage-alac",
          "profession": "Mesmer",
          "specialization": "Mirage",
          "role": "alacrity"
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        }
      ]
    },
    {
      "name": "Jarl",
      "options": [
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "daredevil-power",
          "profession": "Thief",
          "specialization": "Daredevil",
          "role": "dps"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Kael",
      "options": [
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        }
      ]
    },
    {
      "name": "Lyra",
      "options": [
        {
          "build": "druid-support",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        }
      ]
    },
    {
      "name": "Mott",
      "options": [
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        },
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity"
        },
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Nyx",
      "options": [
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "harbinger-quick",
          "profession": "Necromancer",
          "specialization": "Harbinger",
          "role": "quickness"
        },
        {
          "build": "scourge-support",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "support"
        }
      ]
    },
    {
      "name": "Orin",
      "options": [
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps"
        },
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Pike",
      "options": [
        {
          "build": "catalyst-quick",
          "profession": "Elementalist",
          "specialization": "Catalyst",
          "role": "quickness",
          "preference": 0.5
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        },
        {
          "build": "weaver-power",
          "profession": "Elementalist",
          "specialization": "Weaver",
          "role": "dps"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        }
      ]
    },
    {
      "name": "Quin",
      "options": [
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        },
        {
          "build": "soulbeast-power",
          "profession": "Ranger",
          "specialization": "Soulbeast",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Rhea",
      "options": [
        {
          "build": "wb-alac-dps",
          "profession": "Guardian",
          "specialization": "Willbender",
          "role": "alacrity",
          "preference": 0.5
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        },
        {
          "build": "fb-quick-dps",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "quickness"
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        }
      ]
    },
    {
      "name": "Soren",
      "options": [
        {
          "build": "mirage-alac",
          "profession": "Mesmer",
          "specialization": "Mirage",
          "role": "alacrity",
          "preference": 0.5
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        }
      ]
    },
    {
      "name": "Tova",
      "options": [
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "daredevil-power",
          "profession": "Thief",
          "specialization": "Daredevil",
          "role": "dps"
        },
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Ulla",
      "options": [
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        }
      ]
    },
    {
      "name": "Varn",
      "options": [
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "druid-support",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "support"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        }
      ]
    },
    {
      "name": "Wren",
      "options": [
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        },
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity"
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        }
      ]
    },
    {
      "name": "Xeno",
      "options": [
        {
          "build": "scourge-support",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "harbinger-quick",
          "profession": "Necromancer",
          "specialization": "Harbinger",
          "role": "quickness"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Yara",
      "options": [
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps"
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Zed",
      "options": [
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "weaver-power",
          "profession": "Elementalist",
          "specialization": "Weaver",
          "role": "dps"
        },
        {
          "build": "catalyst-quick",
          "profession": "Elementalist",
          "specialization": "Catalyst",
          "role": "quickness"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        }
      ]
    },
    {
      "name": "Abel",
      "options": [
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "soulbeast-power",
          "profession": "Ranger",
          "specialization": "Soulbeast",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Bryn",
      "options": [
        {
          "build": "wb-alac-dps",
          "profession": "Guardian",
          "specialization": "Willbender",
          "role": "alacrity",
          "preference": 0.5
        },
        {
          "build": "fb-quick-dps",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "quickness"
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Cato",
      "options": [
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "mirage-alac",
          "profession": "Mesmer",
          "specialization": "Mirage",
          "role": "alacrity"
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        }
      ]
    },
    {
      "name": "Dela",
      "options": [
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "daredevil-power",
          "profession": "Thief",
          "specialization": "Daredevil",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Eiko",
      "options": [
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        }
      ]
    },
    {
      "name": "Finn",
      "options": [
        {
          "build": "druid-support",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Garr",
      "options": [
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        },
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity"
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        }
      ]
    },
    {
      "name": "Hana",
      "options": [
        {
          "build": "scourge-support",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "harbinger-quick",
          "profession": "Necromancer",
          "specialization": "Harbinger",
          "role": "quickness"
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Ivo",
      "options": [
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Juno",
      "options": [
        {
          "build": "weaver-power",
          "profession": "Elementalist",
          "specialization": "Weaver",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "catalyst-quick",
          "profession": "Elementalist",
          "specialization": "Catalyst",
          "role": "quickness"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        }
      ]
    },
    {
      "name": "Kira",
      "options": [
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "soulbeast-power",
          "profession": "Ranger",
          "specialization": "Soulbeast",
          "role": "dps"
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Lars",
      "options": [
        {
          "build": "fb-quick-dps",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "quickness",
          "preference": 0.5
        },
        {
          "build": "wb-alac-dps",
          "profession": "Guardian",
          "specialization": "Willbender",
          "role": "alacrity"
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        }
      ]
    },
    {
      "name": "Mira",
      "options": [
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "mirage-alac",
          "profession": "Mesmer",
          "specialization": "Mirage",
          "role": "alacrity"
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Noor",
      "options": [
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        },
        {
          "build": "daredevil-power",
          "profession": "Thief",
          "specialization": "Daredevil",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Otto",
      "options": [
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Pia",
      "options": [
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "druid-support",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "support"
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        }
      ]
    },
    {
      "name": "Rook",
      "options": [
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        },
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity"
        },
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Sage",
      "options": [
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "scourge-support",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "support"
        },
        {
          "build": "harbinger-quick",
          "profession": "Necromancer",
          "specialization": "Harbinger",
          "role": "quickness"
        }
      ]
    },
    {
      "name": "Tam",
      "options": [
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip",
          "preference": 0.5
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Uma",
      "options": [
        {
          "build": "weaver-power",
          "profession": "Elementalist",
          "specialization": "Weaver",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
        },
        {
          "build": "catalyst-quick",
          "profession": "Elementalist",
          "specialization": "Catalyst",
          "role": "quickness"
        }
      ]
    },
    {
      "name": "Vale",
      "options": [
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "soulbeast-power",
          "profession": "Ranger",
          "specialization": "Soulbeast",
          "role": "dps"
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Wynn",
      "options": [
        {
          "build": "fb-quick-dps",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "quickness",
          "preference": 0.5
        },
        {
          "build": "wb-alac-dps",
          "profession": "Guardian",
          "specialization": "Willbender",
          "role": "alacrity"
        },
        {
          "build": "dh-power",
          "profession": "Guardian",
          "specialization": "Dragonhunter",
          "role": "dps"
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        }
      ]
    },
    {
      "name": "Yuri",
      "options": [
        {
          "build": "mirage-alac",
          "profession": "Mesmer",
          "specialization": "Mirage",
          "role": "alacrity",
          "preference": 0.5
        },
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
          "role": "dps"
        },
        {
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "support"
        },
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        }
      ]
    },
    {
      "name": "Zara",
      "options": [
        {
          "build": "daredevil-power",
          "profession": "Thief",
          "specialization": "Daredevil",
          "role": "dps",
          "preference": 0.5
        },
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip"
        },
        {
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        },
        {
          "build": "holo-power",
          "profession": "Engineer",
          "specialization": "Holosmith",
          "role": "dps"
        }
      ]
    }
  ]
}`;export{e as default};