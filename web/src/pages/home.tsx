// The landing page: what the product does, and the two fastest ways in (paste a chat code,
// ask Team Commander).
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { Field } from '../components/forms';
import { useTitle } from '../components/widgets';
import { defineMessages, useT } from '../i18n';

const messages = defineMessages(
  {
    title: 'Builds and squads for Guild Wars 2',
    intro:
      'Design, share and optimize builds, plan WvW squads with real boon coverage, and analyse your arcdps logs. French and English.',
    pasteCode: 'Paste a build chat code',
    pasteHint: 'The [&DQ…] code from the game’s build template',
    open: 'Open in the editor',
    askCommander: 'Ask Team Commander',
    commanderExample: 'e.g. “squad of 15 for a zerg with 2 firebrands per group”',
    ask: 'Ask',
    areas: 'What you can do',
    buildsLead: 'Browse, vote, import and export builds (chat code, JSON, markdown).',
    gearLead: 'Find the best stat prefixes for a build on the community damage model.',
    squadsLead: 'Place up to 50 players in parties and cover every boon.',
    wvwLead: 'Upload arcdps logs and read per-player fight reports and live scores.',
  },
  {
    title: 'Builds et escouades pour Guild Wars 2',
    intro:
      'Concevez, partagez et optimisez vos builds, planifiez des escouades McM avec une vraie couverture d’avantages, et analysez vos logs arcdps. En français et en anglais.',
    pasteCode: 'Collez un code de build',
    pasteHint: 'Le code [&DQ…] du modèle de build du jeu',
    open: 'Ouvrir dans l’éditeur',
    askCommander: 'Demander à Team Commander',
    commanderExample: 'ex. « escouade de 15 pour un zerg avec 2 incendiaires par groupe »',
    ask: 'Demander',
    areas: 'Ce que vous pouvez faire',
    buildsLead: 'Parcourez, votez, importez et exportez des builds (code, JSON, markdown).',
    gearLead: 'Trouvez les meilleurs préfixes de stats d’un build sur le modèle de dégâts de la communauté.',
    squadsLead: 'Placez jusqu’à 50 joueurs en groupes et couvrez chaque avantage.',
    wvwLead: 'Envoyez vos logs arcdps et lisez les rapports de combat par joueur et les scores en direct.',
  },
);

export default function Home() {
  const t = useT(messages);
  useTitle('');
  const { route } = useLocation();
  const [code, setCode] = useState('');
  const [request, setRequest] = useState('');
  return (
    <>
      <section class="hero">
        <h1>{t('title')}</h1>
        <p>{t('intro')}</p>
      </section>
      <div class="row">
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (code.trim()) route(`/builds/new?code=${encodeURIComponent(code.trim())}`);
          }}
        >
          <Field label={t('pasteCode')} value={code} onInput={setCode} hint={t('pasteHint')} placeholder="[&DQ…]" />
          <button type="submit">{t('open')}</button>
        </form>
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (request.trim()) route(`/commander?q=${encodeURIComponent(request.trim())}`);
          }}
        >
          <Field label={t('askCommander')} value={request} onInput={setRequest} hint={t('commanderExample')} />
          <button type="submit">{t('ask')}</button>
        </form>
      </div>
      <h2>{t('areas')}</h2>
      <div class="grid">
        <a class="card" href="/builds">
          <h3>Builds</h3>
          <p class="muted">{t('buildsLead')}</p>
        </a>
        <a class="card" href="/gear">
          <h3>Gear</h3>
          <p class="muted">{t('gearLead')}</p>
        </a>
        <a class="card" href="/squads">
          <h3>Squads</h3>
          <p class="muted">{t('squadsLead')}</p>
        </a>
        <a class="card" href="/wvw">
          <h3>WvW / McM</h3>
          <p class="muted">{t('wvwLead')}</p>
        </a>
      </div>
    </>
  );
}
