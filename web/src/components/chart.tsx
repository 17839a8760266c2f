// Charts drawn by uPlot (≈ 20 KB compressed, loaded only by the pages that show a chart).
// `BarChart` is the categorical case most pages need (a value per player, prefix, class...).
import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';


type UPlotCtor = typeof uPlot;
let loading: Promise<UPlotCtor> | null = null;
function loadUPlot() {
  loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return loading;
}

const palette = ['#e0a030', '#4fa3e0', '#9bd15a', '#e0605a', '#b07de0', '#50c8b4', '#e07ab4', '#c8c850'];

/** The value axis starts at zero (or below, for negative values) so bar lengths compare. */
function fromZero(_u: uPlot, min: number, max: number): [number, number] {
  const low = Math.min(0, min);
  const high = max > low ? max : low + 1;
  return [low, high * 1.05];
}

/** Room for the widest tick label of a value axis (uPlot's default clips 38,600 to 8,600). */
function valueAxisSize(_u: uPlot, values: string[] | null): number {
  const longest = (values ?? []).reduce((n, v) => Math.max(n, String(v).length), 0);
  return Math.max(40, longest * 8 + 18);
}

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export interface Series {
  label: string;
  values: number[];
  color?: string;
}

/** A line chart over numeric x values (time, rank...). */
export function LineChart({
  title,
  x,
  series,
  height = 240,
  xLabel,
}: {
  title: string;
  x: number[];
  series: Series[];
  height?: number;
  xLabel?: string;
}) {
  return (
    <Plot
      title={title}
      height={height}
      data={[x, ...series.map((s) => s.values)]}
      options={() => ({
        scales: { x: { time: false }, y: { range: fromZero } },
        axes: [
          {
            label: xLabel,
            stroke: 'currentColor',
            // Whole x values (fight numbers, ranks) get whole ticks.
            ...(x.every(Number.isInteger) ? { incrs: WHOLE_STEPS } : {}),
          },
          { stroke: 'currentColor', size: valueAxisSize },
        ],
        series: [
          { label: xLabel ?? '' },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color ?? palette[i % palette.length],
            width: 2,
          })),
        ],
      })}
      summary={series.map((s) => `${s.label}: ${s.values.length}`).join(', ')}
    />
  );
}

/** Bars for labelled categories (one or more series side by side). */
export function BarChart({
  title,
  labels,
  series,
  height = 260,
}: {
  title: string;
  labels: string[];
  series: Series[];
  height?: number;
}) {
  const x = labels.map((_, i) => i);
  return (
    <Plot
      title={title}
      height={height}
      data={[x, ...series.map((s) => s.values)]}
      options={(u) => {
        // One series: centred bars. Two: side by side (left and right of the label). More:
        // overlaid, each narrower than the one before so all stay visible.
        const n = series.length;
        const barsOf = (i: number) =>
          n === 2
            ? u.paths.bars?.({ size: [0.4, 40], align: i === 0 ? -1 : 1 })
            : u.paths.bars?.({ size: [0.8 * (1 - i / Math.max(1, n)), 60], align: 0 });
        return {
          scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: fromZero } },
          axes: [
            {
              stroke: 'currentColor',
              values: (_u: uPlot, ticks: number[]) => ticks.map((t) => (Number.isInteger(t) ? (labels[t] ?? '') : '')),
              splits: () => x,
              rotate: labels.length > 6 ? -45 : 0,
              size: labels.length > 6 ? 90 : 40,
            },
            { stroke: 'currentColor', size: valueAxisSize },
          ],
          series: [
            // The legend names the hovered category instead of its index.
            { label: '', value: (_u: uPlot, v: number | null) => (v == null ? '' : (labels[v] ?? '')) },
            ...series.map((s, i) => {
              const color = s.color ?? palette[i % palette.length] ?? '#888';
              return {
                label: s.label,
                stroke: color,
                fill: `${color}cc`,
                width: 1,
                paths: barsOf(i),
                points: { show: false },
              };
            }),
          ],
        };
      }}
      summary={labels
        .map((label, i) => `${label}: ${series.map((s) => s.values[i] ?? 0).join(' / ')}`)
        .join('; ')}
    />
  );
}

/** The uPlot instance in a figure, resized with its container; an accessible summary beside. */
function Plot({
  title,
  height,
  data,
  options,
  summary,
}: {
  title: string;
  height: number;
  data: (number | null)[][];
  options: (u: UPlotCtor) => Omit<uPlot.Options, 'width' | 'height'>;
  summary: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | undefined;
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    void loadUPlot().then((UPlot) => {
      const el = box.current;
      if (cancelled || !el) return;
      const width = Math.max(240, el.clientWidth);
      plot = new UPlot({ ...options(UPlot), width, height, legend: { show: true } } as uPlot.Options, data as uPlot.AlignedData, el);
      observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(240, el.clientWidth), height }));
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [JSON.stringify(data), height, title]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}. ${summary}`} />
    </figure>
  );
}
