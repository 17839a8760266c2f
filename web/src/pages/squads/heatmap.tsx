// The coverage heat map table and the grade badge (also used by Team Commander).
import { formatNumber, formatPercent, useT } from '../../i18n';
import { heatClass, type HeatMap } from './heat';
import { messages } from './messages';
import { named, resourceNames } from './names';

export function HeatTable({ map, caption, rowLabel }: { map: HeatMap; caption: string; rowLabel: (party: number) => string }) {
  const t = useT(messages);
  const r = useT(resourceNames);
  return (
    <>
      {/* The caption is shown above the scrolling table (a phone would cut it off inside). */}
      <p class="muted heat-caption" aria-hidden="true">
        {caption}
      </p>
      <div class="table-wrap">
        <table class="heatmap">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">{t('partiesTitle')}</span>
              </th>
              {map.columns.map((c) => (
                <th scope="col" key={c}>
                  {named(r, resourceNames, c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.rows.map((row) => (
              <tr key={row.party}>
                <th scope="row">{rowLabel(row.party)}</th>
                {row.cells.map((cell, i) => (
                  <td
                    key={map.columns[i]}
                    class={heatClass(cell ? cell.coverage : null)}
                    title={cell ? `${formatNumber(cell.provided)} / ${formatNumber(cell.target)}` : t('notNeeded')}
                  >
                    {cell ? formatPercent(cell.coverage) : '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <HeatLegend />
    </>
  );
}

export function HeatLegend() {
  const t = useT(messages);
  const items: [string, string][] = [
    ['full', t('legendFull')],
    ['high', t('legendHigh')],
    ['mid', t('legendMid')],
    ['low', t('legendLow')],
    ['none', t('legendNone')],
  ];
  return (
    <p class="heat-legend">
      <span class="muted">{t('legend')}:</span>
      {items.map(([level, label]) => (
        <span key={level} class="heat-key">
          <span class={`heat-swatch heat heat-${level}`} aria-hidden="true" />
          {label}
        </span>
      ))}
    </p>
  );
}

export function GradeBadge({ letter, label }: { letter: string; label: string }) {
  return (
    <span class={`grade grade-${letter}`} role="img" aria-label={label} title={label}>
      {letter}
    </span>
  );
}
