import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { RouteSelect, useDeliveryRoutes } from './routes';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Pallet = CallOutput<'pallets.get'>;
type Orders = CallOutput<'picking.list'>;
type LoadList = CallOutput<'pallets.loadList'>;

/** Pallets for a delivery: open one, scan the picked goods onto it, close it and its label prints. */
export function PalletPage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const { routes, chosen, setChosen, route, deliveryDay } = useDeliveryRoutes(w.fail);
  const [orders, setOrders] = useState<Orders>([]);
  const [point, setPoint] = useState('');
  const [pallet, setPallet] = useState<Pallet | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [preview, setPreview] = useState<string[]>([]);
  const [manifest, setManifest] = useState<string | null>(null);
  const [loads, setLoads] = useState<LoadList>([]);
  const added = useRef<string[]>([]);
  useEffect(() => {
    if (!route) return;
    call('picking.list', { route, deliveryDay }).then((o) => {
      setOrders(o);
      setPoint(o[0] ? `${o[0].deliveryPoint}|${o[0].municipality}` : '');
    }, w.fail);
    call('pallets.loadList', { route, deliveryDay }).then(setLoads, w.fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosen]);

  const points = [...new Set(orders.map((o) => `${o.deliveryPoint}|${o.municipality}`))];

  const open = async () => {
    const [deliveryPoint = '', municipality = ''] = point.split('|');
    const p = await call('pallets.open', { route, deliveryDay, deliveryPoint, municipality });
    setPallet(p);
    setPreview([]);
    setManifest(null);
    added.current = [];
    w.ok(t('pallet.opened', { sscc: p.sscc }));
  };
  const close = async () => {
    if (!pallet) return w.fail(new Error(t('pallet.openFirst')));
    const r = await call('pallets.close', { palletId: pallet.id });
    setPallet(r.pallet);
    w.ok(r.labelJobId ? t('pallet.closedPrinted', { sscc: r.pallet.sscc }) : t('pallet.closed', { sscc: r.pallet.sscc }));
    setLoads(await call('pallets.loadList', { route, deliveryDay }));
    setManifest((await call('pallets.manifest', { palletId: r.pallet.id })).pdf);
    setPreview((await call('labels.render', { zpl: r.labelZpl, kind: 'pallet' })).images);
  };
  const undoLast = async () => {
    const itemId = added.current.pop();
    if (!pallet || !itemId || pallet.state !== 'open') return w.fail(new Error(t('workflow.nothingToUndo')));
    setPallet(await call('pallets.remove', { palletId: pallet.id, itemId }));
    w.ok(t('workflow.undone'));
  };

  useWorkflowScans(
    w,
    async (scan) => {
      const r = scan.resolution;
      if (!pallet || pallet.state !== 'open') return w.fail(new Error(t('pallet.openFirst')));
      const articleId = r?.kind === 'individual' ? r.articleId : r?.kind === 'article' ? r.id : null;
      if (!articleId) return w.fail(new Error(t('pallet.scanGoods')));
      const before = new Set(pallet.items.map((i) => i.id));
      const p = await call('pallets.add', {
        palletId: pallet.id,
        articleId,
        individualId: r?.kind === 'individual' ? r.id : null,
        lot: r?.kind === 'article' ? (r.details.lot ?? null) : null,
        quantity: r?.kind === 'individual' ? 1 : quantity,
      });
      const item = p.items.find((i) => !before.has(i.id));
      if (item) added.current.push(item.id);
      setPallet(p);
      w.ok(t('pallet.added', { item: r?.kind === 'individual' ? r.individualNumber : r?.kind === 'article' ? r.articleNumber : '', count: p.items.length }));
    },
    (command) => {
      if (command === 'done') void close().catch(w.fail);
      if (command === 'confirm' && (!pallet || pallet.state !== 'open')) void open().catch(w.fail);
    },
  );

  return (
    <main id="main" className="page">
      <h1>{t('pallet.title')}</h1>
      <div className="form-row">
        <RouteSelect routes={routes} chosen={chosen} onChange={setChosen} />
        <label className="field inline">
          {t('pallet.deliveryPoint')}
          <select value={point} onChange={(e) => setPoint(e.target.value)}>
            {points.map((p) => (
              <option key={p} value={p}>
                {p.replace('|', ', ')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={!point} onClick={() => void open().catch(w.fail)}>
          {t('pallet.new')}
        </button>
      </div>
      <p className="prompt" data-testid="prompt">
        {!pallet || pallet.state !== 'open' ? t('pallet.openPrompt') : t('pallet.scanPrompt', { sscc: pallet.sscc })}
      </p>
      <ScanField label={t('workflow.typeCode')} />
      <label className="field inline">
        {t('receive.quantity')}
        <input type="number" min={1} max={10000} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} />
      </label>
      <WorkflowStatus feedback={w.feedback} canUndo={!!pallet && pallet.state === 'open' && pallet.items.length > 0} onUndo={() => void undoLast().catch(w.fail)} />
      {pallet && (
        <section aria-labelledby="pallet-h" className="card">
          <h2 id="pallet-h">
            {t('pallet.pallet')} <span className="code">{pallet.sscc}</span> · {t(`pallet.states.${pallet.state}`)}
          </h2>
          <table className="table" data-testid="pallet-items">
            <thead>
              <tr>
                <th scope="col">{t('article.number')}</th>
                <th scope="col">{t('individual.article')}</th>
                <th scope="col">{t('individual.number')}</th>
                <th scope="col" className="num">{t('article.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {pallet.items.map((i) => (
                <tr key={i.id}>
                  <td className="code">{i.articleNumber}</td>
                  <td>{i.name}</td>
                  <td className="code">{i.individualNumber ?? ''}</td>
                  <td className="num">{i.quantity}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pallet.state === 'open' && (
            <button type="button" className="primary" onClick={() => void close().catch(w.fail)}>
              {t('pallet.close')}
            </button>
          )}
          {manifest && (
            <p>
              <a href={manifest} download={`pallmanifest-${pallet.sscc}.pdf`}>
                {t('pallet.manifest')}
              </a>
            </p>
          )}
          {preview.map((src, i) => (
            <img key={i} src={src} alt={t('printing.previewAlt', { title: pallet.sscc })} className="label-preview" style={{ width: '300px' }} />
          ))}
        </section>
      )}
      <section aria-labelledby="loads-h">
        <h2 id="loads-h">{t('pallet.loadList')}</h2>
        <table className="table" data-testid="load-list">
          <thead>
            <tr>
              <th scope="col">SSCC</th>
              <th scope="col">{t('pallet.deliveryPoint')}</th>
              <th scope="col">{t('printing.state')}</th>
              <th scope="col" className="num">{t('article.quantity')}</th>
            </tr>
          </thead>
          <tbody>
            {loads.map((l) => (
              <tr key={l.sscc}>
                <td className="code">{l.sscc}</td>
                <td>
                  {l.deliveryPoint}, {l.municipality}
                </td>
                <td>{t(`pallet.states.${l.state}`)}</td>
                <td className="num">{l.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
