import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Resolution } from '../../../../db/stock/resolve';
import { ExpiryDate } from '../lots/ExpiryDate';
import { ManageLocation } from './ManageLocation';
import { PageState } from '../../components/PageState';
import { useCall } from '../../components/useCall';
import { formatNumber } from '../../i18n';
import { href } from '../../router';
import { scannedAs, useLoadAfterShown } from '../../scanning/scanned';
import { PrintLabelButton, printLocationLabels } from '../printing/PrintLabelButton';

export function LocationPage({ id, keeps, supervisor }: { id: string; keeps: boolean; supervisor: boolean }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  // Scanned: shown at once as the core resolved it, the rest when the page's own load answers.
  const scanned = useMemo(() => scannedAs('location', id), [id]);
  const load = useLoadAfterShown(scanned !== null, id);
  const { data, error } = useCall('stock.location', load ? { id } : null, [id, tick, load]);
  // Another location scanned on this page: what it loaded is the one before's until its own load answers.
  const l = data?.id === id ? data : null;
  if (!l) return scanned && !error ? <ScannedLocation location={scanned} /> : <PageState error={error} />;
  return (
    <main id="main" className="page">
      <p className="eyebrow">{t('search.kinds.location')} · {t(`locationKind.${l.kind}`)}</p>
      <h1 className="code">{l.code}</h1>
      <p className="actions">
        <PrintLabelButton label={t('printing.printLocation')} print={() => printLocationLabels(l.code)} />
        {l.children.length > 0 && <PrintLabelButton label={t('printing.printRange', { code: l.code })} print={() => printLocationLabels(l.code, l.code)} />}
      </p>
      <dl className="facts">
        <div><dt>{t('location.site')}</dt><dd>{l.siteName}</dd></div>
        <div><dt>{t('location.path')}</dt><dd className="code">{l.path.join(' › ')}</dd></div>
        <div><dt>{t('location.kind')}</dt><dd>{t(`locationKind.${l.kind}`)}</dd></div>
      </dl>
      <section aria-labelledby="contents">
        <h2 id="contents">{t('location.contents')}</h2>
        {l.contents.length === 0 ? (
          <p className="muted">{t('location.empty')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr><th scope="col">{t('article.number')}</th><th scope="col">{t('individual.article')}</th><th scope="col">{t('article.lot')}</th><th scope="col">{t('article.expires')}</th><th scope="col" className="num">{t('article.quantity')}</th></tr>
            </thead>
            <tbody>
              {l.contents.map((c) => (
                <tr key={`${c.articleId}|${c.lot}`}>
                  <td><a href={href('article', c.articleId)} className="code">{c.articleNumber}</a></td>
                  <td>{c.name}</td>
                  <td>{c.lot}</td>
                    <td>{c.expiresOn ? <ExpiryDate day={c.expiresOn} /> : ''}</td>
                  <td className="num">{formatNumber(c.quantity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {l.individuals.length > 0 && (
        <section aria-labelledby="individuals-here">
          <h2 id="individuals-here">{t('location.individuals', { count: l.individuals.length })}</h2>
          <table className="table" data-testid="location-individuals">
            <thead>
              <tr><th scope="col">{t('location.individualNumber')}</th><th scope="col">{t('individual.article')}</th><th scope="col">{t('location.status')}</th></tr>
            </thead>
            <tbody>
              {l.individuals.map((i) => (
                <tr key={i.id}>
                  <td><a href={href('individual', i.id)} className="code">{i.individualNumber}</a></td>
                  <td><span className="code">{i.articleNumber}</span> {i.articleName}</td>
                  <td>{t(`status.${i.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {l.children.length > 0 && (
        <section aria-labelledby="children">
          <h2 id="children">{t('location.children')}</h2>
          <ul className="chips">
            {l.children.map((c) => (
              <li key={c.id}><a className="chip code" href={href('location', c.id)}>{c.code}</a></li>
            ))}
          </ul>
        </section>
      )}
      {l.retiredAt === null && <ManageLocation key={l.id} location={l} keeps={keeps} supervisor={supervisor} onChanged={() => setTick((n) => n + 1)} />}
    </main>
  );
}

/** A scanned location as the core resolved it in the scan: its code, name and site, while the page loads the rest. */
function ScannedLocation({ location: r }: { location: Extract<Resolution, { kind: 'location' }> }) {
  const { t } = useTranslation();
  return (
    <main id="main" className="page" aria-busy="true">
      <p className="eyebrow">{t('search.kinds.location')}</p>
      <h1 className="code">{r.code}</h1>
      <dl className="facts">
        <div>
          <dt>{t('location.site')}</dt>
          <dd>{r.siteName}</dd>
        </div>
      </dl>
      <p className="muted">{t('app.loading')}</p>
    </main>
  );
}
