// The parties: drag and drop between them with SortableJS (loaded with this page only), and
// the same moves from the keyboard with buttons on every player.
import { useEffect, useRef } from 'preact/hooks';
import type Sortable from 'sortablejs';
import { useT } from '../../i18n';
import { messages } from './messages';
import { named, roleNames, specializationLabel } from './names';
import { canStep, current, PARTY_SIZE, type Player, type Squad, type Step } from './squad';

export interface PartiesProps {
  squad: Squad;
  /** A drop (or keyboard move) of `id` to `party` at `index`. */
  onMove: (id: string, party: number, index: number) => void;
  onStep: (id: string, step: Step) => void;
  onRemove: (id: string) => void;
  onChoose: (id: string, option: number) => void;
  onRemoveParty: (party: number) => void;
}

let sortableModule: Promise<typeof Sortable> | null = null;
function loadSortable() {
  sortableModule ??= import('sortablejs').then((m) => m.default);
  return sortableModule;
}

export function Parties(props: PartiesProps) {
  const { squad } = props;
  const lists = useRef<(HTMLOListElement | null)[]>([]);
  // The latest callback, for Sortable instances created once per party layout.
  const move = useRef(props.onMove);
  move.current = props.onMove;
  const count = squad.parties.length;
  useEffect(() => {
    let cancelled = false;
    const instances: Sortable[] = [];
    void loadSortable().then((SortableJs) => {
      if (cancelled) return;
      lists.current.slice(0, count).forEach((el) => {
        if (!el) return;
        instances.push(
          SortableJs.create(el, {
            group: 'squad-parties',
            handle: '.drag-handle',
            draggable: '.member',
            animation: 150,
            emptyInsertThreshold: 24,
            onEnd(evt) {
              const { item, from, to, oldIndex, newDraggableIndex } = evt;
              // Put the element back where Preact left it; the state change re-renders.
              item.remove();
              from.insertBefore(item, from.children[oldIndex ?? 0] ?? null);
              const party = Number((to as HTMLElement).dataset.party);
              const id = item.dataset.id;
              if (!id || Number.isNaN(party) || newDraggableIndex === undefined) return;
              if (from === to && evt.oldDraggableIndex === newDraggableIndex) return;
              move.current(id, party, newDraggableIndex);
            },
          }),
        );
      });
    });
    return () => {
      cancelled = true;
      for (const s of instances) s.destroy();
    };
  }, [count]);
  const t = useT(messages);
  return (
    <div class="parties">
      {squad.parties.map((party, p) => (
        <section class="card party" key={p} aria-labelledby={`party-${p}-title`}>
          <h3 id={`party-${p}-title`}>
            <span>{t('party', { n: p + 1 })}</span>
            <span class="muted">{t('partyCount', { count: party.length })}</span>
          </h3>
          <ol class="party-list" data-party={p} ref={(el) => {
              lists.current[p] = el;
            }}>
            {party.map((player) => (
              <Member key={player.id} {...props} player={player} party={p} />
            ))}
          </ol>
          {party.length === 0 && (
            <>
              <p class="party-empty muted">{t('emptyParty')}</p>
              {squad.parties.length > 1 && (
                <button type="button" class="link" onClick={() => props.onRemoveParty(p)}>
                  {t('removeParty', { n: p + 1 })}
                </button>
              )}
            </>
          )}
          {party.length > PARTY_SIZE && <p class="error">{t('partyCount', { count: party.length })}</p>}
        </section>
      ))}
    </div>
  );
}

function Member({ player, squad, party, onStep, onRemove, onChoose }: PartiesProps & { player: Player; party: number }) {
  const t = useT(messages);
  const r = useT(roleNames);
  const name = player.name;
  const choice = current(player);
  const steps: [Step, string, string][] = [
    ['up', '↑', t('moveUp', { name })],
    ['down', '↓', t('moveDown', { name })],
    ['previous', '←', t('movePrevious', { name, n: party })],
    ['next', '→', t('moveNext', { name, n: party + 2 })],
  ];
  return (
    <li class="member" data-id={player.id}>
      <span class="drag-handle" title={t('dragHandle', { name })} aria-hidden="true">
        ⠿
      </span>
      <div class="member-main">
        <strong>{name}</strong>
        {player.options.length > 1 ? (
          <select
            aria-label={t('buildOf', { name })}
            value={String(player.chosen)}
            onChange={(e) => onChoose(player.id, Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {player.options.map((o, i) => (
              <option key={i} value={String(i)}>
                {o.profession ? `${specializationLabel(o.specialization, o.profession)} · ${named(r, roleNames, o.role)}` : t('hiddenBuild')}
              </option>
            ))}
          </select>
        ) : (
          <span class="muted">
            {choice?.profession
              ? `${specializationLabel(choice.specialization, choice.profession)} · ${named(r, roleNames, choice.role)}`
              : choice?.buildId
                ? t('hiddenBuild')
                : t('noBuild')}
          </span>
        )}
        {choice?.buildId && choice.buildName && (
          <a class="muted" href={`/builds/${choice.buildId}`}>
            {choice.buildName}
          </a>
        )}
      </div>
      <div class="member-actions">
        {steps.map(([step, glyph, label]) => (
          <button
            key={step}
            type="button"
            class="secondary"
            data-step={step}
            aria-label={label}
            title={label}
            disabled={!canStep(squad, player.id, step)}
            onClick={() => onStep(player.id, step)}
          >
            {glyph}
          </button>
        ))}
        <button type="button" class="danger" data-step="remove" aria-label={t('remove', { name })} title={t('remove', { name })} onClick={() => onRemove(player.id)}>
          ✕
        </button>
      </div>
    </li>
  );
}
