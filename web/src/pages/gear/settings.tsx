// The settings form: objective and loadout, candidate prefixes, forced slots, infusions,
// constraints, the target, and (read only) the input's rotation and modifiers.
import { useId, useState } from 'preact/hooks';
import { Checkbox, Field, Select } from '../../components/forms';
import type { GameIndex } from '../../game/data';
import { formatNumber, useT } from '../../i18n';
import { modifierKinds, toInput, type FormErrors, type GearForm } from './form';
import { categoryMessage, formErrorText, modifierKindMessage } from './labels';
import { messages } from './messages';
import { groupPrefixes } from './prefixes';
import {
  ATTRIBUTES,
  CONSTRAINT_FIELDS,
  OBJECTIVES,
  WEAPON_TYPES,
  slotsOf,
  type Attribute,
  type Distribution,
  type Objective,
  type WeaponType,
} from './types';

export function SettingsForm({
  form,
  onChange,
  index,
  busy,
  signedIn,
  onRun,
}: {
  form: GearForm;
  onChange: (form: GearForm) => void;
  index: GameIndex;
  busy: boolean;
  signedIn: boolean;
  onRun: () => void;
}) {
  const t = useT(messages);
  const [submitted, setSubmitted] = useState(false);
  const { errors: live } = toInput(form);
  const errors: FormErrors = submitted ? live : {};
  const err = (path: string) => formErrorText(t, errors[path]);
  const set = <K extends keyof GearForm>(key: K, value: GearForm[K]) => onChange({ ...form, [key]: value });
  const hasErrors = Object.keys(errors).length > 0;
  const constraintErrors = Object.keys(errors).some((k) => k.startsWith('constraints.'));
  const advancedErrors = ['target_armor', 'attack_rate', 'movement_uptime', 'max_evaluations'].some((k) => errors[k]);

  return (
    <form
      class="card gear-settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (Object.keys(live).length === 0) onRun();
      }}
    >
      <h2>{t('settingsTitle')}</h2>
      <div class="gear-fields">
        <Select<Objective>
          label={t('objective')}
          value={form.objective}
          options={OBJECTIVES.map((o) => ({ value: o, label: t(`objective_${o}`) }))}
          onChange={(v) => set('objective', v)}
        />
        <Select<WeaponType>
          label={t('weapon')}
          value={form.weapon}
          options={WEAPON_TYPES.map((w) => ({ value: w, label: t(`weapon_${w}`) }))}
          onChange={(v) => set('weapon', v)}
        />
        <Field label={t('top')} inputMode="numeric" value={form.top} onInput={(v) => set('top', v)} error={err('top')} />
      </div>

      <PrefixPicker form={form} index={index} onChange={(affixes) => set('affixes', affixes)} error={err('affixes')} />

      <details class="gear-section" open={Object.keys(form.forced).length > 0 || undefined}>
        <summary>{t('forcedTitle')}</summary>
        <p class="muted">{t('forcedHint')}</p>
        <div class="gear-fields">
          {slotsOf(form.weapon).map((slot) => (
            <Select
              key={slot}
              label={t(`s_${slot}`)}
              value={form.forced[slot] ?? ''}
              options={[
                { value: '', label: t('free') },
                ...[...index.data.itemstats]
                  .sort((a, b) => index.stat(a.key).localeCompare(index.stat(b.key)))
                  .map((s) => ({ value: s.key, label: index.stat(s.key) })),
              ]}
              onChange={(v) => {
                const forced = { ...form.forced };
                if (v) forced[slot] = v;
                else delete forced[slot];
                set('forced', forced);
              }}
            />
          ))}
        </div>
      </details>

      <fieldset class="gear-section">
        <legend>{t('infusionsTitle')}</legend>
        <Checkbox label={t('infusionsOn')} checked={form.infusionsOn} onChange={(v) => set('infusionsOn', v)} />
        {form.infusionsOn && (
          <div class="gear-fields">
            <Select<Attribute>
              label={t('infusionPrimary')}
              value={form.infusionPrimary}
              options={ATTRIBUTES.map((a) => ({ value: a, label: t(`a_${a}`) }))}
              onChange={(v) => set('infusionPrimary', v)}
            />
            <Select<Attribute | ''>
              label={t('infusionSecondary')}
              value={form.infusionSecondary}
              options={[{ value: '', label: t('noSecondary') }, ...ATTRIBUTES.map((a) => ({ value: a, label: t(`a_${a}`) }))]}
              onChange={(v) => set('infusionSecondary', v)}
              error={err('infusions.secondary')}
            />
            <Field label={t('infusionMax')} inputMode="numeric" value={form.infusionMax} onInput={(v) => set('infusionMax', v)} error={err('infusions.max')} />
            <Field
              label={t('infusionPrimaryMax')}
              inputMode="numeric"
              value={form.infusionPrimaryMax}
              onInput={(v) => set('infusionPrimaryMax', v)}
              error={err('infusions.primary_max')}
            />
            {form.infusionSecondary && (
              <Field
                label={t('infusionSecondaryMax')}
                inputMode="numeric"
                value={form.infusionSecondaryMax}
                onInput={(v) => set('infusionSecondaryMax', v)}
                error={err('infusions.secondary_max')}
              />
            )}
          </div>
        )}
      </fieldset>

      <details class="gear-section" open={constraintErrors || CONSTRAINT_FIELDS.some((f) => form.constraints[f] !== '') || undefined}>
        <summary>{t('constraintsTitle')}</summary>
        <p class="muted">{t('constraintsHint')}</p>
        <div class="gear-fields">
          {CONSTRAINT_FIELDS.map((f) => (
            <Field
              key={f}
              label={t(`c_${f}`)}
              inputMode="decimal"
              value={form.constraints[f]}
              onInput={(v) => set('constraints', { ...form.constraints, [f]: v })}
              error={err(`constraints.${f}`)}
            />
          ))}
        </div>
        <details
          class="gear-section"
          open={
            Object.keys(errors).some((k) => k.includes('_attributes.')) ||
            ATTRIBUTES.some((a) => form.minAttributes[a] !== '' || form.maxAttributes[a] !== '') ||
            undefined
          }
        >
          <summary>{t('attributeBounds')}</summary>
          <div class="gear-fields">
            {ATTRIBUTES.flatMap((a) => [
              <Field
                key={`min-${a}`}
                label={t('minOf', { attribute: t(`a_${a}`) })}
                inputMode="decimal"
                value={form.minAttributes[a]}
                onInput={(v) => set('minAttributes', { ...form.minAttributes, [a]: v })}
                error={err(`constraints.min_attributes.${a}`)}
              />,
              <Field
                key={`max-${a}`}
                label={t('maxOf', { attribute: t(`a_${a}`) })}
                inputMode="decimal"
                value={form.maxAttributes[a]}
                onInput={(v) => set('maxAttributes', { ...form.maxAttributes, [a]: v })}
                error={err(`constraints.max_attributes.${a}`)}
              />,
            ])}
          </div>
        </details>
      </details>

      <details class="gear-section" open={advancedErrors || undefined}>
        <summary>{t('advancedTitle')}</summary>
        <div class="gear-fields">
          <Field
            label={t('targetArmor')}
            hint={t('targetArmorHint')}
            inputMode="decimal"
            value={form.targetArmor}
            onInput={(v) => set('targetArmor', v)}
            error={err('target_armor')}
          />
          <Field label={t('attackRate')} inputMode="decimal" value={form.attackRate} onInput={(v) => set('attackRate', v)} error={err('attack_rate')} />
          <Field
            label={t('movementUptime')}
            inputMode="decimal"
            value={form.movementUptime}
            onInput={(v) => set('movementUptime', v)}
            error={err('movement_uptime')}
          />
          <Field
            label={t('maxEvaluations')}
            inputMode="numeric"
            value={form.maxEvaluations}
            onInput={(v) => set('maxEvaluations', v)}
            error={err('max_evaluations')}
          />
        </div>
      </details>

      <InputSummary form={form} />

      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('running') : t('run')}
        </button>
        {hasErrors && (
          <span role="alert" class="error">
            {t('fixErrors')}
          </span>
        )}
      </div>
      {!signedIn && <p class="muted">{t('anonymousNote')}</p>}
    </form>
  );
}

function PrefixPicker({
  form,
  index,
  onChange,
  error,
}: {
  form: GearForm;
  index: GameIndex;
  onChange: (affixes: string[]) => void;
  error: string | undefined;
}) {
  const t = useT(messages);
  const id = useId();
  const groups = groupPrefixes(index.data.itemstats);
  const known = new Set(index.data.itemstats.map((s) => s.key));
  const unknown = form.affixes.filter((a) => !known.has(a));
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...form.affixes.filter((a) => a !== key), key] : form.affixes.filter((a) => a !== key));
  return (
    <fieldset class="gear-section gear-prefixes" aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend>{t('prefixesTitle')}</legend>
      <p id={`${id}-hint`} class="muted">
        {t('prefixesHint')}
      </p>
      <div class="actions">
        <span class="badge" aria-live="polite">
          {t('selected', { count: form.affixes.length })}
        </span>
        <button type="button" class="secondary" onClick={() => onChange([...unknown, ...index.data.itemstats.map((s) => s.key)])}>
          {t('selectAll')}
        </button>
        <button type="button" class="secondary" onClick={() => onChange([])}>
          {t('clearAll')}
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
      {groups.map((group) => {
        const cat = categoryMessage(group.category);
        return (
          <fieldset key={group.category} class="gear-group">
            <legend>{cat ? t(cat) : group.category}</legend>
            <div class="gear-checks">
              {group.stats.map((s) => (
                <Checkbox
                  key={s.key}
                  checked={form.affixes.includes(s.key)}
                  onChange={(on) => toggle(s.key, on)}
                  label={
                    <>
                      {index.stat(s.key)}{' '}
                      <small class="muted">{s.major.map((a) => t(`a_${a as Attribute}`)).join(' · ')}</small>
                    </>
                  }
                />
              ))}
            </div>
          </fieldset>
        );
      })}
      {unknown.length > 0 && (
        <fieldset class="gear-group">
          <legend>{t('cat_Misc')}</legend>
          <div class="gear-checks">
            {unknown.map((name) => (
              <Checkbox key={name} checked onChange={(on) => toggle(name, on)} label={name} />
            ))}
          </div>
        </fieldset>
      )}
    </fieldset>
  );
}

/** What the input brings and the form does not edit: the rotation and the modifiers. */
function InputSummary({ form }: { form: GearForm }) {
  const t = useT(messages);
  const kinds = modifierKinds(form.base);
  const count = kinds.reduce((n, k) => n + k.labels.length, 0);
  const distribution = Object.entries(form.base.distribution ?? {}).filter(([, v]) => typeof v === 'number' && v !== 0) as [
    keyof Distribution,
    number,
  ][];
  return (
    <details class="gear-section">
      <summary>{t('modifiersTitle', { count })}</summary>
      <p class="muted">{t('modifiersHint')}</p>
      {distribution.length > 0 && (
        <>
          <h3>{t('rotationTitle')}</h3>
          <ul class="gear-inline">
            {distribution.map(([k, v]) => (
              <li key={k}>
                {t(`d_${k}`)}: {formatNumber(v)}
              </li>
            ))}
          </ul>
        </>
      )}
      <dl class="gear-modifiers">
        {kinds.map((k) => (
          <div key={k.kind}>
            <dt>{t(modifierKindMessage(k.kind))}</dt>
            <dd>{k.labels.join(', ')}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
