var e=`{
  "requirements": "raid",
  "players": [
    {
      "name": "Aria",
      "options": [
        {
          "build": "fb-heal-quick",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "heal"
        },
        {
          "build": "fb-quick-dps",
          "profession": "Guardian",
          "specialization": "Firebrand",
          "role": "quickness"
        }
      ]
    },
    {
      "name": "Bram",
      "options": [
        {
          "build": "druid-heal-alac",
          "profession": "Ranger",
          "specialization": "Druid",
          "role": "heal",
          "preference": 1.0
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
      "name": "Cass",
      "options": [
        {
          "build": "ren-alac-dps",
          "profession": "Revenant",
          "specialization": "Renegade",
          "role": "alacrity"
        },
        {
          "build": "herald-quick-dps",
          "profession": "Revenant",
          "specialization": "Herald",
          "role": "quickness"
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
      "name": "Dain",
      "options": [
        {
          "build": "mech-alac-dps",
          "profession": "Engineer",
          "specialization": "Mechanist",
          "role": "alacrity"
        },
        {
          "build": "mech-heal-alac",
          "profession": "Engineer",
          "specialization": "Mechanist",
          "role": "heal"
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
      "name": "Elin",
      "options": [
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
      "name": "Fenn",
      "options": [
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
          "build": "chrono-heal",
          "profession": "Mesmer",
          "specialization": "Chronomancer",
          "role": "heal"
        }
      ]
    },
    {
      "name": "Gwen",
      "options": [
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
          "build": "scourge-alac",
          "profession": "Necromancer",
          "specialization": "Scourge",
          "role": "alacrity"
        }
      ]
    },
    {
      "name": "Hale",
      "options": [
        {
          "build": "berserker-power",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "dps"
        },
        {
          "build": "berserker-alac",
          "profession": "Warrior",
          "specialization": "Berserker",
          "role": "alacrity"
        }
      ]
    },
    {
      "name": "Isla",
      "options": [
        {
          "build": "soulbeast-power",
          "profession": "Ranger",
          "specialization": "Soulbeast",
          "role": "dps"
        }
      ],
      "preference_weight": 0.5
    },
    {
      "name": "Joss",
      "options": [
        {
          "build": "daredevil-power",
          "profession": "Thief",
          "specialization": "Daredevil",
          "role": "dps"
        },
        {
          "build": "specter-alac",
          "profession": "Thief",
          "specialization": "Specter",
          "role": "alacrity"
        },
        {
          "build": "specter-heal-alac",
          "profession": "Thief",
          "specialization": "Specter",
          "role": "heal"
        }
      ]
    }
  ]
}`;export{e as default};