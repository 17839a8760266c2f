// Loading data for a page: one hook and one component for its three states.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../api/client';
import { common } from '../i18n/common';
import { useT } from '../i18n';
import { ErrorNotice } from './forms';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replace the data without a request (after a local change). */
  set: (value: T) => void;
}

/** Runs `load` when `deps` change; drops answers of superseded runs. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const run = useRef(0);
  const reload = useCallback(() => {
    const id = ++run.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => id === run.current && setState({ data, loading: false }),
      (error: unknown) => id === run.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(reload, [reload]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload,
    set: (data: T) => setState({ data, loading: false }),
  };
}

/** Shows a spinner, the error with a retry button, or the children with the data. */
export function Loaded<T>({ state, children }: { state: Async<T>; children: (data: T) => ComponentChildren }) {
  const t = useT(common);
  if (state.error !== undefined) {
    return (
      <div>
        <ErrorNotice error={state.error} />
        <button type="button" onClick={state.reload}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (state.data === undefined) return <p aria-busy="true" class="muted">{t('loading')}</p>;
  return <>{children(state.data)}</>;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiFailure && error.status === 404;
}
