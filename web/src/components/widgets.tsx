// Small shared widgets: pager, copy button, page title.
import { useEffect, useState } from 'preact/hooks';
import { common } from '../i18n/common';
import { useT } from '../i18n';

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const t = useT(common);
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={t('pageOf', { page, pages })}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('previous')}
      </button>
      <span>{t('pageOf', { page, pages })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('next')}
      </button>
    </nav>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT(common);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(false), 1500);
    return () => clearTimeout(timer);
  }, [done]);
  return (
    <button
      type="button"
      class="secondary"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setDone(true),
          () => setDone(false),
        )
      }
      aria-live="polite"
    >
      {done ? t('copied') : (label ?? t('copy'))}
    </button>
  );
}

/** Sets the document title for the page (`Page — GW2Optimizer`). */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} — GW2Optimizer` : 'GW2Optimizer';
  }, [title]);
}
