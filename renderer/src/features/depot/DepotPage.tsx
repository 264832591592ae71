import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { VirtualList } from '../../components/VirtualList';
import { formatNumber } from '../../i18n';
import { href } from '../../router';

/** What one depot holds, per article. */
export function DepotPage({ defaultSiteId }: { defaultSiteId: string }) {
  const { t } = useTranslation();
  const { data: sites, error: sitesError } = useCall('stock.sites', {}, []);
  const [siteId, setSiteId] = useState(defaultSiteId);
  useEffect(() => setSiteId(defaultSiteId), [defaultSiteId]);
  const { data: rows, error } = useCall('stock.siteStock', siteId ? { siteId } : null, [siteId]);
  return (
    <main id="main" className="page">
      <h1>{t('depot.title')}</h1>
      <label className="field" htmlFor="depot-site">{t('depot.site')}</label>
      <select id="depot-site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
        {(sites ?? []).map((s) => (
          <option key={s.id} value={s.id}>{s.name} ({s.municipality})</option>
        ))}
      </select>
      <ErrorNote error={sitesError ?? error} />
      <p className="muted" aria-live="polite">{rows ? (rows.length ? t('depot.rows', { count: rows.length }) : t('depot.empty')) : t('app.loading')}</p>
      <VirtualList
        id="depot-stock"
        role="list"
        label={t('depot.title')}
        count={rows?.length ?? 0}
        renderRow={(i) => {
          const r = rows![i]!;
          return (
            <a className="hit" href={href('article', r.articleId)}>
              <span className="code">{r.articleNumber}</span>
              <span className="title">{r.name}</span>
              <span className="detail num">{formatNumber(r.quantity)}</span>
            </a>
          );
        }}
      />
    </main>
  );
}
