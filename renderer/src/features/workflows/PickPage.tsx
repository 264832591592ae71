import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n';
import { RouteSelect } from './deliveryRoutes';
import { ScanField } from './useWorkflow';
import { Prompt, QuantityField, SessionStatus, useSession } from './useSession';

/** Picking by route and delivery day: scan the location, then the item. The workflow runs in the core. */
export function PickPage() {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('pick');
  const orders = state?.orders ?? [];
  const chosen = state?.route && state.deliveryDay ? `${state.route}|${state.deliveryDay}` : '';

  return (
    <main id="main" className="page">
      <h1>{t('pick.title')}</h1>
      <RouteSelect
        routes={state?.routes ?? []}
        chosen={chosen}
        counts
        onChange={(v) => {
          const [route = '', deliveryDay = ''] = v.split('|');
          if (route && deliveryDay) send({ kind: 'route', route, deliveryDay });
        }}
      />
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      {/* Empty: the next scan picks one. Typed: that many, for the next scan only. */}
      <QuantityField clearable value={state?.quantity ?? null} onChange={(quantity) => send({ kind: 'quantity', quantity })} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
      {orders.map((o) => (
        <section key={o.orderRef} aria-labelledby={`order-${o.orderRef}`} className="card pick-order">
          <h2 id={`order-${o.orderRef}`}>
            {o.orderRef} · {o.deliveryPoint} {o.late && <span className="chip status-returned">{t('pick.late', { day: o.askedFor })}</span>}
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
                    {l.proposal?.substitute && <span className="chip">{t('pick.substitute', { article: l.proposal.articleNumber })}</span>}
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
