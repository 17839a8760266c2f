// The shapes the builds pages read. Builds, drafts and saved builds come from the generated
// OpenAPI types; the decoded chat code and the DPS estimate are documented by the service
// as free-form objects, so their fields are written out here (crates/gw2/src/chatcode,
// crates/optimizer/src/benchmark).
import type { Schemas } from '../../api/client';

export type BuildOut = Schemas['BuildOut'];
export type BuildDraft = Schemas['BuildCreate'];
export type BuildPage = Schemas['Page_BuildOut'];
export type Equipment = Schemas['Equipment'];
export type VoteResult = Schemas['VoteResult'];
export type SavedBuild = Schemas['SavedBuildOut'];
export type SavedBuildCreate = Schemas['SavedBuildCreate'];

/** `none` is also sent as a missing pick (null). */
export type TraitChoice = 'none' | 'top' | 'middle' | 'bottom';

export interface TraitPick {
  choice: TraitChoice;
  id: number;
  name?: string | null;
}

export interface SpecializationRef {
  id: number;
  name: string;
  elite: boolean;
  traits: (TraitPick | null)[];
}

export interface PaletteSkill {
  palette: number;
  skill_id?: number | null;
  name?: string | null;
}

export interface SkillBar {
  heal: PaletteSkill | null;
  utilities: (PaletteSkill | null)[];
  elite: PaletteSkill | null;
}

export interface PetRef {
  id: number;
  name: string;
}

export interface LegendRef {
  code: number;
  id: string;
  name: string;
}

/** What POST /api/v1/codes/decode answers in `build`. */
export interface BuildTemplate {
  profession: { code: number; name: string };
  specializations: (SpecializationRef | null)[];
  skills: { land: SkillBar; water: SkillBar };
  pets?: { land: (PetRef | null)[]; water: (PetRef | null)[] } | null;
  legends?: { land: (LegendRef | null)[]; water: (LegendRef | null)[] } | null;
  extension?: { weapons: { id: number; name: string }[]; skill_overrides: number[] } | null;
}

export interface DamageBreakdown {
  power: number;
  bleeding: number;
  burning: number;
  confusion: number;
  poison: number;
  torment: number;
  flat: number;
}

export interface BenchmarkRef {
  id: string;
  name: string;
  profession: string;
  specialization: string;
  role: string;
  boon_type?: string;
  weapon_type?: string;
  outdated?: boolean;
}

/** What GET /api/v1/builds/{id}/dps answers. */
export interface DpsEstimate {
  dps: number;
  damage: DamageBreakdown;
  benchmark: BenchmarkRef;
  compared: number;
  traits_from: 'build' | 'benchmark';
  traits_differing?: number | null;
  gear: Record<string, string>;
  filled_slots: string[];
  infusions: Record<string, number>;
  assumed: string[];
}

/** The export formats GET /api/v1/builds/{id}/export offers. */
export const EXPORT_FORMATS = ['json', 'markdown', 'chat_code'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
