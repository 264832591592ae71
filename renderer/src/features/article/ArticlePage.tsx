import { useTranslation } from 'react-i18next';
import { ExpiryDate } from '../lots/ExpiryDate';
import { ReorderSettings } from '../replenishment/ReorderSettings';
import { StockChart } from '../replenishment/StockChart';
import { SafetyNotice } from '../service/SafetyNotice';
import { LotRecall } from '../lots/LotRecall';
import { ReturnParts } from '../service/ReturnParts';
import { SUPERVISOR_ROLES, type Role } from '../../../../vocabulary/domain';
import { useMemo, useState } from 'react';
import type { Resolution } from '../../../../db/stock/resolve';
import { ArticleEditor } from './ArticleEditor';
import { PageState } from '../../components/PageState';
import { useCall } from '../../components/useCall';
import { formatDateTime, formatNumber } from '../../i18n';
import { href } from '../../router';
import { scannedAs, useLoadAfterShown } from '../../scanning/scanned';

/** The roles that keep what comes back with a device. */
const KEEPS_PARTS: readonly Role[] = ['technician', 'supervisor', 'admin'];

export function ArticlePage({ id, role }: { id: string; role: Role }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState(false);
  // Scanned: shown at once as the core resolved it, the rest when the page's own load answers.
  const scanned = useMemo(() => scannedAs('article', id), [id]);
  const load = useLoadAfterShown(scanned !== null, id);
  const { data, error } = useCall('stock.article', load ? { id } : null, [id, tick, load]);
  // Another article scanned on this page: what it loaded is the one before's until its own load answers.
  const a = data?.id === id ? data : null;
  if (!a) return scanned && !error ? <ScannedArticle article={scanned} /> : <PageState error={error} />;
  const editable = (SUPERVISOR_ROLES as readonly Role[]).includes(role);
  return (
    <main id="main" className="page">
      <p className="eyebrow">{t('search.kinds.article')} {a.articleNumber}</p>
      <h1>{a.name}</h1>
      <dl className="facts">
        <div><dt>{t('article.number')}</dt><dd className="code">{a.articleNumber}</dd></div>
        <div><dt>{t('article.iso')}</dt><dd>{a.isoCode} {a.isoTitle ?? ''}</dd></div>
        <div><dt>{t('article.rentOrSale')}</dt><dd>{a.rentable ? t('article.rentable') : t('article.sold')}</dd></div>
        <div><dt>{t('article.unit')}</dt><dd>{a.unit}</dd></div>
        <div><dt>{t('article.supplier')}</dt><dd>{a.supplier}</dd></div>
        <div><dt>{t('article.price')}</dt><dd>{formatNumber(a.purchasePrice / 100)} kr</dd></div>
        <div><dt>{t('article.tracking')}</dt><dd>{t(`article.trackingKinds.${a.tracking}`)}</dd></div>
        <div><dt>{t('article.gtins')}</dt><dd className="code">{a.gtins.join(', ')}</dd></div>
        {a.hibc.length > 0 && <div><dt>{t('article.hibc')}</dt><dd className="code">{a.hibc.join(', ')}</dd></div>}
        {a.equivalenceGroup && <div><dt>{t('article.equivalenceGroup')}</dt><dd>{a.equivalenceGroup}</dd></div>}
        {a.changedBy && <div><dt>{t('article.changed')}</dt><dd>{a.changedBy}, {formatDateTime(a.changedAt ?? 0)}</dd></div>}
        <div><dt>{a.heldSite ? t('article.totalHere', { site: a.heldSite.name }) : t('article.total')}</dt><dd className="big-number">{formatNumber(a.totalQuantity)} {a.unit}</dd></div>
      </dl>
      {a.heldSite && <p className="muted" data-testid="held-site">{t('article.heldSiteOnly', { site: a.heldSite.name })}</p>}
      {a.equivalents.length > 0 && (
        <section aria-labelledby="equivalents">
          <h2 id="equivalents">{t('article.equivalents')}</h2>
          <p className="muted">{t('article.equivalenceHelp')}</p>
          <ul data-testid="equivalents">
            {a.equivalents.map((e) => (
              <li key={e.id}>
                <a href={href('article', e.id)} className="code">{e.articleNumber}</a> {e.name} · {t('article.readyCount', { count: e.ready })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {editable && (
        <section aria-labelledby="edit-article">
          <h2 id="edit-article">{t('article.edit')}</h2>
          {editing ? (
            <ArticleEditor
              draft={{
                id: a.id,
                articleNumber: a.articleNumber,
                name: a.name,
                isoCode: a.isoCode,
                supplier: a.supplier,
                unit: a.unit,
                price: String(a.purchasePrice / 100).replace('.', ','),
                rentable: a.rentable,
                tracking: a.tracking,
                equivalenceGroup: a.equivalenceGroup ?? '',
                gtins: a.gtins.join('\n'),
                hibc: a.hibc.join('\n'),
              }}
              onSaved={() => setTick((n) => n + 1)}
            />
          ) : (
            <button type="button" className="ghost" onClick={() => setEditing(true)}>
              {t('article.edit')}
            </button>
          )}
        </section>
      )}
      {a.individualsByStatus.length > 0 && (
        <section aria-labelledby="ind-status">
          <h2 id="ind-status">{t('article.individuals')}</h2>
          <ul className="chips">
            {a.individualsByStatus.map((s) => (
              <li key={s.status} className={`chip status-${s.status}`}>
                {t(`status.${s.status}`)}: {formatNumber(s.count)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="by-site">
        <h2 id="by-site">{t('article.bySite')}</h2>
        {a.sites.length === 0 ? (
          <p className="muted">{t('article.noStock')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr><th scope="col">{t('article.site')}</th><th scope="col">{t('article.location')}</th><th scope="col">{t('article.lot')}</th><th scope="col">{t('article.expires')}</th><th scope="col" className="num">{t('article.quantity')}</th></tr>
            </thead>
            <tbody>
              {a.sites.flatMap((s) => [
                <tr key={s.siteId} className="group-row">
                  <th scope="row" colSpan={4}>{s.siteName}</th>
                  <td className="num">{formatNumber(s.quantity)}</td>
                </tr>,
                ...s.locations.map((l) => (
                  <tr key={`${l.locationId}|${l.lot}`}>
                    <td />
                    <td><a href={href('location', l.locationId)} className="code">{l.code}</a></td>
                    <td>{l.lot}</td>
                    <td>{l.expiresOn ? <ExpiryDate day={l.expiresOn} /> : ''}</td>
                    <td className="num">{formatNumber(l.quantity)}</td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        )}
      </section>
      {a.rentable && <ReturnParts articleId={a.id} editable={KEEPS_PARTS.includes(role)} />}
      <ReorderSettings articleId={a.id} />
      <StockChart articleId={a.id} />
      {a.rentable ? <SafetyNotice articleId={a.id} articleNumber={a.articleNumber} /> : a.tracking !== 'none' && <LotRecall articleId={a.id} />}
    </main>
  );
}

/** A scanned article as the core resolved it in the scan, while the page loads the rest. */
function ScannedArticle({ article: r }: { article: Extract<Resolution, { kind: 'article' }> }) {
  const { t } = useTranslation();
  return (
    <main id="main" className="page" aria-busy="true">
      <p className="eyebrow">{t('search.kinds.article')} {r.articleNumber}</p>
      <h1>{r.name}</h1>
      <p className="muted">{t('app.loading')}</p>
    </main>
  );
}
