import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Resolution } from '../../../../db/stock/resolve';
import { PageState } from '../../components/PageState';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';
import { href } from '../../router';
import { scannedAs, useLoadAfterShown } from '../../scanning/scanned';
import { PrintLabelButton, printIndividualLabel } from '../printing/PrintLabelButton';
import { Timeline } from '../service/Timeline';

/** One device: what it is, where it is now, and everything that happened to it. */
export function IndividualPage({ id }: { id: string }) {
  const { t } = useTranslation();
  // Scanned: shown at once as the core resolved it, the rest when the page's own load answers.
  const scanned = useMemo(() => scannedAs('individual', id), [id]);
  const load = useLoadAfterShown(scanned !== null, id);
  const { data, error } = useCall('stock.individual', load ? { id } : null, [id, load]);
  // Another individual scanned on this page: what it loaded is the one before's until its own load answers.
  const d = data?.id === id ? data : null;
  if (!d) return scanned && !error ? <ScannedIndividual individual={scanned} /> : <PageState error={error} />;
  return (
    <main id="main" className="page">
      <p className="eyebrow">{t('search.kinds.individual')}</p>
      <h1>
        <span className="code">{d.individualNumber}</span> {d.article.name}
      </h1>
      <p>
        <span className={`chip status-${d.status}`} data-testid="individual-status">{t(`status.${d.status}`)}</span>{' '}
        <PrintLabelButton label={t('printing.printLabel')} print={() => printIndividualLabel(d.id)} />
      </p>
      <dl className="facts">
        <div><dt>{t('individual.article')}</dt><dd><a href={href('article', d.article.id)}>{d.article.articleNumber}</a> ({d.article.isoCode})</dd></div>
        <div><dt>{t('individual.serial')}</dt><dd className="code">{d.serialNumber ?? '–'}</dd></div>
        <div><dt>{t('individual.udi')}</dt><dd className="code">{d.udi ?? '–'}</dd></div>
        <div>
          <dt>{t('individual.where')}</dt>
          <dd data-testid="individual-where">
            {d.location ? (
              <>
                {d.site?.name}: <a href={href('location', d.location.id)} className="code">{d.location.code}</a> ({t(`locationKind.${d.location.kind}`)})
              </>
            ) : (
              t('individual.notInStock')
            )}
          </dd>
        </div>
      </dl>
      <Timeline individualId={d.id} />
      <section aria-labelledby="history">
        <h2 id="history">{t('individual.history')}</h2>
        {d.history.length === 0 ? (
          <p className="muted">{t('individual.noHistory')}</p>
        ) : (
          <table className="table" data-testid="history">
            <thead>
              <tr>
                <th scope="col">{t('individual.when')}</th>
                <th scope="col">{t('individual.what')}</th>
                <th scope="col">{t('individual.from')}</th>
                <th scope="col">{t('individual.to')}</th>
                <th scope="col">{t('individual.by')}</th>
                <th scope="col">{t('individual.order')}</th>
              </tr>
            </thead>
            <tbody>
              {d.history.map((h) => (
                <tr key={h.id}>
                  <td>{formatDateTime(h.occurredAt)}</td>
                  <td>{t(`reason.${h.reason}`)}</td>
                  <td className="code">{h.fromCode ?? '–'}</td>
                  <td className="code">{h.toCode ?? '–'}</td>
                  <td>{h.userName}</td>
                  <td className="code">{h.orderRef ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

/** A scanned individual as the core resolved it in the scan: what it is, its status and where it lies, while the page loads the rest. */
function ScannedIndividual({ individual: r }: { individual: Extract<Resolution, { kind: 'individual' }> }) {
  const { t } = useTranslation();
  return (
    <main id="main" className="page" aria-busy="true">
      <p className="eyebrow">{t('search.kinds.individual')}</p>
      <h1>
        <span className="code">{r.individualNumber}</span> {r.articleName}
      </h1>
      <p>
        <span className={`chip status-${r.status}`}>{t(`status.${r.status}`)}</span>
      </p>
      <dl className="facts">
        <div>
          <dt>{t('individual.where')}</dt>
          <dd>{r.locationCode ? <span className="code">{r.locationCode}</span> : t('individual.notInStock')}</dd>
        </div>
      </dl>
      <p className="muted">{t('app.loading')}</p>
    </main>
  );
}
