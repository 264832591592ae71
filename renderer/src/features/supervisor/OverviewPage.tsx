import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { BarChartFigure, shortDay } from '../../components/Charts';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatNumber } from '../../i18n';

type Overview = CallOutput<'supervisor.overview'>;
type Status = Overview['bySite'][number]['status'];

const STATUS_ORDER: Status[] = ['in_stock', 'reserved', 'in_transit', 'returned', 'in_cleaning', 'in_reconditioning', 'quarantine', 'on_loan', 'scrapped'];

/** The colour of each status, as its chips and swatches have it. */
const STATUS_COLOR: Record<Status, string> = {
  in_stock: '#3c9a5f',
  reserved: '#5b8fd1',
  in_transit: '#8d6cc4',
  on_loan: '#e0a02a',
  returned: '#e07a3c',
  in_cleaning: '#3aa7b6',
  in_reconditioning: '#c0569f',
  quarantine: '#c8463b',
  scrapped: '#7d858e',
  missing: '#8b1e1e',
  cancelled: '#9aa0a6',
};

/** Stacked bars: individuals per site, by status, with the same numbers as a table under them. */
function SiteChart({ data }: { data: Overview['bySite'] }) {
  const { t } = useTranslation();
  const sites = [...new Map(data.map((r) => [r.siteId, r.siteName])).entries()];
  const statuses = STATUS_ORDER.filter((s) => data.some((r) => r.status === s));
  const count = (site: string, status: Status) => data.find((r) => r.siteId === site && r.status === status)?.count ?? 0;
  return (
    <BarChartFigure
      testId="chart-sites"
      title={t('overview.bySite')}
      unit={t('chart.pieces')}
      category={t('chart.site')}
      categories={sites.map(([, name]) => name)}
      stacked
      across
      series={statuses.map((s) => ({ key: s, name: t(`status.${s}`), values: sites.map(([id]) => count(id, s)), color: STATUS_COLOR[s] }))}
    />
  );
}

/** Movements per day, as bars over the days. */
function DailyChart({ data }: { data: Overview['daily'] }) {
  const { t } = useTranslation();
  const days = [...new Set(data.map((d) => d.day))];
  const perDay = days.map((d) => data.filter((r) => r.day === d).reduce((n, r) => n + r.count, 0));
  return (
    <BarChartFigure
      testId="chart-daily"
      title={t('overview.daily')}
      unit={t('chart.pieces')}
      category={t('chart.day')}
      categories={days}
      format={shortDay}
      series={[{ key: 'count', name: t('overview.daily'), values: perDay, color: '#2f6fb0' }]}
    />
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
