// The squad planner's state and everything done to it, as plain functions (unit tested):
// parties of up to 5 players, moves between them (keyboard buttons and drag and drop share
// `movePlayer`), and the conversions to and from the service's shapes — a saved team
// (TeamCreate/TeamOut), the squad optimizer's input and answer (POST /teams/optimize) and
// the synergy analyzer's input (POST /teams/synergy).
import type { Schemas } from '../../api/client';

export const PARTY_SIZE = 5;
export const MAX_PARTIES = 10;
export const MAX_PLAYERS = 50;

/** The squad engine's roles (its support profile table is keyed by them). */
export const SQUAD_ROLES = ['support', 'heal', 'quickness', 'alacrity', 'dps', 'strip'] as const;
export type SquadRole = (typeof SQUAD_ROLES)[number];

/** A build's roles (BuildCreate.role, SlotIn.role_override). */
export const BUILD_ROLES = ['dps', 'boon_dps', 'support', 'healer', 'tank', 'utility'] as const;
export type BuildRole = (typeof BUILD_ROLES)[number];

/** Team game modes (TeamCreate.game_mode). */
export const GAME_MODES = [
  'wvw_zerg',
  'wvw_guild_raid',
  'wvw_outnumbered',
  'wvw_roaming',
  'wvw',
  'raid',
  'strikes',
  'fractals',
  'pve',
  'pvp',
] as const;
export type GameMode = (typeof GAME_MODES)[number];

/** One build a player can bring: a saved build, or just a specialization and a role. */
export interface BuildChoice {
  buildId: string | null;
  /** The saved build's name (or a preset's build label). */
  buildName: string | null;
  /** English profession id ("Guardian"); empty when the build is hidden from the viewer. */
  profession: string;
  /** English specialization name, or the profession's for a core build. */
  specialization: string;
  role: SquadRole;
}

export interface Player {
  id: string;
  name: string;
  /** The build played now first is not required: `chosen` says which. */
  options: BuildChoice[];
  chosen: number;
}

export interface Squad {
  /** Parties in order (party 1 first), each at most PARTY_SIZE players. */
  parties: Player[][];
}

let counter = 0;
/** A new local id for a player (not sent to the service). */
export function newId(): string {
  counter += 1;
  return `p${Date.now().toString(36)}${counter}`;
}

export function emptySquad(parties = 2): Squad {
  return { parties: Array.from({ length: Math.max(1, Math.min(MAX_PARTIES, parties)) }, () => []) };
}

export function players(squad: Squad): Player[] {
  return squad.parties.flat();
}

export function playerCount(squad: Squad): number {
  return squad.parties.reduce((n, p) => n + p.length, 0);
}

export function current(player: Player): BuildChoice | undefined {
  return player.options[player.chosen] ?? player.options[0];
}

/** Where a player is: party index and position, or null. */
export function locate(squad: Squad, id: string): { party: number; index: number } | null {
  for (let party = 0; party < squad.parties.length; party++) {
    const index = squad.parties[party]!.findIndex((p) => p.id === id);
    if (index >= 0) return { party, index };
  }
  return null;
}

/** A name no other player has ("Player 3", or `wanted` with a number when taken). */
export function uniqueName(squad: Squad, wanted: string, fallback: string): string {
  const taken = new Set(players(squad).map((p) => p.name.trim().toLowerCase()));
  const base = wanted.trim().slice(0, 56) || fallback;
  if (!taken.has(base.toLowerCase()) && wanted.trim()) return base;
  for (let n = wanted.trim() ? 2 : 1; ; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** The first party with room, from `preferred` on; null when the squad is full. */
export function partyWithRoom(squad: Squad, preferred = 0): number | null {
  const n = squad.parties.length;
  for (let k = 0; k < n; k++) {
    const p = (preferred + k) % n;
    if (squad.parties[p]!.length < PARTY_SIZE) return p;
  }
  return null;
}

export type AddResult = { squad: Squad; party: number } | { error: 'full' };

/**
 * Adds a player to `party` (or the next party with room; a new party when all are full and
 * fewer than ten exist).
 */
export function addPlayer(squad: Squad, player: Player, party = 0): AddResult {
  if (playerCount(squad) >= MAX_PLAYERS) return { error: 'full' };
  let parties = squad.parties;
  let target = partyWithRoom(squad, Math.min(party, parties.length - 1));
  if (target === null) {
    if (parties.length >= MAX_PARTIES) return { error: 'full' };
    parties = [...parties, []];
    target = parties.length - 1;
  }
  return {
    squad: { parties: parties.map((p, i) => (i === target ? [...p, player] : p)) },
    party: target,
  };
}

/** Adds `option` to an existing player's builds (and makes it the one played). */
export function addOption(squad: Squad, id: string, option: BuildChoice): Squad {
  return mapPlayer(squad, id, (p) => ({ ...p, options: [...p.options, option], chosen: p.options.length }));
}

export function choose(squad: Squad, id: string, chosen: number): Squad {
  return mapPlayer(squad, id, (p) => ({ ...p, chosen: Math.max(0, Math.min(p.options.length - 1, chosen)) }));
}

export function removePlayer(squad: Squad, id: string): Squad {
  return { parties: squad.parties.map((p) => p.filter((m) => m.id !== id)) };
}

function mapPlayer(squad: Squad, id: string, f: (p: Player) => Player): Squad {
  return { parties: squad.parties.map((party) => party.map((p) => (p.id === id ? f(p) : p))) };
}

export function addParty(squad: Squad): Squad {
  if (squad.parties.length >= MAX_PARTIES) return squad;
  return { parties: [...squad.parties, []] };
}

/** Removes a party when it is empty (and not the last one left). */
export function removeParty(squad: Squad, party: number): Squad {
  if (squad.parties.length <= 1 || (squad.parties[party]?.length ?? 1) > 0) return squad;
  return { parties: squad.parties.filter((_, i) => i !== party) };
}

export interface Move {
  squad: Squad;
  /** The player who went the other way when the target party was full. */
  swappedWith: Player | null;
}

/**
 * Moves a player to `toParty` at `toIndex` (clamped). Into a full party, the player there at
 * `toIndex` (the last one when past the end) goes back to the mover's place: an exchange.
 */
export function movePlayer(squad: Squad, id: string, toParty: number, toIndex: number): Move {
  const from = locate(squad, id);
  if (!from || toParty < 0 || toParty >= squad.parties.length) return { squad, swappedWith: null };
  const parties = squad.parties.map((p) => [...p]);
  const source = parties[from.party]!;
  const [mover] = source.splice(from.index, 1);
  const target = parties[toParty]!;
  let swappedWith: Player | null = null;
  if (from.party !== toParty && target.length >= PARTY_SIZE) {
    const out = Math.max(0, Math.min(target.length - 1, toIndex));
    swappedWith = target.splice(out, 1)[0] ?? null;
    if (swappedWith) source.splice(from.index, 0, swappedWith);
  }
  const at = Math.max(0, Math.min(target.length, toIndex));
  target.splice(at, 0, mover!);
  return { squad: { parties }, swappedWith };
}

export type Step = 'up' | 'down' | 'previous' | 'next';

/** The keyboard moves: within the party (up/down) or to the end of the previous/next party. */
export function stepPlayer(squad: Squad, id: string, step: Step): Move & { party: number } {
  const at = locate(squad, id);
  if (!at) return { squad, swappedWith: null, party: -1 };
  switch (step) {
    case 'up':
      return { ...movePlayer(squad, id, at.party, at.index - 1), party: at.party };
    case 'down':
      return { ...movePlayer(squad, id, at.party, at.index + 1), party: at.party };
    case 'previous':
    case 'next': {
      const party = at.party + (step === 'next' ? 1 : -1);
      if (party < 0 || party >= squad.parties.length) return { squad, swappedWith: null, party: at.party };
      return { ...movePlayer(squad, id, party, PARTY_SIZE), party };
    }
  }
}

/** Whether a keyboard move does anything (its button is disabled otherwise). */
export function canStep(squad: Squad, id: string, step: Step): boolean {
  const at = locate(squad, id);
  if (!at) return false;
  switch (step) {
    case 'up':
      return at.index > 0;
    case 'down':
      return at.index < squad.parties[at.party]!.length - 1;
    case 'previous':
      return at.party > 0;
    case 'next':
      return at.party < squad.parties.length - 1;
  }
}

// ---- roles ----

/** Specializations whose boon role is quickness or alacrity in the engine's profile table. */
const QUICKNESS = new Set(['firebrand', 'herald', 'chronomancer', 'scrapper', 'catalyst', 'harbinger']);
const ALACRITY = new Set(['willbender', 'renegade', 'mirage', 'mechanist', 'tempest', 'scourge', 'berserker', 'specter']);
const STRIPPERS = new Set(['scourge', 'spellbreaker']);

/** The engine's role for a build's role played on `specialization`. */
export function squadRole(role: string | null | undefined, specialization: string): SquadRole {
  const spec = specialization.trim().toLowerCase();
  switch ((role ?? '').trim().toLowerCase()) {
    case 'healer':
    case 'heal':
      return 'heal';
    case 'boon_dps':
      return QUICKNESS.has(spec) ? 'quickness' : ALACRITY.has(spec) ? 'alacrity' : 'dps';
    case 'quickness':
      return 'quickness';
    case 'alacrity':
      return 'alacrity';
    case 'strip':
      return 'strip';
    case 'utility':
      return STRIPPERS.has(spec) ? 'strip' : 'support';
    case 'support':
    case 'tank':
      return 'support';
    default:
      return 'dps';
  }
}

/** A build's role for an engine role (the inverse of `squadRole` on the same spec). */
export function buildRole(role: SquadRole): BuildRole {
  switch (role) {
    case 'heal':
      return 'healer';
    case 'quickness':
    case 'alacrity':
      return 'boon_dps';
    case 'strip':
      return 'utility';
    case 'support':
      return 'support';
    case 'dps':
      return 'dps';
  }
}

/** The requirement template the squad engine uses for a team's game mode (as the service does). */
export function requirementsFor(gameMode: string): string {
  switch (gameMode) {
    case 'wvw':
    case 'wvw_zerg':
    case 'pvp':
      return 'wvw_zerg';
    case 'wvw_guild_raid':
      return 'wvw_guild_raid';
    case 'wvw_outnumbered':
      return 'wvw_outnumbered';
    case 'wvw_roaming':
      return 'wvw_roam';
    case 'raid':
      return 'raid';
    case 'strikes':
      return 'strike';
    default:
      return 'fractal';
  }
}

/** The team game mode of a requirement template (presets name a template). */
export function gameModeOf(template: string): GameMode {
  switch (template) {
    case 'raid':
      return 'raid';
    case 'strike':
      return 'strikes';
    case 'fractal':
      return 'fractals';
    case 'wvw_guild_raid':
      return 'wvw_guild_raid';
    case 'wvw_outnumbered':
      return 'wvw_outnumbered';
    case 'wvw_roam':
      return 'wvw_roaming';
    default:
      return 'wvw_zerg';
  }
}

// ---- the squad engine (POST /teams/optimize, POST /teams/synergy) ----

export interface EngineBuild {
  build: string;
  profession: string;
  specialization: string;
  role: string;
  preference?: number;
}

export interface SquadInput {
  players: { name: string; options: EngineBuild[] }[];
  requirements: string;
  party_count?: number;
}

export interface PlacedMember {
  player: string;
  build: string;
  profession: string;
  specialization: string;
  role: string;
  damage: number;
}

export interface CoverageEntry {
  resource: string;
  provided: number;
  target: number;
  coverage: number;
}

export interface Gap extends CoverageEntry {
  missing: number;
}

export interface PlanParty {
  party: number;
  members: PlacedMember[];
  coverage: CoverageEntry[];
  gaps: Gap[];
  score: number;
}

export interface SquadPlan {
  requirements: string;
  method: string;
  player_count: number;
  party_size: number;
  parties: PlanParty[];
  objective: number;
  upper_bound: number;
  bound_kind: string;
  optimality_gap: number;
  coverage_score: number;
  coverage_max: number;
  total_damage: number;
  warnings: string[];
}

export interface Overlap {
  resource: string;
  providers: string[];
  provided: number;
  target: number;
  excess: number;
  redundant: string[];
}

export interface PartyReport {
  party: number;
  members: PlacedMember[];
  coverage: CoverageEntry[];
  gaps: Gap[];
  overlaps: Overlap[];
  score: number;
}

export interface Suggestion {
  step: number;
  kind: string;
  text: string;
  players: string[];
  from_party?: number;
  to_party?: number;
  build?: string;
  gains: string[];
  losses: string[];
  score_gain: number;
}

export interface SynergyReport {
  requirements: string;
  parties: PartyReport[];
  suggestions: Suggestion[];
  coverage_score: number;
  coverage_max: number;
  objective: number;
  warnings: string[];
}

export interface SynergyInput {
  requirements: string;
  parties: {
    members: { player: string; build: EngineBuild; alternatives: EngineBuild[] }[];
  }[];
}

/**
 * The names a player's options go by in the engine (echoed back in plans and in suggestions'
 * text): the build's name, else its specialization and role; numbered when two are alike.
 */
export function optionKeys(player: Player): string[] {
  const seen = new Map<string, number>();
  return player.options.map((o) => {
    const base = (o.buildName?.trim() || `${o.specialization || o.profession} ${o.role}`).slice(0, 80);
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

function engineBuild(option: BuildChoice, key: string): EngineBuild {
  return {
    build: key,
    profession: option.profession,
    specialization: option.specialization || option.profession,
    role: option.role,
  };
}

/** Options the engine can read (a hidden build has no profession). */
function known(player: Player): { option: BuildChoice; index: number }[] {
  return player.options.map((option, index) => ({ option, index })).filter(({ option }) => option.profession !== '');
}

/**
 * The optimizer's input: every player with every build they can bring, in as many parties as
 * the planner uses (at least the fewest that fit everyone).
 */
export function toSquadInput(squad: Squad, gameMode: string): SquadInput {
  const readable = players(squad).filter((p) => known(p).length > 0).length;
  const used = squad.parties.filter((p) => p.length > 0).length;
  const partyCount = Math.min(readable, Math.max(Math.ceil(readable / PARTY_SIZE), used));
  return {
    requirements: requirementsFor(gameMode),
    ...(partyCount > 0 ? { party_count: partyCount } : {}),
    players: players(squad)
      .filter((p) => known(p).length > 0)
      .map((p) => ({
        name: p.name,
        // The build played now is the player's mild favourite.
        options: known(p).map(({ option, index }) => ({
          ...engineBuild(option, optionKeys(p)[index]!),
          preference: index === p.chosen ? 0.25 : 0,
        })),
      })),
  };
}

/**
 * Places everyone as the plan says (party order and builds). Players the plan does not name
 * keep their place after the planned ones; parties beyond the plan's stay (emptied).
 */
export function applyPlan(squad: Squad, plan: SquadPlan): Squad {
  const byName = new Map(players(squad).map((p) => [p.name, p]));
  const placed = new Set<string>();
  const count = Math.max(plan.parties.length, 1);
  const parties: Player[][] = Array.from({ length: Math.min(MAX_PARTIES, Math.max(count, squad.parties.length)) }, () => []);
  const ordered = [...plan.parties].sort((a, b) => a.party - b.party);
  ordered.forEach((party, i) => {
    for (const member of party.members) {
      const player = byName.get(member.player);
      if (!player || placed.has(player.id)) continue;
      const index = optionKeys(player).indexOf(member.build);
      parties[i]!.push({ ...player, chosen: index >= 0 ? index : player.chosen });
      placed.add(player.id);
    }
  });
  // Players the engine could not read (hidden builds) stay in the squad.
  for (const p of players(squad)) {
    if (placed.has(p.id)) continue;
    const room = parties.findIndex((party) => party.length < PARTY_SIZE);
    if (room >= 0) parties[room]!.push(p);
  }
  return { parties };
}

/**
 * The analyzer's input for the parties that have someone to analyze, and which party of the
 * squad each posted party is (`index[k]` = squad party of the report's party k + 1).
 */
export function toSynergyInput(squad: Squad, gameMode: string): { input: SynergyInput; index: number[] } {
  const index: number[] = [];
  const parties: SynergyInput['parties'] = [];
  squad.parties.forEach((party, p) => {
    const members = party
      .filter((player) => current(player)?.profession)
      .map((player) => {
        const chosen = player.options[player.chosen] ? player.chosen : 0;
        const keys = optionKeys(player);
        return {
          player: player.name,
          build: engineBuild(player.options[chosen]!, keys[chosen]!),
          alternatives: known(player)
            .filter(({ index: k }) => k !== chosen)
            .map(({ option, index: k }) => engineBuild(option, keys[k]!)),
        };
      });
    if (members.length > 0) {
      parties.push({ members });
      index.push(p);
    }
  });
  return { input: { requirements: requirementsFor(gameMode), parties }, index };
}

// ---- saved teams ----

export type TeamOut = Schemas['TeamOut'];
export type TeamCreate = Schemas['TeamCreate'];
export type SlotIn = Schemas['SlotIn'];
export type BuildOut = Schemas['BuildOut'];

export interface TeamMeta {
  name: string;
  description: string;
  gameMode: string;
  isPublic: boolean;
}

export function choiceFromBuild(build: BuildOut, roleOverride?: string | null): BuildChoice {
  const specialization = build.specialization || build.profession;
  return {
    buildId: build.id,
    buildName: build.name,
    profession: build.profession,
    specialization,
    role: squadRole(roleOverride ?? build.role, specialization),
  };
}

/** A saved team as the planner shows it (parties 1..highest used, at least 2). */
export function fromTeam(team: TeamOut): { squad: Squad; meta: TeamMeta } {
  const highest = team.slots.reduce((m, s) => Math.max(m, s.party), 0);
  const squad = emptySquad(Math.max(2, Math.min(MAX_PARTIES, highest)));
  const slots = [...team.slots].sort((a, b) => a.party - b.party || a.position - b.position);
  for (const slot of slots) {
    const party = squad.parties[Math.max(0, Math.min(squad.parties.length - 1, slot.party - 1))]!;
    const option: BuildChoice = slot.build
      ? choiceFromBuild(slot.build, slot.role_override)
      : {
          buildId: slot.build_id ?? null,
          buildName: null,
          profession: '',
          specialization: '',
          role: squadRole(slot.role_override, ''),
        };
    party.push({
      id: newId(),
      name: slot.player_name ?? `${slot.party}.${slot.position}`,
      options: [option],
      chosen: 0,
    });
  }
  return {
    squad,
    meta: {
      name: team.name,
      description: team.description ?? '',
      gameMode: team.game_mode,
      isPublic: team.is_public,
    },
  };
}

/** The role override a slot needs so its build plays `choice.role` (null when it already does). */
export function roleOverride(choice: BuildChoice, build: { role: string; specialization?: string | null; profession: string } | null): string | null {
  if (!build) return buildRole(choice.role);
  const spec = build.specialization || build.profession;
  return squadRole(build.role, spec) === choice.role ? null : buildRole(choice.role);
}

/**
 * The team to save: one slot per player with the build played now (party and position from
 * the planner). `builds` gives the role of known builds so an override is only sent when the
 * player plays another role than the build's own.
 */
export function toTeamCreate(squad: Squad, meta: TeamMeta, builds: Map<string, { role: string; specialization?: string | null; profession: string }>): TeamCreate {
  const slots: SlotIn[] = [];
  squad.parties.forEach((party, p) =>
    party.forEach((player, i) => {
      const choice = current(player);
      const buildId = choice?.buildId ?? null;
      slots.push({
        party: p + 1,
        position: i + 1,
        player_name: player.name.trim() || null,
        build_id: buildId,
        role_override: choice && choice.profession ? roleOverride(choice, buildId ? (builds.get(buildId) ?? null) : null) : null,
      });
    }),
  );
  return {
    name: meta.name.trim(),
    game_mode: meta.gameMode,
    description: meta.description.trim() || null,
    is_public: meta.isPublic,
    slots,
  };
}

/** A distinct (profession, specialization, role) a saved build must be created for. */
export function specKey(c: { profession: string; specialization: string; role: string }): string {
  return `${c.profession}|${c.specialization || c.profession}|${c.role}`.toLowerCase();
}

/** The builds to create before saving: players' current choices that have no saved build. */
export function missingBuilds(squad: Squad): BuildChoice[] {
  const seen = new Map<string, BuildChoice>();
  for (const p of players(squad)) {
    const c = current(p);
    if (!c || c.buildId || !c.profession) continue;
    const key = specKey(c);
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

/** Gives every current choice without a build the id created for its (profession, spec, role). */
export function attachBuilds(squad: Squad, created: Map<string, { id: string; name: string }>): Squad {
  return {
    parties: squad.parties.map((party) =>
      party.map((p) => {
        const c = current(p);
        if (!c || c.buildId) return p;
        const made = created.get(specKey(c));
        if (!made) return p;
        const options = p.options.map((o, i) => (i === (p.options[p.chosen] ? p.chosen : 0) ? { ...o, buildId: made.id, buildName: made.name } : o));
        return { ...p, options };
      }),
    ),
  };
}

/** Names the optimizer refuses: empty or taken twice (case and spaces aside). */
export function duplicateNames(squad: Squad): string[] {
  const seen = new Map<string, number>();
  for (const p of players(squad)) {
    const k = p.name.trim().toLowerCase();
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen.entries()].filter(([k, n]) => n > 1 || k === '').map(([k]) => k);
}

// ---- presets (presets/squad/*.json, the CLI's examples) ----

export interface PresetFile {
  requirements?: string;
  players: { name: string; options: { build: string; profession: string; specialization?: string; role?: string; preference?: number }[] }[];
}

/** A preset roster in parties of five, each player on their favourite option. */
export function fromPreset(preset: PresetFile): { squad: Squad; gameMode: GameMode } {
  const all: Player[] = preset.players.slice(0, MAX_PLAYERS).map((p) => {
    const options: BuildChoice[] = p.options.map((o) => ({
      buildId: null,
      buildName: o.build,
      profession: o.profession,
      specialization: o.specialization || o.profession,
      role: squadRole(o.role, o.specialization || o.profession),
    }));
    let chosen = 0;
    p.options.forEach((o, i) => {
      if ((o.preference ?? 0) > (p.options[chosen]?.preference ?? 0)) chosen = i;
    });
    return { id: newId(), name: p.name, options, chosen };
  });
  const parties: Player[][] = [];
  for (let i = 0; i < all.length; i += PARTY_SIZE) parties.push(all.slice(i, i + PARTY_SIZE));
  while (parties.length < 2) parties.push([]);
  return { squad: { parties }, gameMode: gameModeOf(preset.requirements ?? 'wvw_zerg') };
}
