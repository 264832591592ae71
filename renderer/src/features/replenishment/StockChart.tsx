import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LineChartFigure, withUnit } from '../../components/Charts';
import { useCall } from '../../components/useCall';

/**
 * An article's stock at one site over the last months: everything at the site (the figure the
 * article's table shows for it) and what of it stands in stock to use (what reordering counts).
 */
export function StockChart({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const { data: sites } = useCall('stock.sites', {}, []);
  const [siteId, setSiteId] = useState('');
  const site = siteId || sites?.[0]?.id || '';
  const { data } = useCall('replenishment.stockHistory', site ? { articleId, siteId: site, days: 180 } : null, [articleId, site]);
  const last = data?.at(-1);
  const pcs = t('chart.pieces');
  return (
    <section aria-labelledby="stock-chart">
      <h2 id="stock-chart">{t('replenishment.chart')}</h2>
      <label className="field" htmlFor="chart-site">{t('replenishment.site')}</label>
      <select id="chart-site" value={site} onChange={(e) => setSiteId(e.target.value)}>
        {(sites ?? []).map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </select>
      {data && last && (
        <>
          <p data-testid="stock-chart-now">
            {t('replenishment.chartLabel', { total: withUnit(last.total, pcs), onHand: withUnit(last.onHand, pcs), site: sites?.find((s) => s.id === site)?.name ?? '' })}
          </p>
          <LineChartFigure
            testId="stock-chart"
            title={t('replenishment.chart')}
            unit={pcs}
            category={t('chart.day')}
            categories={data.map((p) => p.day)}
            series={[
              { key: 'total', name: t('replenishment.chartTotal'), values: data.map((p) => p.total), color: 'var(--accent)' },
              { key: 'onHand', name: t('replenishment.chartOnHand'), values: data.map((p) => p.onHand), color: 'var(--ok)' },
            ]}
          />
        </>
      )}
    </section>
  );
}
