import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Report = CallOutput<'restock.report'>;

/**
 * A restocking run at a depot: scan the refill pallet's SSCC, then a shelf, then what goes there
 * (one scan, one unit; an individual is one); DONE compares it all with the manifest.
 */
export function RestockPage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [report, setReport] = useState<Report | null>(null);
  const [shelf, setShelf] = useState<{ id: string; code: string } | null>(null);
  const sscc = report?.pallet.sscc ?? null;
  const refresh = async (code: string) => setReport(await call('restock.report', { sscc: code }));

  const finish = async () => {
    if (!sscc) return w.fail(new Error(t('restock.scanPallet')));
    const r = await call('restock.finish', { sscc });
    setReport(r);
    if (r.complete) w.ok(t('restock.complete', { sscc }));
    else w.warn(t('restock.differences', { sscc }));
  };

  useWorkflowScans(
    w,
    async (scan) => {
      const r = scan.resolution;
      if (r?.kind === 'pallet') {
        setReport(await call('restock.start', { sscc: r.sscc }));
        setShelf(null);
        return w.ok(t('restock.started', { sscc: r.sscc }));
      }
      if (!sscc || report?.pallet.state === 'received') return w.fail(new Error(t('restock.scanPallet')));
      if (r?.kind === 'location') {
        setShelf({ id: r.id, code: r.code });
        return w.ok(t('restock.shelf', { code: r.code }));
      }
      if (!shelf) return w.fail(new Error(t('restock.scanShelf')));
      if (r?.kind === 'article' || r?.kind === 'individual') {
        const got = await call('restock.scan', {
          sscc,
          locationId: shelf.id,
          articleId: r.kind === 'article' ? r.id : r.articleId,
          individualId: r.kind === 'individual' ? r.id : null,
          lot: r.kind === 'article' ? (r.details.lot ?? null) : null,
          quantity: r.kind === 'article' ? (r.details.quantity ?? 1) : 1,
        });
        w.done(got.movementIds);
        await refresh(sscc);
        return w.ok(t('restock.placed', { what: r.kind === 'article' ? r.articleNumber : r.individualNumber, code: shelf.code }));
      }
      w.fail(new Error(t('restock.scanGoods')));
    },
    (command) => {
      if (command === 'done' || command === 'confirm') void finish().catch(w.fail);
    },
  );

  return (
    <main id="main" className="page">
      <h1>{t('restock.title')}</h1>
      <p className="prompt" data-testid="prompt">
        {!sscc ? t('restock.scanPallet') : !shelf ? t('restock.scanShelf') : t('restock.scanGoodsTo', { code: shelf.code })}
      </p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo().then(() => (sscc ? refresh(sscc) : undefined))} />
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
            <button type="button" onClick={() => void finish().catch(w.fail)}>{t('restock.finish')}</button>
          )}
        </section>
      )}
    </main>
  );
}
