// /builds/new (optionally ?code=[&DQ…]) and /builds/:id/edit: the build editor. It starts
// from a chat code, decoded by the service, which sets the profession, trait lines and skill
// bar (shown by name); the rest is typed in. The service's validation errors are shown on
// the field they name.
import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { Checkbox, ErrorNotice, Field, Select, TextArea, fieldError } from '../../components/forms';
import { RequireLogin } from '../../components/require-login';
import { useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import * as buildsApi from './api';
import { GAME_MODES, ROLES, type GameMode, type Role } from './filters';
import { messages } from './messages';
import {
  EMPTY_FORM,
  EDITOR_FIELDS,
  applyTemplate,
  draftFromForm,
  formFromBuild,
  formSlots,
  skillRows,
  traitRows,
  unshownError,
  withProfession,
  type BuildForm,
  type GearSlot,
} from './model';
import { useNames, type Names } from './names';
import type { BuildOut, BuildTemplate } from './types';
import { SkillTable, TraitTables, modeLabel, roleLabel, type T } from './widgets';

export function NewBuild() {
  const t = useT(messages);
  useTitle(t('newTitle'));
  const { query } = useLocation();
  const names = useNames();
  return (
    <section>
      <h1>{t('newTitle')}</h1>
      <RequireLogin>
        {() => <Loaded state={names}>{(n) => <Editor names={n} initialCode={query.code ?? ''} />}</Loaded>}
      </RequireLogin>
    </section>
  );
}

export function EditBuild() {
  const t = useT(messages);
  const { params } = useRoute();
  const id = params.id ?? '';
  const names = useNames();
  const loaded = useAsync(async () => {
    const build = await buildsApi.getBuild(id);
    const chatCode = await buildsApi.chatCodeOf(id).catch(() => '');
    const template = chatCode ? await buildsApi.decodeCode(chatCode).catch(() => null) : null;
    return { build, chatCode, template };
  }, [id, user.value?.id]);
  const name = loaded.data?.build.name ?? '';
  useTitle(t('editTitle', { name }));
  return (
    <section>
      <h1>{t('editTitle', { name })}</h1>
      <RequireLogin>
        {() => (
          <Loaded state={loaded}>
            {({ build, chatCode, template }) => (
              <Loaded state={names}>
                {(n) =>
                  user.value && (user.value.id === build.user_id || user.value.is_superuser) ? (
                    <Editor names={n} build={build} initialCode={chatCode} initialTemplate={template} />
                  ) : (
                    <p class="error">{t('notYours')}</p>
                  )
                }
              </Loaded>
            )}
          </Loaded>
        )}
      </RequireLogin>
    </section>
  );
}

function Editor({
  names,
  build,
  initialCode,
  initialTemplate = null,
}: {
  names: Names;
  build?: BuildOut;
  initialCode: string;
  initialTemplate?: BuildTemplate | null;
}) {
  const t = useT(messages);
  const { route } = useLocation();
  const [form, setForm] = useState<BuildForm>(() => (build ? formFromBuild(build, (s) => names.statKey(s)) : EMPTY_FORM));
  const [code, setCode] = useState(initialCode);
  const [template, setTemplate] = useState<BuildTemplate | null>(initialTemplate);
  const [codeError, setCodeError] = useState<unknown>(null);
  const [codeStatus, setCodeStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [setAll, setSetAll] = useState('');
  const set = <K extends keyof BuildForm>(key: K, value: BuildForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const readCode = async (text: string) => {
    setCodeError(null);
    setCodeStatus(null);
    try {
      const decoded = await buildsApi.decodeCode(text.trim());
      setTemplate(decoded);
      setForm((f) => {
        const next = applyTemplate(f, decoded);
        return next.name.trim() ? next : { ...next, name: names.professionAndSpec(next.profession, next.specialization || null) };
      });
      const elite = decoded.specializations.find((s) => s?.elite);
      setCodeStatus(t('codeRead', { what: names.professionAndSpec(decoded.profession.name, elite?.name ?? null) }));
    } catch (err) {
      setCodeError(err);
    }
  };
  // A code given in the address (from the home page) is read at once.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || build || !initialCode.trim()) return;
    started.current = true;
    void readCode(initialCode);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const draft = draftFromForm(form);
      const saved = build ? await buildsApi.replaceBuild(build.id, draft) : await buildsApi.createBuild(draft);
      route(`/builds/${saved.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fe = (field: string) => fieldError(error, field);
  const specOptions = form.profession ? names.specOptions(form.profession, true) : [];
  const statOptions = [{ value: '', label: t('emptySlot') }, ...names.statOptions()];

  return (
    <form class="editor" onSubmit={submit} noValidate>
      <section class="card" aria-labelledby="code-h">
        <h2 id="code-h">{t('startFromCode')}</h2>
        <div class="code-row">
          <Field
            label={t('codeLabel')}
            name="chat_code"
            value={code}
            onInput={setCode}
            placeholder="[&DQ…]"
            hint={t('codeHint')}
            error={fieldError(codeError, 'code') ?? fieldError(codeError, 'chat_code')}
          />
          <button type="button" class="secondary" disabled={!code.trim()} onClick={() => void readCode(code)}>
            {t('readCode')}
          </button>
        </div>
        <ErrorNotice error={fieldError(codeError, 'code') || fieldError(codeError, 'chat_code') ? null : codeError} />
        {codeStatus && (
          <p role="status" class="ok">
            {codeStatus}
          </p>
        )}
      </section>

      <section class="card" aria-labelledby="about-h">
        <h2 id="about-h">{t('aboutBuild')}</h2>
        <Field label={t('name')} name="name" value={form.name} onInput={(v) => set('name', v)} maxLength={100} error={fe('name')} />
        <TextArea
          label={t('description')}
          name="description"
          value={form.description}
          onInput={(v) => set('description', v)}
          rows={5}
          error={fe('description')}
        />
        <div class="row">
          <Select<GameMode>
            label={t('gameMode')}
            value={form.game_mode}
            options={GAME_MODES.map((m) => ({ value: m, label: modeLabel(t, m) }))}
            onChange={(v) => set('game_mode', v)}
            error={fe('game_mode')}
          />
          <Select<Role>
            label={t('role')}
            value={form.role}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
            onChange={(v) => set('role', v)}
            error={fe('role')}
          />
        </div>
        <Checkbox label={t('visibility')} checked={form.is_public} onChange={(v) => set('is_public', v)} />
        <p class="muted small">{t('visibilityHint')}</p>
        <Field label={t('tags')} name="tags" value={form.tags} onInput={(v) => set('tags', v)} hint={t('tagsHint')} error={fe('tags')} />
        <div class="row">
          <Field label={t('synergies')} value={form.synergies} onInput={(v) => set('synergies', v)} hint={t('listHint')} error={fe('synergies')} />
          <Field label={t('counters')} value={form.counters} onInput={(v) => set('counters', v)} hint={t('listHint')} error={fe('counters')} />
        </div>
      </section>

      <section class="card" aria-labelledby="traits-h">
        <h2 id="traits-h">{t('traitsAndSkills')}</h2>
        <div class="row">
          <Select<string>
            label={t('profession')}
            value={form.profession}
            options={[{ value: '', label: t('choose') }, ...names.professionOptions()]}
            onChange={(v) => setForm((f) => withProfession(f, v))}
            error={fe('profession')}
          />
          <Select<string>
            label={t('specialization')}
            value={form.specialization}
            options={[{ value: '', label: t('coreSpecialization') }, ...specOptions]}
            onChange={(v) => set('specialization', v)}
            error={fe('specialization')}
          />
        </div>
        <p class="muted small">{t('traitsFromCode')}</p>
        <h3>{t('traits')}</h3>
        <TraitTables rows={traitRows(form.trait_lines, names)} />
        {fe('trait_lines') && <p class="field-error">{fe('trait_lines')}</p>}
        <h3>{t('skills')}</h3>
        <SkillTable rows={skillRows(form.skills, template, names)} legends={form.skills.legends} pets={form.skills.pets} />
        {fe('skills') && <p class="field-error">{fe('skills')}</p>}
      </section>

      <GearSection
        t={t}
        form={form}
        setForm={setForm}
        statOptions={statOptions}
        setAll={setAll}
        setSetAll={setSetAll}
        fe={fe}
      />

      <ErrorNotice error={unshownError(error, EDITOR_FIELDS)} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : t('saveBuild')}
        </button>
        <a href={build ? `/builds/${build.id}` : '/builds'}>{t('cancel')}</a>
      </div>
    </form>
  );
}

function GearSection({
  t,
  form,
  setForm,
  statOptions,
  setAll,
  setSetAll,
  fe,
}: {
  t: T;
  form: BuildForm;
  setForm: (update: (f: BuildForm) => BuildForm) => void;
  statOptions: { value: string; label: string }[];
  setAll: string;
  setSetAll: (v: string) => void;
  fe: (field: string) => string | undefined;
}) {
  const slots = formSlots(form.twoHanded);
  const setSlot = (slot: GearSlot, value: string) => setForm((f) => ({ ...f, gear: { ...f.gear, [slot]: value } }));
  const set = (key: 'runes' | 'relic' | 'food' | 'utility' | 'sigils' | 'infusions', value: string) =>
    setForm((f) => ({ ...f, [key]: value }));
  return (
    <section class="card" aria-labelledby="gear-h">
      <h2 id="gear-h">{t('gear')}</h2>
      <p class="muted small">{t('gearHint')}</p>
      <Checkbox label={t('twoHanded')} checked={form.twoHanded} onChange={(v) => setForm((f) => ({ ...f, twoHanded: v }))} />
      <div class="code-row set-all">
        <Select<string> label={t('setAll')} value={setAll} options={statOptions} onChange={setSetAll} />
        <button
          type="button"
          class="secondary"
          onClick={() =>
            setForm((f) => ({ ...f, gear: Object.fromEntries(formSlots(f.twoHanded).map((s) => [s, setAll])) }))
          }
        >
          {t('setAllButton')}
        </button>
      </div>
      <div class="gear-grid">
        {slots.map((slot) => (
          <Select<string>
            key={slot}
            label={t(`gear_${slot}`)}
            value={form.gear[slot] ?? ''}
            options={statOptions}
            onChange={(v) => setSlot(slot, v)}
            error={fe(`equipment.gear.${slot}`)}
          />
        ))}
      </div>
      <h3>{t('extras')}</h3>
      <div class="gear-grid">
        <Field label={t('extra_runes')} value={form.runes} onInput={(v) => set('runes', v)} error={fe('equipment.runes')} />
        <Field label={t('extra_relic')} value={form.relic} onInput={(v) => set('relic', v)} error={fe('equipment.relic')} />
        <Field
          label={t('extra_sigils')}
          value={form.sigils}
          onInput={(v) => set('sigils', v)}
          hint={t('sigilsHint')}
          error={fe('equipment.sigils')}
        />
        <Field
          label={t('extra_infusions')}
          value={form.infusions}
          onInput={(v) => set('infusions', v)}
          hint={t('infusionsHint')}
          error={fe('equipment.infusions')}
        />
        <Field label={t('extra_food')} value={form.food} onInput={(v) => set('food', v)} error={fe('equipment.food')} />
        <Field label={t('extra_utility')} value={form.utility} onInput={(v) => set('utility', v)} error={fe('equipment.utility')} />
      </div>
    </section>
  );
}
