// The log dropzone: a labelled file input (keyboard and screen readers) that also takes
// dropped files, and the list of files with their progress, result or error.
import { useState } from 'preact/hooks';
import { refresh } from '../../api/session';
import { Checkbox } from '../../components/forms';
import { formatNumber, formatPercent, useT } from '../../i18n';
import { messages, type Key } from './messages';
import { UploadQueue, fraction, type UploadErrorKind, type UploadItem } from './upload';

/** One queue for the whole page (uploads go on while the user reads a report). */
export const uploads = new UploadQueue(undefined, async () => (await refresh()) !== null);

export function Uploader() {
  const t = useT(messages);
  const [over, setOver] = useState(false);
  const [isPublic, setPublic] = useState(uploads.options.isPublic);
  const [keepRaw, setKeepRaw] = useState(uploads.options.keepRaw);
  const items = uploads.items.value;
  const hasFinished = items.some((i) => i.state.phase === 'done' || i.state.phase === 'failed');

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = e.dataTransfer?.files;
    if (files && files.length) uploads.add(Array.from(files));
  };
  return (
    <div class="card">
      <h2>{t('uploadTitle')}</h2>
      <label
        class={over ? 'dropzone wvw-drop over' : 'dropzone wvw-drop'}
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <strong>{t('dropTitle')}</strong>
        <span class="muted">{t('dropHint')}</span>
        <span class="button secondary" aria-hidden="true">
          {t('chooseFiles')}
        </span>
        <input
          class="visually-hidden"
          type="file"
          multiple
          accept=".evtc,.zevtc,.zip"
          aria-describedby="wvw-drop-hint"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            if (input.files?.length) uploads.add(Array.from(input.files));
            input.value = '';
          }}
        />
      </label>
      <p id="wvw-drop-hint" class="muted wvw-small">
        {t('dropLimits')}
      </p>
      <div class="wvw-options">
        <Checkbox
          label={t('uploadPublic')}
          checked={isPublic}
          onChange={(v) => {
            setPublic(v);
            uploads.options.isPublic = v;
          }}
        />
        <Checkbox
          label={t('uploadKeepRaw')}
          checked={keepRaw}
          onChange={(v) => {
            setKeepRaw(v);
            uploads.options.keepRaw = v;
          }}
        />
      </div>
      {items.length > 0 && (
        <section aria-label={t('uploadsList')}>
          <ul class="wvw-uploads" aria-live="polite">
            {items.map((item) => (
              <UploadLine key={item.id} item={item} />
            ))}
          </ul>
          {hasFinished && (
            <div class="actions">
              <button type="button" class="secondary" onClick={() => uploads.clearFinished()}>
                {t('clearFinished')}
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

const errorKeys: Record<UploadErrorKind, Key> = {
  notLog: 'errNotLog',
  empty: 'errEmpty',
  tooBig: 'errTooBig',
  busy: 'errBusy',
  signedOut: 'errSignedOut',
  network: 'errNetwork',
  other: 'errOther',
};

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), undefined, 1)} MiB`;
  if (bytes >= 1024) return `${formatNumber(bytes / 1024, undefined, 1)} KiB`;
  return `${formatNumber(bytes)} B`;
}

function UploadLine({ item }: { item: UploadItem }) {
  const t = useT(messages);
  const { state, file } = item;
  const part = fraction(state);
  return (
    <li class={`wvw-upload wvw-upload-${state.phase}`} data-phase={state.phase}>
      <div class="wvw-upload-head">
        <span class="wvw-file">{file.name}</span>
        <span class="muted">{sizeText(file.size)}</span>
        {(state.phase === 'queued' || state.phase === 'sending' || state.phase === 'waiting' || state.phase === 'failed') && (
          <button type="button" class="link" onClick={() => uploads.remove(item.id)}>
            {state.phase === 'failed' ? t('dismiss') : t('cancelUpload')}
            <span class="visually-hidden"> {file.name}</span>
          </button>
        )}
      </div>
      {state.phase === 'queued' && <p class="muted">{t('queued')}</p>}
      {state.phase === 'sending' && (
        <>
          <progress max={1} value={part ?? 0} aria-label={t('progressOf', { name: file.name })} />
          <p class="muted">{t('sending', { percent: formatPercent(part ?? 0) })}</p>
        </>
      )}
      {state.phase === 'parsing' && (
        <>
          <progress aria-label={t('progressOf', { name: file.name })} />
          <p class="muted">{t('parsing')}</p>
        </>
      )}
      {state.phase === 'waiting' && <p class="muted">{state.seconds > 0 ? t('waitingBusy', { seconds: state.seconds }) : t('renewing')}</p>}
      {state.phase === 'done' && (
        <>
          <p class="ok">
            {state.result.duplicate ? t('duplicate') : t('uploaded')}{' '}
            <a href={`/wvw/fights/${state.result.id}`}>{state.result.fight.fight_name || file.name}</a>
          </p>
          {state.result.fight.truncated_at != null && (
            <p class="wvw-warning" role="note">
              {t('truncated', { offset: state.result.fight.truncated_at })}
            </p>
          )}
        </>
      )}
      {state.phase === 'failed' && (
        <div role="alert" class="error">
          <p>{t(errorKeys[state.kind])}</p>
          {state.detail && <p class="wvw-detail">{state.detail}</p>}
          {state.kind !== 'notLog' && state.kind !== 'empty' && state.kind !== 'tooBig' && (
            <button type="button" class="secondary" onClick={() => uploads.retry(item.id)}>
              {t('retryUpload')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
