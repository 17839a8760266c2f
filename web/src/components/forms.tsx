// Form controls that always carry a label and show the service's validation error on the
// field it names (ErrorBody.field).
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';
import { ApiFailure } from '../api/client';
import { common } from '../i18n/common';
import { useT } from '../i18n';

/** The message of an error for the user. */
export function errorMessage(error: unknown, networkText: string): string {
  if (error instanceof ApiFailure) return error.status === 0 ? networkText : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The error of one field, if the failure names it (`field` may be a dotted path). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiFailure) || !error.field) return undefined;
  const f = error.field;
  return f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`) ? error.message : undefined;
}

export function ErrorNotice({ error }: { error: unknown }) {
  const t = useT(common);
  if (error === undefined || error === null) return null;
  return (
    <p role="alert" class="error">
      {errorMessage(error, t('networkError'))}
    </p>
  );
}

type InputProps = {
  label: string;
  placeholder?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'search' | 'url';
  min?: number;
  max?: number;
  step?: number;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: string;
  name?: string;
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
};

export function Field({ label, value, onInput, error, hint, ...rest }: InputProps) {
  const id = useId();
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
        {...(rest as InputHTMLAttributes<HTMLInputElement>)}
      />
      {hint && (
        <small id={`${id}-hint`} class="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

export function TextArea({
  label,
  value,
  onInput,
  error,
  rows = 4,
  ...rest
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  rows?: number;
  name?: string;
  placeholder?: string;
  maxLength?: number;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
        {...rest}
      />
      {error && (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

export function Select<V extends string>({
  label,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as V)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && <small class="field-error">{error}</small>}
    </div>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span>{label}</span>
    </label>
  );
}
