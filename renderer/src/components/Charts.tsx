/**
 * Charts drawn with recharts: axes with ticks and their unit, a tooltip and a legend, sized to the
 * space they are given. Each has the same figures as a table (folded away under the chart) for a
 * screen reader or anyone who wants the numbers; the drawing itself is hidden from screen readers.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber, locale } from '../i18n';

export interface Series {
  key: string;
  name: string;
  values: readonly number[];
  /** A CSS colour (a custom property such as var(--ok) works). */
  color: string;
}

interface ChartProps {
  title: string;
  /** What the values count, shown on the value axis and after each value: "st", "%". */
  unit: string;
  /** The name of the category axis and the table's first column: "Vecka", "Zon", "Dag". */
  category: string;
  categories: readonly string[];
  series: readonly Series[];
  testId: string;
  height?: number;
}

/** One value with its unit, the Swedish way ("1 234 st", "98 %"). */
export const withUnit = (v: number, unit: string) => `${formatNumber(v)}${unit ? `\u00a0${unit}` : ''}`;

/** A day written YYYY-MM-DD as a short date in the language on screen ("2 dec."). */
export const shortDay = (day: string) => new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short' }).format(new Date(`${day}T12:00:00`));

function rows(categories: readonly string[], series: readonly Series[]) {
  return categories.map((c, i) => ({ category: c, ...Object.fromEntries(series.map((s) => [s.key, s.values[i] ?? 0])) }));
}

/** The chart's figures as a table, folded away under it. */
function FiguresTable({ title, unit, category, categories, series, format }: Omit<ChartProps, 'testId' | 'height'> & { format?: (c: string) => string }) {
  const { t } = useTranslation();
  return (
    <details className="chart-figures">
      <summary>{t('chart.table')}</summary>
      <table className="table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{category}</th>
            {series.map((s) => (
              <th scope="col" key={s.key} className="num">{`${s.name} (${unit})`}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={c}>
              <th scope="row">{format ? format(c) : c}</th>
              {series.map((s) => (
                <td key={s.key} className="num">{formatNumber(s.values[i] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Frame({ testId, summary, height, children, table }: { testId: string; summary: string; height: number; children: ReactNode; table: ReactNode }) {
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="visually-hidden">{summary}</figcaption>
      <div aria-hidden="true" style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 640, height }}>
          {children}
        </ResponsiveContainer>
      </div>
      {table}
    </figure>
  );
}

const tooltipStyle = { background: 'var(--card)', border: '1px solid var(--line)', color: 'var(--fg)' };
/** Each value in the tooltip in the text colour (a series' own colour is too pale to read on the card). */
const tooltipItemStyle = { color: 'var(--fg)' };

/**
 * Bars per category, one bar per series, or stacked; values with their unit on the axis, in the
 * tooltip and in the table. `across` lays the bars along the page (long category names, few of them).
 */
export function BarChartFigure(props: ChartProps & { stacked?: boolean; max?: number; format?: (c: string) => string; across?: boolean }) {
  const { t } = useTranslation();
  const { title, unit, category, categories, series, testId, stacked, max, format, across } = props;
  const height = props.height ?? (across ? Math.max(120, categories.length * 36 + 70) : 240);
  const summary = t('chart.label', { title, summary: series.map((s) => `${s.name} ${withUnit(s.values.reduce((a, b) => a + b, 0), unit)}`).join(', ') });
  const valueAxis = { allowDecimals: false, domain: [0, max ?? 'auto'] as [number, number | 'auto'], tickFormatter: (v: number) => formatNumber(v), tick: { fontSize: 12 } };
  const categoryAxis = { dataKey: 'category', tickFormatter: format, tick: { fontSize: 12 } };
  return (
    <Frame testId={testId} summary={summary} height={height} table={<FiguresTable {...props} />}>
      <BarChart data={rows(categories, series)} layout={across ? 'vertical' : 'horizontal'} margin={{ top: 8, right: 16, bottom: across ? 16 : 4, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={!!across} horizontal={!across} />
        {across ? (
          <>
            <XAxis type="number" {...valueAxis} label={{ value: unit, position: 'insideBottomRight', offset: -8, fontSize: 12 }} />
            <YAxis type="category" {...categoryAxis} width={190} interval={0} />
          </>
        ) : (
          <>
            <XAxis {...categoryAxis} interval="preserveStartEnd" minTickGap={8} />
            <YAxis {...valueAxis} width={56} label={{ value: unit, angle: -90, position: 'insideLeft', fontSize: 12 }} />
          </>
        )}
        <Tooltip formatter={(v) => withUnit(Number(v), unit)} labelFormatter={(c) => `${category} ${format ? format(String(c)) : String(c)}`} contentStyle={tooltipStyle} itemStyle={tooltipItemStyle} />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={stacked ? 'one' : undefined} isAnimationActive={false} />
        ))}
      </BarChart>
    </Frame>
  );
}

/** Lines over days; the days on the axis as short dates. */
export function LineChartFigure(props: ChartProps) {
  const { t } = useTranslation();
  const { title, unit, categories, series, testId, height = 240 } = props;
  const last = categories.length - 1;
  const summary = t('chart.label', { title, summary: series.map((s) => `${s.name} ${withUnit(s.values[last] ?? 0, unit)}`).join(', ') });
  return (
    <Frame testId={testId} summary={summary} height={height} table={<FiguresTable {...props} format={shortDay} />}>
      <LineChart data={rows(categories, series)} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="category" tickFormatter={shortDay} interval="preserveStartEnd" minTickGap={24} tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} tickFormatter={(v: number) => formatNumber(v)} tick={{ fontSize: 12 }} width={56} label={{ value: unit, angle: -90, position: 'insideLeft', fontSize: 12 }} />
        <Tooltip formatter={(v) => withUnit(Number(v), unit)} labelFormatter={(c) => shortDay(String(c))} contentStyle={tooltipStyle} itemStyle={tooltipItemStyle} />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        {series.map((s) => (
          <Line key={s.key} type="stepAfter" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </Frame>
  );
}
