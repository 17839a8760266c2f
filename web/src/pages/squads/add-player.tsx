// Adding a player (or another build for a player): a saved build found by a search of my
// and public builds, or just a profession, a specialization and a role.
import { useEffect, useState } from 'preact/hooks';
import { user } from '../../api/session';
import { ErrorNotice, Field, Select, Checkbox } from '../../components/forms';
import { useT } from '../../i18n';
import { common } from '../../i18n/common';
import { messages } from './messages';
import {
  named,
  professionOptions,
  roleNames,
  specializationLabel,
  specializationOptions,
} from './names';
import { game } from '../../game/data';
import { searchBuilds } from './remote';
import { choiceFromBuild, PARTY_SIZE, players, SQUAD_ROLES, type BuildChoice, type BuildOut, type Squad, type SquadRole } from './squad';

export interface AddTarget {
  /** A new player in this party, or another build for this player. */
  party: number | null;
  playerId: string | null;
}

export function AddPlayer({
  squad,
  onAdd,
}: {
  squad: Squad;
  onAdd: (target: AddTarget, name: string, choice: BuildChoice, build: BuildOut | null) => void;
}) {
  const t = useT(messages);
  const r = useT(roleNames);
  const en = game.value;
  const firstRoom = Math.max(0, squad.parties.findIndex((p) => p.length < PARTY_SIZE));
  const [target, setTarget] = useState(`party:${firstRoom}`);
  const [name, setName] = useState('');
  const [source, setSource] = useState<'spec' | 'build'>('spec');
  const [profession, setProfession] = useState('');
  const [specialization, setSpecialization] = useState('');
  const [role, setRole] = useState<SquadRole>('dps');

  // Keep the target valid when parties fill up or players leave.
  const targets = [
    ...squad.parties
      .map((p, i) => ({ value: `party:${i}`, label: t('newPlayerIn', { n: i + 1 }), room: p.length < PARTY_SIZE }))
      .filter((o) => o.room),
    ...players(squad).map((p) => ({ value: `player:${p.id}`, label: t('alternativeFor', { name: p.name }) })),
  ];
  const valid = targets.some((o) => o.value === target) ? target : (targets[0]?.value ?? '');
  const forPlayer = valid.startsWith('player:');
  const decoded: AddTarget = forPlayer
    ? { party: null, playerId: valid.slice('player:'.length) }
    : { party: Number(valid.slice('party:'.length)) || 0, playerId: null };

  const professions = professionOptions(en);
  const specs = specializationOptions(en, profession, t('core'));
  const spec = specs.some((s) => s.value === specialization) ? specialization : (specs[0]?.value ?? '');

  const add = (choice: BuildChoice, build: BuildOut | null) => {
    onAdd(decoded, name, choice, build);
    setName('');
  };

  return (
    <div class="card">
      <h2 id="add-title">{t('addTitle')}</h2>
      {targets.length === 0 ? (
        <p class="muted">{t('squadFull')}</p>
      ) : (
        <>
          <div class="row">
            <Select label={t('addAs')} value={valid} options={targets} onChange={setTarget} />
            {!forPlayer && <Field label={t('playerName')} value={name} onInput={setName} maxLength={60} placeholder={t('playerDefault')} />}
            <Select<'spec' | 'build'>
              label={t('source')}
              value={source}
              options={[
                { value: 'spec', label: t('fromSpec') },
                { value: 'build', label: t('fromBuild') },
              ]}
              onChange={setSource}
            />
          </div>
          {source === 'spec' ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (!profession || !spec) return;
                add({ buildId: null, buildName: null, profession, specialization: spec, role }, null);
              }}
            >
              <div class="row">
                <Select
                  label={t('profession')}
                  value={profession}
                  options={[{ value: '', label: t('chooseProfession') }, ...professions]}
                  onChange={(v) => {
                    setProfession(v);
                    setSpecialization('');
                  }}
                />
                <Select label={t('specialization')} value={spec} options={specs} onChange={setSpecialization} />
                <Select<SquadRole>
                  label={t('role')}
                  value={role}
                  options={SQUAD_ROLES.map((v) => ({ value: v, label: named(r, roleNames, v) }))}
                  onChange={setRole}
                />
              </div>
              <button type="submit" disabled={!profession}>
                {t('add')}
              </button>
            </form>
          ) : (
            <BuildSearch onPick={(b) => add(choiceFromBuild(b), b)} />
          )}
        </>
      )}
    </div>
  );
}

function BuildSearch({ onPick }: { onPick: (build: BuildOut) => void }) {
  const t = useT(messages);
  const c = useT(common);
  const r = useT(roleNames);
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(false);
  const [state, setState] = useState<{ items?: BuildOut[]; error?: unknown; loading: boolean }>({ loading: false });
  const me = user.value?.username ?? null;
  const run = async (query: string, onlyMine: boolean) => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const page = await searchBuilds(query, onlyMine ? me : null);
      setState({ items: page.items, loading: false });
    } catch (error) {
      setState({ error, loading: false });
    }
  };
  useEffect(() => {
    void run('', false);
  }, []);
  return (
    <div>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run(q, mine);
        }}
      >
        <Field label={t('searchBuilds')} value={q} onInput={setQ} hint={t('searchHint')} inputMode="search" />
        {me && <Checkbox label={t('onlyMine')} checked={mine} onChange={setMine} />}
        <button type="submit">{t('search')}</button>
      </form>
      <ErrorNotice error={state.error} />
      {state.loading && (
        <p class="muted" aria-busy="true">
          {c('loading')}
        </p>
      )}
      {state.items && state.items.length === 0 && <p class="muted">{t('noBuilds')}</p>}
      {state.items && state.items.length > 0 && (
        <ul class="results" aria-label={t('buildsFound')}>
          {state.items.map((b) => {
            const choice = choiceFromBuild(b);
            return (
              <li key={b.id}>
                <span>
                  <strong>{b.name}</strong>{' '}
                  <span class="muted">
                    {specializationLabel(choice.specialization, choice.profession)} · {named(r, roleNames, choice.role)} · {b.author}
                  </span>
                </span>
                <button type="button" class="secondary" onClick={() => onPick(b)}>
                  {t('pick', { name: b.name })}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
