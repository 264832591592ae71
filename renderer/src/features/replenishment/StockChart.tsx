import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { linePoints } from '../../components/chart';
import { useCall } from '../../components/useCall';
import { formatNumber } from '../../i18n';

/** Stock on hand of one article at one site over the last months, as a line. */
export function StockChart({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const { data: sites } = useCall('stock.sites', {}, []);
  const [siteId, setSiteId] = useState('');
  const site = siteId || sites?.[0]?.id || '';
  const { data } = useCall('replenishment.stockHistory', site ? { articleId, siteId: site, days: 180 } : null, [articleId, site]);
  const w = 640;
  const h = 160;
  const points = linePoints((data ?? []).map((p) => p.onHand), w, h);
  const last = data?.at(-1);
  return (
    <section aria-labelledby="stock-chart">
      <h2 id="stock-chart">{t('replenishment.chart')}</h2>
      <label className="field" htmlFor="chart-site">{t('replenishment.site')}</label>
      <select id="chart-site" value={site} onChange={(e) => setSiteId(e.target.value)}>
        {(sites ?? []).map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </select>
      {data && (
        <figure>
          <svg viewBox={`0 0 ${w} ${h}`} width="100%" height={h} role="img" aria-label={t('replenishment.chartLabel', { from: data[0]?.day, to: last?.day, now: formatNumber(last?.onHand ?? 0) })}>
            <polyline points={points} fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          <figcaption className="muted">{t('replenishment.chartLabel', { from: data[0]?.day, to: last?.day, now: formatNumber(last?.onHand ?? 0) })}</figcaption>
        </figure>
      )}
    </section>
  );
}
