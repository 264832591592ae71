import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Pallet = CallOutput<'pallets.get'>;

/** At a depot: scan the pallet's SSCC and everything on it comes in; then confirm or report what is missing. */
export function PalletReceivePage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [pallet, setPallet] = useState<Pallet | null>(null);

  useWorkflowScans(w, async (scan) => {
    const r = scan.resolution;
    if (r?.kind !== 'pallet') return w.fail(new Error(t('palletIn.scanSscc')));
    // A pallet received is received: what was not on it is reported missing line by line, not undone.
    const got = await call('pallets.receive', { sscc: r.sscc });
    setPallet(got.pallet);
    w.ok(t('palletIn.received', { sscc: got.pallet.sscc, count: got.pallet.items.length }));
  });

  const missing = async (itemId: string) => {
    if (!pallet) return;
    setPallet(await call('pallets.reportMissing', { palletId: pallet.id, itemId }));
    w.warn(t('palletIn.reported'));
  };

  return (
    <main id="main" className="page">
      <h1>{t('palletIn.title')}</h1>
      <p className="prompt" data-testid="prompt">{t('palletIn.prompt')}</p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={false} onUndo={() => undefined} />
      {pallet && (
        <section aria-labelledby="pallet-in-h" className="card">
          <h2 id="pallet-in-h">
            <span className="code">{pallet.sscc}</span> · {pallet.deliveryPoint}
          </h2>
          <table className="table" data-testid="received-items">
            <thead>
              <tr>
                <th scope="col">{t('individual.article')}</th>
                <th scope="col">{t('individual.number')}</th>
                <th scope="col" className="num">{t('article.quantity')}</th>
                <th scope="col">{t('printing.state')}</th>
              </tr>
            </thead>
            <tbody>
              {pallet.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td className="code">{i.individualNumber ?? ''}</td>
                  <td className="num">{i.quantity}</td>
                  <td>
                    {t(`palletIn.states.${i.receivedState}`)}{' '}
                    {i.receivedState === 'received' && (
                      <button type="button" onClick={() => void missing(i.id).catch(w.fail)}>
                        {t('palletIn.missing')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
