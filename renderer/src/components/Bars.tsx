import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n';

/** Stacked bars, one per label; each series its own shade (bar-ok, bar-warn, bar-bad). Read out by its summary. */
export function Bars({ title, labels, series, testId, summary: given, max: top }: {
  title: string;
  labels: string[];
  series: { name: string; values: number[]; className: string }[];
  testId: string;
  /** What a screen reader hears; by default each series' total. */
  summary?: string;
  /** The top of the scale; by default the largest bar. */
  max?: number;
}) {
  const { t } = useTranslation();
  const w = 640;
  const h = 160;
  const totals = labels.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const max = top ?? Math.max(1, ...totals);
  const bw = w / Math.max(1, labels.length);
  const summary = given ?? series.map((s) => `${s.name} ${formatNumber(s.values.reduce((a, b) => a + b, 0))}`).join(', ');
  return (
    <figure data-testid={testId}>
      <svg viewBox={`0 0 ${w} ${h + 18}`} width="100%" height={h + 18} role="img" aria-label={t('chart.label', { title, summary })}>
        {labels.map((label, i) => {
          let y = h;
          return (
            <g key={label}>
              {series.map((s) => {
                const v = s.values[i] ?? 0;
                const bh = (v / max) * h;
                y -= bh;
                return v > 0 ? <rect key={s.name} className={s.className} x={i * bw + 2} y={y} width={Math.max(1, bw - 4)} height={bh}><title>{`${label}: ${s.name} ${v}`}</title></rect> : null;
              })}
              {(labels.length <= 13 || i % 4 === 0) && <text x={i * bw + bw / 2} y={h + 14} textAnchor="middle" fontSize="10">{label}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {series.map((s) => <span key={s.name} className={`legend ${s.className}`}>{s.name} </span>)}
        <span className="muted">{summary}</span>
      </figcaption>
    </figure>
  );
}
