import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { RouteSelect } from './deliveryRoutes';
import { ScanField } from './useWorkflow';
import { Prompt, QuantityField, SessionStatus, useSession } from './useSession';

/** Pallets for a delivery: open one, scan the picked goods onto it, close it and its label prints. The workflow runs in the core. */
export function PalletPage() {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('pallet');
  const pallet = state?.pallet ?? null;
  const open = pallet?.state === 'open';
  const chosen = state?.route && state.deliveryDay ? `${state.route}|${state.deliveryDay}` : '';
  const point = state?.point ? `${state.point.deliveryPoint}|${state.point.municipality}` : '';
  // Picked for the route's delivery points and on no pallet yet, per delivery point (the core counts it).
  const left = (state?.loading ?? []).filter((r) => r.picked > r.loaded);
  const leftPoints = [...new Set(left.map((r) => `${r.deliveryPoint}|${r.municipality}`))];
  const closing = open && state?.closing === true;

  // A closed pallet's manifest and its label as it printed: documents to show, read from the core.
  const [manifest, setManifest] = useState<string | null>(null);
  const [preview, setPreview] = useState<string[]>([]);
  const closedId = pallet && pallet.state !== 'open' ? pallet.id : null;
  const label = state?.label ?? null;
  useEffect(() => {
    setManifest(null);
    if (closedId) call('pallets.manifest', { palletId: closedId }).then((m) => setManifest(m.pdf), () => undefined);
  }, [closedId]);
  useEffect(() => {
    setPreview([]);
    if (closedId && label) call('labels.render', { zpl: label, kind: 'pallet' }).then((r) => setPreview(r.images), () => undefined);
  }, [closedId, label]);

  return (
    <main id="main" className="page">
      <h1>{t('pallet.title')}</h1>
      <div className="form-row">
        <RouteSelect
          routes={state?.routes ?? []}
          chosen={chosen}
          onChange={(v) => {
            const [route = '', deliveryDay = ''] = v.split('|');
            if (route && deliveryDay) send({ kind: 'route', route, deliveryDay });
          }}
        />
        <label className="field inline">
          {t('pallet.deliveryPoint')}
          <select
            value={point}
            onChange={(e) => {
              const [deliveryPoint = '', municipality = ''] = e.target.value.split('|');
              send({ kind: 'deliveryPoint', deliveryPoint, municipality });
            }}
          >
            {(state?.points ?? []).map((p) => (
              <option key={`${p.deliveryPoint}|${p.municipality}`} value={`${p.deliveryPoint}|${p.municipality}`}>
                {p.deliveryPoint}, {p.municipality}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={!point || open} onClick={() => send({ kind: 'command', command: 'confirm' })}>
          {t('pallet.new')}
        </button>
      </div>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <QuantityField value={state?.quantity ?? 1} onChange={(quantity) => send({ kind: 'quantity', quantity })} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
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
          {open && !closing && (
            <button type="button" className="primary" onClick={() => send({ kind: 'command', command: 'done' })}>
              {t('pallet.close')}
            </button>
          )}
          {closing && (
            <div className="confirm" role="group" aria-labelledby="close-question" data-testid="close-confirm">
              <span id="close-question" className="confirm-question">
                {t('pallet.closeQuestion')}
              </span>
              <button type="button" className="primary" onClick={() => send({ kind: 'command', command: 'confirm' })}>
                {t('pallet.closeAnyway')}
              </button>
              <button type="button" onClick={() => send({ kind: 'command', command: 'cancel' })}>
                {t('pallet.keepOpen')}
              </button>
            </div>
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
      <section aria-labelledby="left-h" data-testid="left-to-load">
        <h2 id="left-h">{t('pallet.leftToLoad')}</h2>
        {left.length === 0 ? (
          <p className="muted">{t('pallet.nothingLeft')}</p>
        ) : (
          <>
            <p className="muted">{t('pallet.leftToLoadHelp')}</p>
            {leftPoints.map((key) => {
              const rows = left.filter((r) => `${r.deliveryPoint}|${r.municipality}` === key);
              const [deliveryPoint, municipality] = key.split('|');
              return (
                <table key={key} className="table" data-testid="left-to-load-point">
                  <caption>
                    {deliveryPoint}, {municipality}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('article.number')}</th>
                      <th scope="col">{t('individual.article')}</th>
                      <th scope="col">{t('individual.number')}</th>
                      <th scope="col" className="num">{t('pallet.leftCol')}</th>
                      <th scope="col" className="num">{t('pallet.loadedOf')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.articleId}>
                        <td className="code">{r.articleNumber}</td>
                        <td>{r.name}</td>
                        <td className="code">{r.individuals.join(', ')}</td>
                        <td className="num">{r.picked - r.loaded}</td>
                        <td className="num">
                          {r.loaded} / {r.picked}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              );
            })}
          </>
        )}
      </section>
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
            {(state?.loads ?? []).map((l) => (
              <tr key={l.sscc}>
                <td className="code">{l.sscc}</td>
                <td>
                  {l.deliveryPoint}, {l.municipality}
                </td>
                <td>{t(`pallet.states.${l.state}`, { defaultValue: l.state })}</td>
                <td className="num">{l.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
