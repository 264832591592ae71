import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../db/schema';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { VirtualList } from '../../components/VirtualList';
import { formatNumber } from '../../i18n';
import { href } from '../../router';

/** Supervisors turn the station at an unmanned depot into its kiosk here. */
function KioskSettings() {
  const { t } = useTranslation();
  const { data } = useCall('kiosk.settings', {}, []);
  const [value, setValue] = useState<{ enabled: boolean; idleSeconds: number } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const v = value ?? data;
  if (!v) return null;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await call('kiosk.configure', v);
      setNote(t('depotKiosk.saved'));
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="kiosk-settings">
      <h2 id="kiosk-settings">{t('depotKiosk.title')}</h2>
      <p className="muted">{t('depotKiosk.intro')}</p>
      <form onSubmit={save} className="settings-form">
        <label>
          <input type="checkbox" checked={v.enabled} onChange={(e) => setValue({ ...v, enabled: e.target.checked })} /> {t('depotKiosk.enabled')}
        </label>
        <label>
          {t('depotKiosk.idle')}
          <input type="number" min={15} max={600} value={v.idleSeconds} onChange={(e) => setValue({ ...v, idleSeconds: Math.min(600, Math.max(15, Number(e.target.value) || 60)) })} />
        </label>
        <button type="submit">{t('depotKiosk.save')}</button>
      </form>
      <p role="status" aria-live="polite">{note}</p>
      <ErrorNote error={error} />
    </section>
  );
}

/** What one depot holds, per article. */
export function DepotPage({ defaultSiteId, role }: { defaultSiteId: string; role: Role }) {
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
            <a className="hit hit-named" href={href('article', r.articleId)}>
              <span className="code">{r.articleNumber}</span>
              <span className="title">{r.name}</span>
              <span className="detail num">{formatNumber(r.quantity)}</span>
            </a>
          );
        }}
      />
      {(role === 'supervisor' || role === 'admin') && <KioskSettings />}
    </main>
  );
}
