// Test data for the gear area's unit tests: the real preset files and a slice of the game
// data's itemstats (as GET /api/v1/game/data answers them), and a result as the service
// answers it (`POST /optimize/gear` on presets/gear/condi-firebrand.json).
import condiText from '../../../../presets/gear/condi-firebrand.json?raw';
import powerText from '../../../../presets/gear/power-berserker.json?raw';
import supportText from '../../../../presets/gear/wvw-support-firebrand.json?raw';
import type { ItemStat } from '../../game/data';
import type { GearInput, GearResult } from './types';

export const powerPreset = JSON.parse(powerText) as GearInput;
export const condiPreset = JSON.parse(condiText) as GearInput;
export const supportPreset = JSON.parse(supportText) as GearInput;

export const itemstats: ItemStat[] = [
  { key: 'assassin', name: "Assassin's", category: 'Power DPS', major: ['precision'], minor: ['power', 'ferocity'] },
  { key: 'berserker', name: "Berserker's", category: 'Power DPS', major: ['power'], minor: ['precision', 'ferocity'] },
  { key: 'berserkervalkyrie', name: "Berserker's and Valkyrie", category: 'Misc', major: ['power'], minor: ['precision', 'ferocity'] },
  { key: 'celestial', name: 'Celestial', category: 'Hybrid', major: [], minor: ['power', 'precision'] },
  { key: 'dragon', name: "Dragon's", category: 'Power DPS', major: ['power', 'ferocity'], minor: ['precision', 'vitality'] },
  { key: 'harrier', name: "Harrier's", category: 'Healing', major: ['power'], minor: ['concentration', 'healing_power'] },
  { key: 'minstrel', name: "Minstrel's", category: 'Healing', major: ['toughness', 'healing_power'], minor: ['vitality', 'concentration'] },
  { key: 'sinister', name: 'Sinister', category: 'Condi DPS', major: ['condition_damage'], minor: ['power', 'precision'] },
  { key: 'viper', name: "Viper's", category: 'Condi DPS', major: ['power', 'condition_damage'], minor: ['precision', 'expertise'] },
];

export function result(rank: number, score: number, over: Partial<GearResult> = {}): GearResult {
  return {
    rank,
    score,
    dps: score,
    gear: {
      helm: "Viper's",
      shoulders: "Viper's",
      coat: "Viper's",
      gloves: "Viper's",
      leggings: "Viper's",
      boots: "Viper's",
      amulet: "Viper's",
      ring1: 'Sinister',
      ring2: 'Sinister',
      accessory1: "Viper's",
      accessory2: "Viper's",
      back: "Viper's",
      main_hand: "Viper's",
      off_hand: 'Sinister',
    },
    infusions: { condition_damage: 12, expertise: 6 },
    attributes: {
      power: 2402,
      precision: 1658,
      toughness: 1000,
      vitality: 1000,
      ferocity: 0,
      condition_damage: 2224,
      expertise: 1004.4,
      concentration: 0,
      healing_power: 0,
      critical_chance: 56.1904761904762,
      critical_damage: 150,
      boon_duration: 0,
      condition_duration: 66.96,
      health: 19212,
      armor: 2271,
      outgoing_healing: 0,
    },
    damage: { power: 5648.8, bleeding: 5382.6, burning: 29567.6, confusion: 0, poison: 0, torment: 767.1, flat: 0 },
    effective_power: 12000,
    effective_health: 43627000,
    survivability: 22179.5,
    healing: 390,
    ...over,
  };
}
