import { describe, expect, it } from 'vitest';
import { gradeLetter, gradeOf, heatClass, heatLevel, heatMap, reportHeatMap } from './heat';
import { messages } from './messages';
import { modeNames, resourceNames, roleNames } from './names';
import {
  addOption,
  addPlayer,
  applyPlan,
  attachBuilds,
  buildRole,
  canStep,
  duplicateNames,
  emptySquad,
  fromPreset,
  fromTeam,
  missingBuilds,
  movePlayer,
  optionKeys,
  requirementsFor,
  squadRole,
  stepPlayer,
  toSquadInput,
  toSynergyInput,
  toTeamCreate,
  uniqueName,
  type BuildChoice,
  type Player,
  type Squad,
  type SquadPlan,
  type SynergyReport,
  type TeamOut,
} from './squad';

const fb: BuildChoice = { buildId: null, buildName: null, profession: 'Guardian', specialization: 'Firebrand', role: 'support' };
const scourge: BuildChoice = { buildId: null, buildName: null, profession: 'Necromancer', specialization: 'Scourge', role: 'strip' };
const dh: BuildChoice = { buildId: 'b-dh', buildName: 'DH power', profession: 'Guardian', specialization: 'Dragonhunter', role: 'dps' };

function player(id: string, ...options: BuildChoice[]): Player {
  return { id, name: id.toUpperCase(), options: options.length ? options : [fb], chosen: 0 };
}

function squadOf(...parties: string[][]): Squad {
  return { parties: parties.map((p) => p.map((id) => player(id))) };
}

const ids = (s: Squad) => s.parties.map((p) => p.map((m) => m.id));

describe('moves', () => {
  it('moves a player between parties at a position', () => {
    const { squad, swappedWith } = movePlayer(squadOf(['a', 'b'], ['c']), 'a', 1, 0);
    expect(ids(squad)).toEqual([['b'], ['a', 'c']]);
    expect(swappedWith).toBeNull();
  });
  it('reorders within a party as a drop reports it (final index)', () => {
    expect(ids(movePlayer(squadOf(['a', 'b', 'c']), 'a', 0, 2).squad)).toEqual([['b', 'c', 'a']]);
    expect(ids(movePlayer(squadOf(['a', 'b', 'c']), 'c', 0, 0).squad)).toEqual([['c', 'a', 'b']]);
  });
  it('exchanges with a member of a full party', () => {
    const { squad, swappedWith } = movePlayer(squadOf(['a', 'b'], ['c', 'd', 'e', 'f', 'g']), 'b', 1, 2);
    expect(ids(squad)).toEqual([['a', 'e'], ['c', 'd', 'b', 'f', 'g']]);
    expect(swappedWith?.id).toBe('e');
  });
  it('keyboard steps: up, down, previous and next party', () => {
    const s = squadOf(['a', 'b'], ['c']);
    expect(ids(stepPlayer(s, 'b', 'up').squad)).toEqual([['b', 'a'], ['c']]);
    expect(ids(stepPlayer(s, 'a', 'down').squad)).toEqual([['b', 'a'], ['c']]);
    const next = stepPlayer(s, 'a', 'next');
    expect(ids(next.squad)).toEqual([['b'], ['c', 'a']]);
    expect(next.party).toBe(1);
    expect(ids(stepPlayer(s, 'c', 'previous').squad)).toEqual([['a', 'b', 'c'], []]);
  });
  it('says which steps are possible', () => {
    const s = squadOf(['a', 'b'], ['c']);
    expect(canStep(s, 'a', 'up')).toBe(false);
    expect(canStep(s, 'a', 'down')).toBe(true);
    expect(canStep(s, 'a', 'previous')).toBe(false);
    expect(canStep(s, 'a', 'next')).toBe(true);
    expect(canStep(s, 'c', 'next')).toBe(false);
    expect(canStep(s, 'nobody', 'up')).toBe(false);
  });
  it('ignores unknown players and parties', () => {
    const s = squadOf(['a']);
    expect(movePlayer(s, 'x', 0, 0).squad).toBe(s);
    expect(movePlayer(s, 'a', 3, 0).squad).toBe(s);
  });
});

describe('adding players', () => {
  it('fills the wanted party, then the next with room, then a new party', () => {
    let s = emptySquad(1);
    for (let i = 0; i < 5; i++) {
      const r = addPlayer(s, player(`p${i}`), 0);
      if ('error' in r) throw new Error('full');
      s = r.squad;
    }
    const r = addPlayer(s, player('p5'), 0);
    if ('error' in r) throw new Error('full');
    expect(r.party).toBe(1);
    expect(r.squad.parties.length).toBe(2);
  });
  it('refuses a 51st player', () => {
    const s: Squad = { parties: Array.from({ length: 10 }, (_, p) => Array.from({ length: 5 }, (_, i) => player(`p${p}-${i}`))) };
    expect(addPlayer(s, player('x'))).toEqual({ error: 'full' });
  });
  it('adds another build to a player and plays it', () => {
    const s = addOption(squadOf(['a']), 'a', scourge);
    expect(s.parties[0]![0]!.options).toHaveLength(2);
    expect(s.parties[0]![0]!.chosen).toBe(1);
  });
  it('makes names unique', () => {
    const s = squadOf(['ann']);
    expect(uniqueName(s, 'ANN', 'Player')).toBe('ANN 2');
    expect(uniqueName(s, '', 'Player')).toBe('Player 1');
    expect(uniqueName(s, 'Bo', 'Player')).toBe('Bo');
    expect(duplicateNames({ parties: [[player('a'), { ...player('b'), name: 'a' }]] })).toEqual(['a']);
  });
});

describe('roles', () => {
  it('maps build roles to the engine’s by specialization', () => {
    expect(squadRole('healer', 'Druid')).toBe('heal');
    expect(squadRole('boon_dps', 'Firebrand')).toBe('quickness');
    expect(squadRole('boon_dps', 'Renegade')).toBe('alacrity');
    expect(squadRole('boon_dps', 'Daredevil')).toBe('dps');
    expect(squadRole('utility', 'Spellbreaker')).toBe('strip');
    expect(squadRole('tank', 'Guardian')).toBe('support');
    expect(squadRole(null, 'x')).toBe('dps');
  });
  it('round-trips the engine roles through build roles', () => {
    const cases: [string, BuildChoice['role']][] = [
      ['Scrapper', 'quickness'],
      ['Tempest', 'alacrity'],
      ['Druid', 'heal'],
      ['Scourge', 'strip'],
      ['Firebrand', 'support'],
      ['Reaper', 'dps'],
    ];
    for (const [spec, role] of cases) expect(squadRole(buildRole(role), spec)).toBe(role);
  });
  it('uses the service’s requirement templates', () => {
    expect(requirementsFor('wvw')).toBe('wvw_zerg');
    expect(requirementsFor('wvw_roaming')).toBe('wvw_roam');
    expect(requirementsFor('strikes')).toBe('strike');
    expect(requirementsFor('pve')).toBe('fractal');
  });
});

describe('the squad engine', () => {
  const s: Squad = {
    parties: [[{ id: 'a', name: 'Ann', options: [fb, scourge], chosen: 1 }], [], [{ id: 'b', name: 'Bo', options: [dh], chosen: 0 }]],
  };
  it('sends every option, the played one preferred', () => {
    const input = toSquadInput(s, 'wvw_zerg');
    expect(input.requirements).toBe('wvw_zerg');
    // Two parties hold players: the plan keeps two.
    expect(input.party_count).toBe(2);
    expect(toSquadInput({ parties: [[player('a'), player('b')], [], []] }, 'raid').party_count).toBe(1);
    expect(toSquadInput(emptySquad(2), 'raid').party_count).toBeUndefined();
    expect(input.players[0]).toEqual({
      name: 'Ann',
      options: [
        { build: 'Firebrand support', profession: 'Guardian', specialization: 'Firebrand', role: 'support', preference: 0 },
        { build: 'Scourge strip', profession: 'Necromancer', specialization: 'Scourge', role: 'strip', preference: 0.25 },
      ],
    });
  });
  it('posts non-empty parties for synergy and remembers which they are', () => {
    const { input, index } = toSynergyInput(s, 'raid');
    expect(index).toEqual([0, 2]);
    expect(input.requirements).toBe('raid');
    expect(input.parties[0]!.members[0]!.build.specialization).toBe('Scourge');
    expect(input.parties[0]!.members[0]!.alternatives.map((a) => a.build)).toEqual(['Firebrand support']);
  });
  it('names options by build, else specialization and role, numbered when alike', () => {
    expect(optionKeys({ id: 'x', name: 'X', options: [fb, dh, fb], chosen: 0 })).toEqual(['Firebrand support', 'DH power', 'Firebrand support #2']);
  });
  it('applies a plan: parties and the builds chosen', () => {
    const plan = {
      parties: [
        { party: 1, members: [{ player: 'Bo', build: 'DH power' }, { player: 'Ann', build: 'Firebrand support' }], coverage: [], gaps: [], score: 0 },
      ],
    } as unknown as SquadPlan;
    const out = applyPlan(s, plan);
    expect(out.parties.map((p) => p.map((m) => m.name))).toEqual([['Bo', 'Ann'], [], []]);
    expect(out.parties[0]![1]!.chosen).toBe(0);
  });
});

describe('heat map and grade', () => {
  it('bands coverage into classes', () => {
    expect(heatLevel(1)).toBe('full');
    expect(heatLevel(0.8)).toBe('high');
    expect(heatLevel(0.5)).toBe('mid');
    expect(heatLevel(0.2)).toBe('low');
    expect(heatLevel(0)).toBe('none');
    expect(heatLevel(Number.NaN)).toBe('none');
    expect(heatClass(0.9)).toBe('heat heat-high');
    expect(heatClass(null)).toBe('heat heat-na');
  });
  it('grades like Team Commander', () => {
    expect(gradeLetter(0.95)).toBe('S');
    expect(gradeLetter(0.9)).toBe('A');
    expect(gradeLetter(0.7)).toBe('B');
    expect(gradeLetter(0.69)).toBe('C');
    expect(gradeOf(0, 0).letter).toBe('S');
    expect(gradeOf(13.2, 37).letter).toBe('C');
  });
  it('orders columns as the engine and rows by squad party', () => {
    const map = heatMap(
      [
        { coverage: [{ resource: 'might', provided: 10, target: 20, coverage: 0.5 }] },
        { coverage: [{ resource: 'stability', provided: 1, target: 1, coverage: 1 }] },
      ],
      [4, 1],
    );
    expect(map.columns).toEqual(['stability', 'might']);
    expect(map.rows.map((r) => r.party)).toEqual([1, 4]);
    expect(map.rows[0]!.cells[0]?.coverage).toBe(1);
    expect(map.rows[0]!.cells[1]).toBeNull();
  });
  it('maps an analyzer report back to squad parties', () => {
    const report = {
      parties: [
        { party: 2, coverage: [{ resource: 'fury', provided: 0, target: 1, coverage: 0 }] },
        { party: 1, coverage: [{ resource: 'fury', provided: 1, target: 1, coverage: 1 }] },
      ],
    } as unknown as SynergyReport;
    const map = reportHeatMap(report, [0, 3]);
    expect(map.rows.map((r) => [r.party, r.cells[0]?.coverage])).toEqual([
      [0, 1],
      [3, 0],
    ]);
  });
});

describe('saved teams', () => {
  const build = (id: string, role: string, specialization: string | null, profession = 'Guardian') =>
    ({ id, name: `B ${id}`, role, specialization, profession }) as unknown as NonNullable<TeamOut['slots'][number]['build']>;
  const team = {
    id: 't1',
    user_id: 'u1',
    author: 'me',
    name: 'Raid night',
    game_mode: 'wvw_zerg',
    description: null,
    is_public: false,
    slots: [
      { id: 's2', party: 3, position: 1, player_name: 'Cy', build_id: 'b2', role_override: null, build: build('b2', 'boon_dps', 'Scrapper', 'Engineer') },
      { id: 's1', party: 1, position: 1, player_name: 'Ann', build_id: 'b1', role_override: 'healer', build: build('b1', 'support', 'Firebrand') },
      { id: 's3', party: 1, position: 2, player_name: null, build_id: 'b3', role_override: null, build: null },
    ],
  } as unknown as TeamOut;

  it('reads a team into parties', () => {
    const { squad, meta } = fromTeam(team);
    expect(meta).toEqual({ name: 'Raid night', description: '', gameMode: 'wvw_zerg', isPublic: false });
    expect(squad.parties.map((p) => p.map((m) => m.name))).toEqual([['Ann', '1.2'], [], ['Cy']]);
    expect(squad.parties[0]![0]!.options[0]!.role).toBe('heal');
    expect(squad.parties[0]![1]!.options[0]!.profession).toBe('');
    expect(squad.parties[2]![0]!.options[0]!.role).toBe('quickness');
  });

  it('writes slots with overrides only where the role differs', () => {
    const { squad, meta } = fromTeam(team);
    const builds = new Map([
      ['b1', { role: 'support', specialization: 'Firebrand', profession: 'Guardian' }],
      ['b2', { role: 'boon_dps', specialization: 'Scrapper', profession: 'Engineer' }],
    ]);
    const body = toTeamCreate(squad, { ...meta, name: '  Raid night ' }, builds);
    expect(body.name).toBe('Raid night');
    expect(body.slots).toEqual([
      { party: 1, position: 1, player_name: 'Ann', build_id: 'b1', role_override: 'healer' },
      { party: 1, position: 2, player_name: '1.2', build_id: 'b3', role_override: null },
      { party: 3, position: 1, player_name: 'Cy', build_id: 'b2', role_override: null },
    ]);
  });

  it('creates one build per specialization and role, then attaches it', () => {
    const s: Squad = { parties: [[player('a', fb), player('b', fb), player('c', dh)], [player('d', scourge)]] };
    const missing = missingBuilds(s);
    expect(missing.map((m) => m.specialization)).toEqual(['Firebrand', 'Scourge']);
    const created = new Map([
      ['guardian|firebrand|support', { id: 'n1', name: 'Firebrand support' }],
      ['necromancer|scourge|strip', { id: 'n2', name: 'Scourge strip' }],
    ]);
    const out = attachBuilds(s, created);
    expect(out.parties.flat().map((p) => p.options[0]!.buildId)).toEqual(['n1', 'n1', 'b-dh', 'n2']);
  });
});

describe('presets', () => {
  it('reads a preset roster in parties of five on favourite builds', () => {
    const { squad, gameMode } = fromPreset({
      requirements: 'raid',
      players: Array.from({ length: 6 }, (_, i) => ({
        name: `P${i}`,
        options: [
          { build: 'a', profession: 'Guardian', specialization: 'Firebrand', role: 'quickness' },
          { build: 'b', profession: 'Ranger', specialization: 'Druid', role: 'heal', preference: 0.5 },
        ],
      })),
    });
    expect(gameMode).toBe('raid');
    expect(squad.parties.map((p) => p.length)).toEqual([5, 1]);
    expect(squad.parties[0]![0]!.chosen).toBe(1);
    expect(squad.parties[0]![0]!.options[1]!.role).toBe('heal');
  });
});

it('messages exist in both languages', () => {
  for (const table of [messages, resourceNames, roleNames, modeNames]) {
    expect(Object.keys(table.fr).sort()).toEqual(Object.keys(table.en).sort());
  }
});
