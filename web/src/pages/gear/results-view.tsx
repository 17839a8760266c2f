// The run's progress (live over the WebSocket, or polled) and the ranked results with each
// result's gear, attribute sheet and damage split, and a chart of the top results.
import { useEffect, useState } from 'preact/hooks';
import { BarChart } from '../../components/chart';
import { ErrorNotice } from '../../components/forms';
import type { GameIndex } from '../../game/data';
import { formatDuration, formatNumber, formatPercent, useT } from '../../i18n';
import { scientific, superscript } from './labels';
import { messages } from './messages';
import { chartData, damageSplit, gapToBest, infusionList, prefixCounts, SHEET_ROWS, sheetValue, slotRows } from './results';
import { isActive, progressRatio, type RunState } from './runner';
import type { GearResult, Objective } from './types';

/** A score or DPS: whole numbers from 100 up, one decimal below. */
function scoreText(value: number): string {
  return formatNumber(value, undefined, Math.abs(value) >= 100 ? 0 : 1);
}

function Score({ value }: { value: number }) {
  return <>{scoreText(value)}</>;
}

/** A count, as mantissa × 10ⁿ from a billion up. */
function bigText(value: number): string {
  const s = scientific(value);
  return s ? `${formatNumber(s.mantissa, undefined, 1)} × 10${superscript(s.exponent)}` : formatNumber(value);
}

/** Seconds since `since` (ms), ticking every second; null when not running. */
function useElapsed(since: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? null : Math.max(0, (now - since) / 1000);
}

export function ProgressCard({ state, objective, onCancel }: { state: RunState; objective: Objective; onCancel: () => void }) {
  const t = useT(messages);
  const ratio = progressRatio(state);
  const active = isActive(state);
  const elapsed = useElapsed(active ? state.startedAt : null);
  return (
    <section class="card gear-progress" aria-labelledby="gear-progress-title">
      <h2 id="gear-progress-title">{t('progressTitle')}</h2>
      {ratio === null ? (
        <progress key="indeterminate" aria-label={t('progressLabel')} />
      ) : (
        <progress key="determinate" aria-label={t('progressLabel')} max={1} value={ratio} />
      )}
      <p>
        {state.mode === 'anonymous' && active
          ? t('progressAnonymous')
          : active
            ? state.total > 0
              ? t('progressCount', { done: state.done, total: state.total, evaluated: state.evaluated })
              : t('progressWaiting')
            : state.phase === 'done'
              ? t('progressDone', { evaluated: state.output?.search.evaluated ?? state.evaluated })
              : t('progressStopped')}
      </p>
      {active && elapsed !== null && <p class="muted">{t('elapsed', { time: formatDuration(elapsed) })}</p>}
      {state.best && active && (
        <p>
          <strong>{t('bestSoFar', { score: scoreText(state.best.score) })}</strong>{' '}
          <span class="muted">({t(`score_${objective}`)})</span>
        </p>
      )}
      {active && state.mode !== 'anonymous' && (
        <div class="actions">
          <button type="button" class="danger" onClick={onCancel} disabled={state.phase === 'cancelling'}>
            {state.phase === 'cancelling' ? t('cancelling') : t('cancel')}
          </button>
        </div>
      )}
      <ErrorNotice error={state.error} />
    </section>
  );
}

export function ResultsView({
  state,
  results,
  objective,
  index,
}: {
  state: RunState;
  results: GearResult[];
  objective: Objective;
  index: GameIndex;
}) {
  const t = useT(messages);
  const [selected, setSelected] = useState(1);
  // A new run shows its best result first.
  useEffect(() => setSelected(results[0]?.rank ?? 1), [state.output, results[0]?.rank]);
  const output = state.output;
  const chart = chartData(results);
  const gaps = gapToBest(results);
  const damage = objective === 'damage';
  const showConditions = damage && results.some((r) => damageSplit(r).conditions > 0);
  const current = results.find((r) => r.rank === selected) ?? results[0];
  const itemstats = index.data.itemstats;
  return (
    <section class="card gear-results" aria-labelledby="gear-results-title">
      <h2 id="gear-results-title">{t('resultsTitle')}</h2>
      <div role="status">
        {output ? (
          <>
            <p>
              {output.search.proven_optimal
                ? t('proven', { count: output.results.length })
                : output.search.cancelled
                  ? t('cancelledNote')
                  : ''}
            </p>
            <p class="muted">
              {t('searchStats', {
                prefixes: output.search.candidate_prefixes,
                combinations: bigText(output.search.raw_combinations),
                evaluated: output.search.evaluated,
              })}
            </p>
          </>
        ) : (
          results.length > 0 && <p>{t('bestOnly')}</p>
        )}
        {output && output.results.length === 0 && <p>{t('noResults')}</p>}
      </div>
      {results.length > 0 && (
        <>
          <BarChart
            title={t('chartTitle')}
            labels={chart.labels}
            series={[{ label: t(`score_${objective}`), values: chart.values }]}
            height={220}
          />
          <div class="table-wrap">
            <table class="gear-ranking" aria-labelledby="gear-results-title">
              <thead>
                <tr>
                  <th scope="col">{t('rank')}</th>
                  <th scope="col" class="num">
                    {t(`score_${objective}`)}
                  </th>
                  <th scope="col" class="num">
                    {t('gap')}
                  </th>
                  {showConditions && (
                    <>
                      <th scope="col" class="num">
                        {t('strike')}
                      </th>
                      <th scope="col" class="num">
                        {t('conditions')}
                      </th>
                    </>
                  )}
                  {!damage && (
                    <th scope="col" class="num">
                      {t('score_damage')}
                    </th>
                  )}
                  <th scope="col">{t('prefixes')}</th>
                  <th scope="col">{t('infusions')}</th>
                  <th scope="col">{t('details')}</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r, i) => {
                  const split = damageSplit(r);
                  const isCurrent = current?.rank === r.rank;
                  return (
                    <tr key={r.rank} class={isCurrent ? 'selected' : undefined}>
                      <th scope="row">#{r.rank}</th>
                      <td class="num">
                        <Score value={r.score} />
                      </td>
                      <td class="num">{i === 0 ? '—' : `−${formatNumber(gaps[i] ?? 0, undefined, 2)} %`}</td>
                      {showConditions && (
                        <>
                          <td class="num">
                            <Score value={split.strike + split.flat} />
                          </td>
                          <td class="num">
                            <Score value={split.conditions} />
                          </td>
                        </>
                      )}
                      {!damage && (
                        <td class="num">
                          <Score value={r.dps} />
                        </td>
                      )}
                      <td class="gear-prefix-cell">
                        {prefixCounts(r.gear, itemstats)
                          .map((p) => `${index.stat(p.key)} ×${p.count}`)
                          .join(', ')}
                      </td>
                      <td>
                        {infusionList(r)
                          .map(([a, n]) => `${t(`a_${a}` as 'a_power')} ×${n}`)
                          .join(', ') || t('noInfusions')}
                      </td>
                      <td>
                        <button
                          type="button"
                          class="secondary"
                          aria-pressed={isCurrent}
                          aria-label={t('showDetails', { rank: r.rank })}
                          onClick={() => setSelected(r.rank)}
                        >
                          {t('details')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {current && <ResultDetail result={current} index={index} />}
        </>
      )}
    </section>
  );
}

function ResultDetail({ result, index }: { result: GearResult; index: GameIndex }) {
  const t = useT(messages);
  const split = damageSplit(result);
  const rows = slotRows(result.gear, index.data.itemstats);
  return (
    <section class="gear-detail" aria-labelledby="gear-detail-title">
      <h3 id="gear-detail-title">{t('resultTitle', { rank: result.rank })}</h3>
      <div class="row">
        <div>
          <h4>{t('gearTitle')}</h4>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('slot')}</th>
                  <th scope="col">{t('prefix')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.slot}>
                    <th scope="row">{t(`s_${row.slot}`)}</th>
                    <td>{index.stat(row.key)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div>
          <h4>{t('sheetTitle')}</h4>
          <div class="table-wrap">
            <table class="gear-sheet">
              <thead>
                <tr>
                  <th scope="col">{t('attribute')}</th>
                  <th scope="col" class="num">
                    {t('value')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {SHEET_ROWS.map(({ key }) => {
                  const { value, percent } = sheetValue(result.attributes, key);
                  return (
                    <tr key={key}>
                      <th scope="row">{t(`a_${key}`)}</th>
                      <td class="num">{percent ? formatPercent(value / 100, undefined, 1) : formatNumber(value, undefined, 0)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
        <div>
          <h4>{t('damageTitle')}</h4>
          <div class="table-wrap">
            <table class="gear-damage">
              <thead>
                <tr>
                  <th scope="col">{t('source')}</th>
                  <th scope="col" class="num">
                    {t('dps')}
                  </th>
                  <th scope="col" class="num">
                    {t('share')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {split.rows.map((row) => (
                  <tr key={row.kind}>
                    <th scope="row">{t(`d_${row.kind}`)}</th>
                    <td class="num">
                      <Score value={row.dps} />
                    </td>
                    <td class="num">
                      {formatPercent(row.share, undefined, 1)}
                      <div class="bar" aria-hidden="true">
                        <span style={{ width: `${Math.round(row.share * 1000) / 10}%` }} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('total')}</th>
                  <td class="num">
                    <strong>
                      <Score value={split.total} />
                    </strong>
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          <h4>{t('indicatorsTitle')}</h4>
          <dl class="gear-indicators">
            <div>
              <dt>{t('effective_power')}</dt>
              <dd>
                <Score value={result.effective_power} />
              </dd>
            </div>
            <div>
              <dt>{t('effective_health')}</dt>
              <dd>
                {bigText(result.effective_health)}
              </dd>
            </div>
            <div>
              <dt>{t('survivability')}</dt>
              <dd>
                <Score value={result.survivability} />
              </dd>
            </div>
            <div>
              <dt>{t('healing')}</dt>
              <dd>
                <Score value={result.healing} />
              </dd>
            </div>
          </dl>
        </div>
      </div>
    </section>
  );
}
