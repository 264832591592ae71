import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Order = CallOutput<'receiving.order'>;

/** Goods receipt: scan the purchase order, then every item; new individuals get their numbers at once. */
export function ReceivePage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [order, setOrder] = useState<Order | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [newIndividuals, setNewIndividuals] = useState<string[]>([]);

  const reload = async (poNumber: string) => setOrder(await call('receiving.order', { poNumber }));

  useWorkflowScans(
    w,
    async (scan) => {
      const r = scan.resolution;
      if (r?.kind === 'order' && r.ref.startsWith('IO-')) {
        await reload(r.ref);
        setNewIndividuals([]);
        return w.ok(t('receive.orderOpened', { ref: r.ref }));
      }
      if (!order) return w.fail(new Error(t('receive.scanOrderFirst')));
      if (r?.kind !== 'article') return w.fail(new Error(t('receive.notAnArticle')));
      const line = order.lines.find((l) => l.articleId === r.id);
      if (line && line.tracking !== 'none' && !r.details.lot) return w.fail(new Error(t('receive.lotNeeded', { article: line.articleNumber })));
      const got = await call('receiving.receive', {
        poNumber: order.poNumber,
        articleId: r.id,
        quantity: r.details.quantity ?? (line?.rentable ? 1 : quantity),
        lot: r.details.lot ?? null,
        expiresOn: r.details.expiry ?? null,
        serialNumber: r.details.serial ?? null,
        udi: r.details.serial ? scan.text : null,
      });
      w.done(got.movementIds);
      await reload(order.poNumber);
      const numbers = got.individuals.map((i) => i.individualNumber);
      setNewIndividuals((xs) => [...numbers, ...xs]);
      const text = numbers.length
        ? t('receive.receivedIndividual', { article: got.line.articleNumber, numbers: numbers.join(', ') })
        : t('receive.received', { article: got.line.articleNumber, received: got.line.received, ordered: got.line.ordered });
      if (got.over) w.warn(`${text} ${t('receive.over', { received: got.line.received, ordered: got.line.ordered })}`);
      else w.ok(text);
    },
    (command) => {
      if (command === 'done' || command === 'cancel') {
        setOrder(null);
        setNewIndividuals([]);
        w.ok(t('receive.closed'));
      }
    },
  );

  return (
    <main id="main" className="page">
      <h1>{t('receive.title')}</h1>
      <p className="prompt" data-testid="prompt">{order ? t('receive.scanItems', { ref: order.poNumber }) : t('receive.scanOrder')}</p>
      <ScanField label={t('workflow.typeCode')} />
      <label className="field inline">
        {t('receive.quantity')}
        <input type="number" min={1} max={10000} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} />
      </label>
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo()} />
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
      {newIndividuals.length > 0 && (
        <section aria-labelledby="new-individuals">
          <h2 id="new-individuals">{t('receive.newIndividuals')}</h2>
          <ul className="chips">
            {newIndividuals.map((n) => (
              <li key={n} className="chip code">{n}</li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
