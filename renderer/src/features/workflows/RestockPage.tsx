import { useTranslation } from 'react-i18next';
import { ScanField } from './useWorkflow';
import { Prompt, SessionStatus, useSession } from './useSession';

/**
 * A restocking run at a depot: scan the refill pallet's SSCC, then a shelf, then what goes there
 * (one scan, one unit; an individual is one); DONE compares it all with the manifest. The workflow
 * runs in the core.
 */
export function RestockPage() {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('restock');
  const report = state?.report ?? null;

  return (
    <main id="main" className="page">
      <h1>{t('restock.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
      {report && (
        <section aria-labelledby="restock-h" className="card">
          <h2 id="restock-h">
            <span className="code">{report.pallet.sscc}</span> · {report.pallet.deliveryPoint}
          </h2>
          <table className="lines" data-testid="restock-lines">
            <thead>
              <tr>
                <th scope="col">{t('replenishment.article')}</th>
                <th scope="col" className="num">{t('restock.expected')}</th>
                <th scope="col" className="num">{t('restock.received')}</th>
                <th scope="col">{t('restock.state')}</th>
              </tr>
            </thead>
            <tbody>
              {[...report.lines, ...report.extra].map((l) => (
                <tr key={`${l.articleId}|${l.individualId ?? ''}`}>
                  <td><span className="code">{l.individualNumber ?? l.articleNumber}</span> {l.name}</td>
                  <td className="num">{l.expected}</td>
                  <td className="num">{l.received}</td>
                  <td>{l.received === l.expected ? t('restock.ok') : l.expected === 0 ? t('restock.extra') : l.received < l.expected ? t('restock.short', { n: l.expected - l.received }) : t('restock.over', { n: l.received - l.expected })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.pallet.state !== 'received' && (
            <button type="button" onClick={() => send({ kind: 'command', command: 'done' })}>{t('restock.finish')}</button>
          )}
        </section>
      )}
    </main>
  );
}
