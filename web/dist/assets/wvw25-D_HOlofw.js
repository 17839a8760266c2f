var e=`{
  "requirements": "wvw_zerg",
  "players": [
    {
      "name": "Aeris",
      "options": [
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
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
          "build": "druid-support",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "support"
        }
      ]
    },
    {
      "name": "Cyra",
      "options": [
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps",
          "preference": 0.5
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
      "name": "Doran",
      "options": [
        {
          "build": "scourge-strip",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "strip",
          "preference": 0.5
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
        },
        {
          "build": "reaper-power",
          "profession": "Necromancer",
          "specialization": "Reaper",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Evie",
      "options": [
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
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
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        }
      ]
    },
    {
      "name": "Faro",
      "options": [
        {
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "scrapper-support",
          "profession": "Engineer",
          "specialization": "Scrapper",
          "role": "support"
        },
        {
          "build": "catalyst-quick",
          "profession": "Elementalist",
          "specialization": "Catalyst",
          "role": "quickness"
        },
        {
          "build": "weaver-power",
          "profession": "Elementalist",
          "specialization": "Weaver",
          "role": "dps"
        }
      ]
    },
    {
      "name": "Gila",
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
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
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
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support",
          "preference": 0.5
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
      "name": "Nyx",
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
      "name": "Orin",
      "options": [
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
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
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
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
      "name": "Soren",
      "options": [
        {
          "build": "virtuoso-power",
          "profession": "Mesmer",
          "specialization": "Virtuoso",
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
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support"
        },
        {
          "build": "mirage-alac",
          "profession": "Mesmer",
          "specialization": "Mirage",
          "role": "alacrity"
        }
      ]
    },
    {
      "name": "Tova",
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
    },
    {
      "name": "Ulla",
      "options": [
        {
          "build": "herald-boon",
          "profession": "Revenant",
          "specialization": "Herald",
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
          "build": "fb-support",
          "profession": "Guardian",
          "specialization": "Firebrand",
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
          "build": "tempest-heal",
          "profession": "Elementalist",
          "specialization": "Tempest",
          "role": "support"
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
        }
      ]
    },
    {
      "name": "Wren",
      "options": [
        {
          "build": "chrono-boon",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "support",
          "preference": 0.5
        },
        {
          "build": "vindicator-power",
          "profession": "Revenant",
          "specialization": "Vindicator",
          "role": "dps"
        },
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity"
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
          "build": "spellbreaker-strip",
          "profession": "Warrior",
          "specialization": "Spellbreaker",
          "role": "strip"
        },
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps"
        }
      ]
    }
  ]
}`;export{e as default};