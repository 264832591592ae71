import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import type { Role } from '../../../../db/schema';
import { call } from '../../bridge/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNote } from '../../components/ErrorNote';
import { FormAnswer } from '../../components/FormAnswer';
import { useCall } from '../../components/useCall';
import { formatDateTime, formatNumber, localized } from '../../i18n';
import { href } from '../../router';
import { kronor } from '../../format';
import { explainSuggestion, type SuggestionWhen } from '../../../../vocabulary/suggestion';

type Suggestions = CallOutput<'replenishment.suggestions'>;
type Line = Suggestions['refills'][number]['lines'][number];

/** Quantities changed on suggested lines before ordering: per group, per article. */
type Edits = Record<string, Record<string, number>>;

/** A group's lines as they will be ordered, and the quantities changed from the suggestion (for the call). */
const asOrdered = (lines: Line[], edits: Record<string, number> | undefined) => ({
  lines: lines.map((l) => ({ ...l, quantity: edits?.[l.articleId] ?? l.quantity })),
  quantities: Object.entries(edits ?? {}).map(([articleId, quantity]) => ({ articleId, quantity })),
});

/**
 * A group's suggested lines, each with the reasons for it (`when`: the depot's delivery for a
 * refill; without it, each line's own lead time).
 */
function Lines({ lines, testId, edits, onEdit, when }: { lines: Line[]; testId: string; edits?: Record<string, number>; onEdit?: (articleId: string, quantity: number) => void; when?: SuggestionWhen }) {
  const { t } = useTranslation();
  return (
    <table className="lines" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('replenishment.article')}</th>
          <th scope="col" className="num">{t('replenishment.quantity')}</th>
          <th scope="col">{t('replenishment.why')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.articleId}>
            <td><a href={href('article', l.articleId)}><span className="code">{l.articleNumber}</span> {l.name}</a></td>
            <td className="num">
              {onEdit ? (
                <input
                  type="number"
                  className="quantity-input"
                  min={0}
                  max={100000}
                  inputMode="numeric"
                  aria-label={t('replenishment.quantityFor', { article: `${l.articleNumber} ${l.name}` })}
                  value={edits?.[l.articleId] ?? l.quantity}
                  onChange={(e) => onEdit(l.articleId, Math.max(0, Math.min(100000, Math.floor(Number(e.target.value) || 0))))}
                />
              ) : (
                formatNumber(l.quantity)
              )}
            </td>
            <td className="muted">{localized(explainSuggestion(l, when ?? l))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Refills for every depot on its next delivery, purchase suggestions per supplier, and for supervisors each site's figures. */
export function ReplenishmentPage({ role }: { role: Role }) {
  const { t } = useTranslation();
  const supervisor = role === 'supervisor' || role === 'admin';
  const [tick, setTick] = useState(0);
  const [windowDays, setWindowDays] = useState(90);
  const { data, error } = useCall('replenishment.suggestions', { windowDays }, [tick, windowDays]);
  const { data: figures } = useCall('replenishment.dashboard', supervisor ? { windowDays } : null, [tick, supervisor, windowDays]);
  const { data: shipped } = useCall('replenishment.transfers', {}, [tick]);
  const { data: inbound } = useCall('replenishment.inbound', role === 'depot_staff' ? null : {}, [tick, role]);
  // What an order made says, shown in the section whose button made it (the group it came from is gone once ordered).
  const [note, setNote] = useState<{ where: 'refills' | 'purchases'; text: string } | null>(null);
  const [failure, setFailure] = useState<{ where: 'refills' | 'purchases'; error: unknown } | null>(null);
  const [edits, setEdits] = useState<Edits>({});
  const editOf = (group: string) => (articleId: string, quantity: number) => setEdits((e) => ({ ...e, [group]: { ...e[group], [articleId]: quantity } }));

  const order = async (where: 'refills' | 'purchases', f: () => Promise<string[]>, group?: string) => {
    setFailure(null);
    setNote(null);
    try {
      const refs = await f();
      if (group) setEdits(({ [group]: _done, ...rest }) => rest);
      setNote({ where, text: t('replenishment.ordered', { refs: refs.join(', ') }) });
      setTick((n) => n + 1);
    } catch (e) {
      setFailure({ where, error: e });
    }
  };
  const answer = (where: 'refills' | 'purchases') => <FormAnswer note={note?.where === where ? note.text : null} error={failure?.where === where ? failure.error : null} />;

  return (
    <main id="main" className="page" tabIndex={-1}>
      <h1>{t('replenishment.title')}</h1>
      <label className="field inline">
        {t('replenishment.window')}
        <select value={windowDays} onChange={(e) => setWindowDays(Number(e.target.value))}>
          {[30, 90, 180, 365].map((d) => (
            <option key={d} value={d}>{t('replenishment.days', { count: d })}</option>
          ))}
        </select>
      </label>
      <ErrorNote error={error} />
      {!data ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : (
        <>
          {supervisor && figures && (
            <section aria-labelledby="figures">
              <h2 id="figures">{t('replenishment.figures')}</h2>
              <table className="lines" data-testid="site-figures">
                <thead>
                  <tr>
                    <th scope="col">{t('replenishment.site')}</th>
                    <th scope="col" className="num">{t('replenishment.under')}</th>
                    <th scope="col" className="num">{t('replenishment.value')}</th>
                    <th scope="col" className="num">{t('replenishment.turnover')}</th>
                    <th scope="col" className="num">{t('replenishment.inTransit')}</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.map((f) => (
                    <tr key={f.siteId}>
                      <td>{f.name}</td>
                      <td className="num">
                        <span className="meter" style={{ width: `${Math.min(100, (f.underReorderPoint / Math.max(1, f.stockArticles)) * 100)}%` }} aria-hidden="true" />
                        {formatNumber(f.underReorderPoint)} / {formatNumber(f.stockArticles)}
                      </td>
                      <td className="num">{kronor(f.stockValue)}</td>
                      <td className="num">{formatNumber(f.turnover)}</td>
                      <td className="num">{formatNumber(f.inTransit)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section aria-labelledby="refills">
            <h2 id="refills">{t('replenishment.refills')}</h2>
            {answer('refills')}
            {data.refills.length === 0 && <p>{t('replenishment.noRefills')}</p>}
            {data.refills.map((r) => (
              <details key={r.siteId} className="group" data-testid={`refill-${r.siteCode}`}>
                <summary>
                  <strong>{r.siteName}</strong> · {t('replenishment.delivery', { day: r.deliveryDay, cutoff: formatDateTime(r.cutoff) })} · {t('replenishment.lines', { count: r.lines.length })}
                </summary>
                <Lines lines={r.lines} when={r} testId={`refill-lines-${r.siteCode}`} edits={edits[`refill|${r.siteId}`]} onEdit={role !== 'depot_staff' ? editOf(`refill|${r.siteId}`) : undefined} />
                {role !== 'depot_staff' && (
                  <button
                    type="button"
                    onClick={() =>
                      void order(
                        'refills',
                        async () => (await call('replenishment.orderRefills', { siteIds: [r.siteId], quantities: asOrdered(r.lines, edits[`refill|${r.siteId}`]).quantities })).orderRefs,
                        `refill|${r.siteId}`,
                      )
                    }
                  >
                    {t('replenishment.orderRefill', { site: r.siteName })}
                  </button>
                )}
              </details>
            ))}
          </section>
          {supervisor && (
            <section aria-labelledby="purchases">
              <h2 id="purchases">{t('replenishment.purchases')}</h2>
              {answer('purchases')}
              {data.purchase.length === 0 && <p>{t('replenishment.noPurchases')}</p>}
              {data.purchase.map((g) => {
                const key = `purchase|${g.supplier}`;
                const ordered = asOrdered(g.lines, edits[key]);
                const lines = ordered.lines.filter((l) => l.quantity > 0);
                const value = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
                return (
                <details key={g.supplier} className="group">
                  <summary>
                    <strong>{g.supplier}</strong> · {t('replenishment.lines', { count: lines.length })} · {kronor(value)}
                  </summary>
                  <Lines lines={g.lines} testId={`purchase-lines-${g.supplier}`} edits={edits[key]} onEdit={editOf(key)} />
                  <ConfirmButton
                    question={t('replenishment.orderPurchaseConfirm', { supplier: g.supplier, value: kronor(value), count: lines.length })}
                    yes={t('replenishment.orderPurchaseYes')}
                    disabled={lines.length === 0}
                    onConfirm={() => order('purchases', async () => (await call('replenishment.orderPurchases', { suppliers: [g.supplier], quantities: ordered.quantities })).poNumbers, key)}
                  >
                    {t('replenishment.orderPurchase', { supplier: g.supplier })}
                  </ConfirmButton>
                </details>
                );
              })}
            </section>
          )}
          {inbound && <Inbound inbound={inbound} />}
          <section aria-labelledby="transfers">
            <h2 id="transfers">{t('replenishment.transfers')}</h2>
            {!shipped?.length ? (
              <p>{t('replenishment.noTransfers')}</p>
            ) : (
              <table className="lines" data-testid="transfers">
                <thead>
                  <tr>
                    <th scope="col">SSCC</th>
                    <th scope="col">{t('replenishment.to')}</th>
                    <th scope="col">{t('replenishment.state')}</th>
                    <th scope="col" className="num">{t('replenishment.missing')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shipped.map((p) => (
                    <tr key={p.sscc}>
                      <td className="code">{p.sscc}</td>
                      <td>{p.toSite}</td>
                      <td>{t(`pallet.states.${p.state}`, { defaultValue: p.state })}{p.receivedAt ? ` ${formatDateTime(p.receivedAt)}` : ''}</td>
                      <td className="num">{p.missing ? t('replenishment.missingLines', { count: p.missing, lines: p.lines }) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <p className="muted">{t('replenishment.basis', { days: data.windowDays, at: formatDateTime(data.at) })}</p>
        </>
      )}
    </main>
  );
}

/** What is on its way in: purchase orders still to be received in full, and what waits at goods-in to be put away. */
function Inbound({ inbound }: { inbound: CallOutput<'replenishment.inbound'> }) {
  const { t } = useTranslation();
  return (
    <>
      <section aria-labelledby="open-pos">
        <h2 id="open-pos">{t('replenishment.openPurchases')}</h2>
        {inbound.purchaseOrders.length === 0 ? (
          <p className="muted">{t('replenishment.noOpenPurchases')}</p>
        ) : (
          <table className="lines" data-testid="open-purchases">
            <thead>
              <tr>
                <th scope="col">{t('replenishment.poNumber')}</th>
                <th scope="col">{t('replenishment.supplier')}</th>
                <th scope="col">{t('replenishment.site')}</th>
                <th scope="col">{t('replenishment.expected')}</th>
                <th scope="col" className="num">{t('replenishment.receivedOfOrdered')}</th>
              </tr>
            </thead>
            <tbody>
              {inbound.purchaseOrders.map((p) => (
                <tr key={p.poNumber}>
                  <td className="code">{p.poNumber}</td>
                  <td>{p.supplier}</td>
                  <td>{p.siteName}</td>
                  <td>{p.expectedOn}</td>
                  <td className="num">{t('replenishment.receivedOf', { received: formatNumber(p.received), ordered: formatNumber(p.ordered) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="goods-in">
        <h2 id="goods-in">{t('replenishment.goodsIn')}</h2>
        {inbound.goodsIn.length === 0 ? (
          <p className="muted">{t('replenishment.nothingAtGoodsIn')}</p>
        ) : (
          <table className="lines" data-testid="goods-in">
            <thead>
              <tr>
                <th scope="col">{t('replenishment.site')}</th>
                <th scope="col">{t('replenishment.location')}</th>
                <th scope="col">{t('replenishment.article')}</th>
                <th scope="col" className="num">{t('replenishment.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {inbound.goodsIn.map((g) => (
                <tr key={`${g.locationCode}|${g.articleId}`}>
                  <td>{g.siteName}</td>
                  <td className="code">{g.locationCode}</td>
                  <td><a href={href('article', g.articleId)} className="code">{g.articleNumber}</a> {g.name}</td>
                  <td className="num">{formatNumber(g.quantity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
