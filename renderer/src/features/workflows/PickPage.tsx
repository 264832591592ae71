import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { formatDateTime } from '../../i18n';
import { RouteSelect, useDeliveryRoutes } from './routes';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Orders = CallOutput<'picking.list'>;

/** Picking by route and delivery day: scan the location, then the item. */
export function PickPage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const { routes, chosen, setChosen, route, deliveryDay } = useDeliveryRoutes(() => undefined);
  const [orders, setOrders] = useState<Orders>([]);
  const [from, setFrom] = useState<{ id: string; code: string } | null>(null);

  const reload = async () => {
    if (route && deliveryDay) setOrders(await call('picking.list', { route, deliveryDay }));
  };
  useEffect(() => {
    void reload().catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosen]);

  const open = orders.flatMap((o) => o.lines.filter((l) => l.picked < l.ordered).map((l) => ({ o, l })));

  useWorkflowScans(w, async (scan) => {
    const r = scan.resolution;
    if (r?.kind === 'order') {
      // Scanning an order's pick note opens its route and day.
      const found = await call('picking.orderRoute', { orderRef: r.ref });
      setChosen(`${found.route}|${found.deliveryDay}`);
      return w.ok(t('pick.orderOpened', { order: r.ref, route: found.route, day: found.deliveryDay }));
    }
    if (r?.kind === 'location') {
      setFrom({ id: r.id, code: r.code });
      return w.ok(t('pick.fromSet', { code: r.code }));
    }
    const articleId = r?.kind === 'individual' ? r.articleId : r?.kind === 'article' ? r.id : null;
    if (!articleId) return w.fail(new Error(t('pick.scanLocationOrItem')));
    const match = open.find(({ l }) => l.articleId === articleId);
    if (!match) return w.fail(new Error(t('pick.notNeeded')));
    if (r?.kind === 'article' && match.l.rentable) {
      // A device tracked one by one is picked by its own label: ask for it, proposing the one that waited longest.
      const p = match.l.proposal;
      return w.warn(p ? t('pick.scanIndividual', { article: match.l.articleNumber, proposed: p.individualNumber, code: p.locationCode }) : t('pick.scanIndividualNone', { article: match.l.articleNumber }));
    }
    if (r?.kind === 'article' && !from) return w.fail(new Error(t('pick.scanLocationFirst')));
    const got = await call('picking.pick', {
      orderRef: match.o.orderRef,
      articleId,
      individualId: r?.kind === 'individual' ? r.id : null,
      fromLocationId: r?.kind === 'individual' ? null : from!.id,
      quantity: r?.kind === 'individual' ? 1 : match.l.ordered - match.l.picked,
      lot: r?.kind === 'article' ? (r.details.lot ?? null) : null,
    });
    w.done(got.movementIds);
    await reload();
    const label = r?.kind === 'individual' ? r.individualNumber : match.l.articleNumber;
    if (got.notProposed) w.warn(t('pick.notProposed', { picked: label, proposed: got.notProposed, order: match.o.orderRef }));
    else w.ok(t('pick.picked', { item: label, order: match.o.orderRef }));
  });

  return (
    <main id="main" className="page">
      <h1>{t('pick.title')}</h1>
      <RouteSelect routes={routes} chosen={chosen} onChange={setChosen} counts />
      <p className="prompt" data-testid="prompt">{from ? t('pick.scanItemAt', { code: from.code }) : t('pick.scanLocationOrItem')}</p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo()} />
      {orders.map((o) => (
        <section key={o.orderRef} aria-labelledby={`order-${o.orderRef}`} className="card pick-order">
          <h2 id={`order-${o.orderRef}`}>
            {o.orderRef} · {o.deliveryPoint} {o.late && <span className="chip status-returned">{t('pick.late')}</span>}
          </h2>
          <p className="muted">
            {o.customerRef} · {t('pick.placed')} {formatDateTime(o.placedAt)}
          </p>
          <table className="table" data-testid={`pick-lines-${o.orderRef}`}>
            <thead>
              <tr>
                <th scope="col">{t('article.number')}</th>
                <th scope="col">{t('individual.article')}</th>
                <th scope="col">{t('pick.where')}</th>
                <th scope="col" className="num">{t('pick.pickedOf')}</th>
              </tr>
            </thead>
            <tbody>
              {o.lines.map((l) => (
                <tr key={l.lineNo} className={l.picked >= l.ordered ? 'complete' : undefined}>
                  <td className="code">{l.articleNumber}</td>
                  <td>{l.name}</td>
                  <td className="code">
                    {l.proposal ? `${l.proposal.individualNumber} @ ${l.proposal.locationCode}` : (l.fromLocation?.code ?? '')}
                  </td>
                  <td className="num">
                    {l.picked} / {l.ordered}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </main>
  );
}
