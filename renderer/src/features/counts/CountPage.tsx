import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call, subscribe } from '../../bridge/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNote } from '../../components/ErrorNote';
import { PageState } from '../../components/PageState';
import { useCall } from '../../components/useCall';
import { kronor, wholeKronor } from '../../format';
import { ScanField } from '../workflows/useWorkflow';
import { Prompt, QuantityField, SessionStatus, useSession } from '../workflows/useSession';
import { CountReport } from './CountReport';

type Count = CallOutput<'count.get'>;

/** One count: counting by scanning for everyone; progress, assignment, review and approval for supervisors. */
export function CountPage({ id, supervisor }: { id: string; supervisor: boolean }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  useEffect(() => subscribe((e) => e.type === 'count.changed' && e.countId === id && setTick((n) => n + 1)), [id]);
  const { data: count, error } = useCall('count.get', { countId: id }, [id, tick]);
  if (!count) return <PageState error={error} />;
  return (
    <main id="main" className="page">
      <h1>
        {t('counts.heading', { number: count.number })} {count.title !== count.number && <span className="muted">{count.title}</span>}
      </h1>
      <p data-testid="count-progress">
        {t(`counts.kinds.${count.kind}`)} · {t(`counts.states.${count.state}`)} · {t('counts.done', { done: count.progress.byState.counted + count.progress.byState.recounted, total: count.progress.total })}
        {count.progress.byState.recount + count.progress.byState.recounting > 0 && ` · ${t('counts.toRecount', { count: count.progress.byState.recount + count.progress.byState.recounting })}`}
        {count.blind && ` · ${t('counts.blindNote')}`}
      </p>
      {count.state === 'counting' && <Counting count={count} />}
      {supervisor && <Supervise count={count} />}
    </main>
  );
}

/** Counting by scanning: the workflow runs in the core (db/workflows/machines/count.ts); this shows it. */
function Counting({ count }: { count: Count }) {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('count');
  const here = state?.count?.id === count.id;
  // The session works on the count this screen shows (asked for once the session is open).
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!view || here || asked.current === count.id) return;
    asked.current = count.id;
    send({ kind: 'count', countId: count.id });
  });
  const at = here ? (state?.at ?? null) : null;
  const mine = count.locations.filter((l) => l.mine);

  return (
    <section aria-labelledby="counting-h" className="card">
      <h2 id="counting-h">{t('counts.counting')}</h2>
      <Prompt view={here ? view : null} />
      <ScanField label={t('workflow.typeCode')} />
      <SessionStatus view={here ? view : null} problem={problem} onUndo={undo} />
      {at && (
        <>
          <QuantityField clearable label={t('counts.quantityInput')} value={state?.quantity ?? null} onChange={(quantity) => send({ kind: 'quantity', quantity })} />
          <table className="lines" data-testid="count-scans">
            <thead>
              <tr><th scope="col">{t('counts.what')}</th><th scope="col">{t('counts.counted')}</th></tr>
            </thead>
            <tbody>
              {at.scans.map((s) => (
                <tr key={s.id}>
                  <td>{s.individualNumber ? <span className="code">{s.individualNumber}</span> : null} {s.articleName} {s.lot && <span className="code">{s.lot}</span>}</td>
                  <td>{s.quantity}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {at.expected && (
            <details data-testid="count-expected">
              <summary>{t('counts.expectedHere', { count: at.expected.length })}</summary>
              <ul>
                {at.expected.map((e, k) => (
                  <li key={k}>{e.individualNumber ? <span className="code">{e.individualNumber}</span> : `${e.quantity} ×`} {e.articleName} {e.lot && <span className="code">{e.lot}</span>}</li>
                ))}
              </ul>
            </details>
          )}
          <button type="button" onClick={() => send({ kind: 'command', command: 'confirm' })}>{t('counts.finish', { code: at.code })}</button>
        </>
      )}
      <h3>{t('counts.myLocations', { count: mine.length })}</h3>
      <ul className="chips" data-testid="my-locations">
        {mine.slice(0, 300).map((l) => (
          <li key={l.locationId}>
            <button type="button" className={`chip count-${l.state}`} disabled={!here} onClick={() => send({ kind: 'start', locationId: l.locationId })}>
              {l.code}{l.state === 'recount' ? ` · ${t('counts.recountMark')}` : ''}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Supervise({ count }: { count: Count }) {
  const { t } = useTranslation();
  const { data: users } = useCall('auth.users', {}, []);
  const [prefix, setPrefix] = useState('');
  const [assignee, setAssignee] = useState('');
  const [error, setError] = useState<unknown>(null);
  const { data: review } = useCall('count.review', { countId: count.id }, [count]);
  const [declined, setDeclined] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const counters = (users ?? []).filter((u) => u.role !== 'prescriber');
  const assign = async () => {
    const ids = count.locations.filter((l) => l.code.toUpperCase().startsWith(prefix.trim().toUpperCase())).map((l) => l.locationId);
    const r = await call('count.assign', { countId: count.id, locationIds: ids, userId: assignee || null });
    setDone(t('counts.assigned', { count: r.assigned }));
  };
  const approve = async () => {
    const approve = review!.lines.filter((l) => !declined.has(l.key)).map((l) => l.key);
    const r = await call('count.approve', { countId: count.id, approve: declined.size === 0 ? 'all' : approve });
    setDone(t('counts.approved', { count: r.approved, movements: r.movements }));
  };
  return (
    <>
      <section aria-labelledby="by-counter-h">
        <h2 id="by-counter-h">{t('counts.byCounter')}</h2>
        <table className="lines" data-testid="by-counter">
          <thead><tr><th scope="col">{t('counts.counter')}</th><th scope="col">{t('counts.progress')}</th></tr></thead>
          <tbody>
            {count.progress.byCounter.map((c) => (
              <tr key={c.userId ?? 'none'}>
                <td>{c.name ?? t('counts.unassigned')}</td>
                <td><meter min={0} max={c.total} value={c.done} aria-label={c.name ?? t('counts.unassigned')} /> {c.done} / {c.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {count.state === 'counting' && (
          <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void assign().catch(setError))}>
            <label>{t('counts.prefix')}<input value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="BOD-H-01" /></label>
            <label>
              {t('counts.counter')}
              <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                <option value="">{t('counts.unassigned')}</option>
                {counters.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
              </select>
            </label>
            <button type="submit" className="ghost">{t('counts.assign')}</button>
          </form>
        )}
      </section>
      {review && (
        <section aria-labelledby="review-h">
          <h2 id="review-h">{t('counts.review')}</h2>
          <p data-testid="review-totals">
            {t('counts.totals', { lines: review.totals.lines, value: wholeKronor(review.totals.value), missing: review.totals.missing, found: review.totals.found })}
            {review.pending > 0 && ` · ${t('counts.pending', { count: review.pending })}`}
          </p>
          <table className="lines" data-testid="variances">
            <thead>
              <tr>
                <th scope="col">{t('counts.approveLine')}</th>
                <th scope="col">{t('counts.location')}</th>
                <th scope="col">{t('counts.what')}</th>
                <th scope="col">{t('counts.expected')}</th>
                <th scope="col">{t('counts.counted')}</th>
                <th scope="col">{t('counts.value')}</th>
              </tr>
            </thead>
            <tbody>
              {review.lines.slice(0, 1000).map((l) => (
                <tr key={l.key}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('counts.approveLineFor', { what: l.individualNumber ?? l.articleName, code: l.locationCode })}
                      checked={!declined.has(l.key)}
                      disabled={count.state !== 'counting'}
                      onChange={(e) => setDeclined((d) => { const n = new Set(d); if (e.target.checked) n.delete(l.key); else n.add(l.key); return n; })}
                    />
                  </td>
                  <td className="code">{l.locationCode}</td>
                  <td>
                    {l.individualNumber && <span className="code">{l.individualNumber} </span>}
                    {l.articleName} {l.lot && <span className="code">{l.lot}</span>}
                    {l.kind !== 'quantity' && <span className="chip">{t(`counts.lineKinds.${l.kind}`, { where: l.ledgerLocationCode ?? '–' })}</span>}
                  </td>
                  <td>{l.expected}</td>
                  <td>{l.counted}</td>
                  <td>{kronor(l.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {count.state === 'counting' && (
            <div className="actions">
              <button type="button" disabled={review.pending > 0} onClick={() => void approve().catch(setError)}>
                {t('counts.approve', { count: review.lines.length - declined.size })}
              </button>
              <ConfirmButton
                className="ghost danger"
                testId="count-cancel"
                question={t('counts.cancelConfirm', { number: count.number })}
                yes={t('counts.cancelYes')}
                onConfirm={() => call('count.cancel', { countId: count.id }).then(() => undefined, setError)}
              >
                {t('counts.cancel')}
              </ConfirmButton>
            </div>
          )}
        </section>
      )}
      {done && <p role="status">{done}</p>}
      <ErrorNote error={error} />
      <CountReport countId={count.id} version={count} />
    </>
  );
}
