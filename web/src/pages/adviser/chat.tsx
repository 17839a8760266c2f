// The adviser's chat: questions in French or English, answered from the engines (Team
// Commander for a squad, the recommender for a build), phrased by a language model when the
// service has one. Every answer says whether a model was used.
import { useState } from 'preact/hooks';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorNotice, TextArea, fieldError } from '../../components/forms';
import { lang, useT } from '../../i18n';
import { messages } from './messages';

type ChatAnswer = Schemas['ChatOut'];

interface Line {
  role: 'user' | 'assistant';
  content: string;
  usedModel?: boolean;
}

export function Chat() {
  const t = useT(messages);
  const [text, setText] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [conversation, setConversation] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const send = async (e: Event) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setError(null);
    try {
      const answer: ChatAnswer = await unwrap(
        api.POST('/api/v1/chat', {
          body: { message, conversation_id: conversation, language: lang.value },
        }),
      );
      setConversation(answer.conversation_id);
      setLines((l) => [
        ...l,
        { role: 'user', content: message },
        { role: 'assistant', content: answer.message.content, usedModel: answer.used_model },
      ]);
      setText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card chat">
      <h2>{t('chatTitle')}</h2>
      <p class="muted">{t('chatIntro')}</p>
      <ol class="chat-lines" aria-live="polite">
        {lines.map((line, i) => (
          <li key={i} class={`chat-${line.role}`}>
            <strong>{line.role === 'user' ? t('you') : t('adviser')}</strong>
            <p>{line.content}</p>
            {line.role === 'assistant' && (
              <small class="muted">{line.usedModel ? t('modelUsed') : t('noModel')}</small>
            )}
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        <TextArea
          label={t('yourQuestion')}
          value={text}
          onInput={setText}
          rows={3}
          placeholder={t('chatExample')}
          error={fieldError(error, 'message')}
        />
        <ErrorNotice error={fieldError(error, 'message') ? null : error} />
        <button type="submit" disabled={busy || !text.trim()}>
          {t('send')}
        </button>
      </form>
    </div>
  );
}
