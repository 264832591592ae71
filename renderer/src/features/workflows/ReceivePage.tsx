import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useScans } from '../../scanning/useScans';
import { ScanField } from './useWorkflow';
import { Prompt, QuantityField, SessionStatus, useSession } from './useSession';

/**
 * Goods receipt: scan the purchase order, then every item; new individuals get their numbers at
 * once. The workflow runs in the core. A GTIN no article has is not a dead end: a supervisor links
 * it here to the order line's article, and the next scan receives it.
 */
export function ReceivePage({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('receipt');
  const order = state?.order ?? null;
  const [unlinked, setUnlinked] = useState<string | null>(null);
  const [linked, setLinked] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useScans((scan) => {
    const r = scan.resolution;
    setUnlinked(r?.kind === 'unknown' && r.gtin ? r.gtin : null);
    setLinked(null);
    setError(null);
  });
  const link = (gtin: string, articleId: string) =>
    call('stock.linkGtin', { gtin, articleId }).then(
      (r) => (setUnlinked(null), setError(null), setLinked(t('receive.linked', { gtin: r.gtin, article: r.articleNumber }))),
      setError,
    );

  return (
    <main id="main" className="page">
      <h1>{t('receive.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <QuantityField value={state?.quantity ?? 1} onChange={(quantity) => send({ kind: 'quantity', quantity })} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
      {linked && (
        <p className="note note-ok" role="status" data-testid="gtin-linked">
          {linked}
        </p>
      )}
      {order && unlinked && (
        <section aria-labelledby="link-gtin" className="note" data-testid="link-gtin">
          <h2 id="link-gtin">{t('receive.unknownGtin', { gtin: unlinked })}</h2>
          <ErrorNote error={error} />
          {supervisor ? (
            <>
              <p>{t('receive.linkHelp')}</p>
              <ul className="actions">
                {order.lines.map((l) => (
                  <li key={l.lineNo}>
                    <button type="button" onClick={() => void link(unlinked, l.articleId)}>
                      {t('receive.linkTo', { number: l.articleNumber, name: l.name })}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('receive.askSupervisor')}</p>
          )}
        </section>
      )}
      {order && (
        <section aria-labelledby="po-lines">
          <h2 id="po-lines">
            {order.poNumber} · {order.supplier}
          </h2>
          <table className="table" data-testid="po-lines">
            <thead>
              <tr>
                <th scope="col">{t('article.number')}</th>
                <th scope="col">{t('individual.article')}</th>
                <th scope="col" className="num">{t('receive.ordered')}</th>
                <th scope="col" className="num">{t('receive.receivedCol')}</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((l) => (
                <tr key={l.lineNo} className={l.received > l.ordered ? 'over' : l.received === l.ordered ? 'complete' : undefined}>
                  <td className="code">{l.articleNumber}</td>
                  <td>{l.name}</td>
                  <td className="num">{l.ordered}</td>
                  <td className="num">{l.received}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {state && state.newIndividuals.length > 0 && (
        <section aria-labelledby="new-individuals">
          <h2 id="new-individuals">{t('receive.newIndividuals')}</h2>
          <ul className="chips">
            {state.newIndividuals.map((n) => (
              <li key={n} className="chip code">{n}</li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
