import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatNumber } from '../../i18n';

type Overview = CallOutput<'supervisor.overview'>;
type Status = Overview['bySite'][number]['status'];

const STATUS_ORDER: Status[] = ['in_stock', 'reserved', 'in_transit', 'returned', 'in_cleaning', 'in_reconditioning', 'quarantine', 'on_loan', 'scrapped'];

/** Stacked bars: individuals per site, by status. A table of the same numbers sits beside it. */
function SiteChart({ data }: { data: Overview['bySite'] }) {
  const { t } = useTranslation();
  const sites = [...new Map(data.map((r) => [r.siteId, r.siteName])).entries()];
  const statuses = STATUS_ORDER.filter((s) => data.some((r) => r.status === s));
  const count = (site: string, status: Status) => data.find((r) => r.siteId === site && r.status === status)?.count ?? 0;
  const totals = sites.map(([id]) => statuses.reduce((n, s) => n + count(id, s), 0));
  const max = Math.max(1, ...totals);
  const rowH = 26;
  const labelW = 230;
  const width = 760;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby="site-chart-title" viewBox={`0 0 ${width} ${sites.length * rowH + 40}`} width="100%">
        <title id="site-chart-title">{t('overview.bySite')}</title>
        {sites.map(([id, name], i) => {
          let x = labelW;
          return (
            <g key={id} transform={`translate(0, ${i * rowH})`}>
              <text x={labelW - 8} y={rowH / 2 + 4} textAnchor="end" className="chart-label">{name}</text>
              {statuses.map((s) => {
                const w = (count(id, s) / max) * (width - labelW - 60);
                const rect = <rect key={s} x={x} y={4} width={w} height={rowH - 8} className={`bar status-${s}`} />;
                x += w;
                return rect;
              })}
              <text x={x + 6} y={rowH / 2 + 4} className="chart-label">{formatNumber(totals[i]!)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {statuses.map((s) => (
            <li key={s}><span className={`swatch status-${s}`} aria-hidden="true" />{t(`status.${s}`)}</li>
          ))}
        </ul>
        <details>
          <summary>{t('overview.showTable')}</summary>
          <table className="table">
            <thead><tr><th scope="col">{t('depot.site')}</th>{statuses.map((s) => <th scope="col" key={s} className="num">{t(`status.${s}`)}</th>)}</tr></thead>
            <tbody>
              {sites.map(([id, name]) => (
                <tr key={id}><th scope="row">{name}</th>{statuses.map((s) => <td key={s} className="num">{formatNumber(count(id, s))}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}

function DailyChart({ data }: { data: Overview['daily'] }) {
  const { t } = useTranslation();
  const days = [...new Set(data.map((d) => d.day))];
  const perDay = days.map((d) => data.filter((r) => r.day === d).reduce((n, r) => n + r.count, 0));
  const max = Math.max(1, ...perDay);
  const w = 760;
  const h = 160;
  const bw = w / Math.max(1, days.length);
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby="daily-title" viewBox={`0 0 ${w} ${h + 20}`} width="100%">
        <title id="daily-title">{t('overview.daily')}</title>
        {perDay.map((n, i) => (
          <rect key={days[i]} x={i * bw + 2} y={h - (n / max) * h} width={bw - 4} height={(n / max) * h} className="bar daily">
            <title>{`${days[i]}: ${formatNumber(n)}`}</title>
          </rect>
        ))}
        <text x={0} y={h + 16} className="chart-label">{days[0] ?? ''}</text>
        <text x={w} y={h + 16} textAnchor="end" className="chart-label">{days.at(-1) ?? ''}</text>
      </svg>
    </figure>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const { data, error } = useCall('supervisor.overview', {}, []);
  return (
    <main id="main" className="page">
      <h1>{t('overview.title')}</h1>
      <ErrorNote error={error} />
      {!data ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : (
        <>
          <ul className="kpis">
            <li><span className="kpi-value">{formatNumber(data.articles)}</span> {t('overview.articles')}</li>
            <li><span className="kpi-value">{formatNumber(data.individuals)}</span> {t('overview.individuals')}</li>
            <li><span className="kpi-value">{formatNumber(data.onLoan)}</span> {t('overview.onLoan')}</li>
            <li><span className="kpi-value">{formatNumber(data.movements)}</span> {t('overview.movements')}</li>
          </ul>
          <section aria-labelledby="by-site-h"><h2 id="by-site-h">{t('overview.bySite')}</h2><SiteChart data={data.bySite} /></section>
          <section aria-labelledby="daily-h"><h2 id="daily-h">{t('overview.daily')}</h2><DailyChart data={data.daily} /></section>
        </>
      )}
    </main>
  );
}
