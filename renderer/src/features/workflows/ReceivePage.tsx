import { useTranslation } from 'react-i18next';
import { ScanField } from './useWorkflow';
import { Prompt, QuantityField, SessionStatus, useSession } from './useSession';

/** Goods receipt: scan the purchase order, then every item; new individuals get their numbers at once. The workflow runs in the core. */
export function ReceivePage() {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('receipt');
  const order = state?.order ?? null;

  return (
    <main id="main" className="page">
      <h1>{t('receive.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <QuantityField value={state?.quantity ?? 1} onChange={(quantity) => send({ kind: 'quantity', quantity })} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
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
