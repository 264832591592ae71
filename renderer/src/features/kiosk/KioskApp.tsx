import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanEvent } from '../../../../services/scanning';
import { call, CallFailed, hasSession, setSession } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { beep } from '../../feedback';
import { localized } from '../../i18n';
import { badgeOf, settleWedgeScan, useKeyboardWedge, useScans } from '../../scanning/useScans';
import { SessionStatus, useSession } from '../workflows/useSession';

/** How long a note stays on the start screen. */
const NOTE_SECONDS = 20;

type Step = { at: 'badge' } | { at: 'items'; name: string } | { at: 'done'; count: number };

/**
 * The unmanned depot's kiosk: scan your badge, scan what you take (or put back), scan or type the
 * order or cost centre, scan KLAR. Every step by scanning, with a touch-screen fallback; it goes
 * back to the start after a while without activity. The basket is the visitor's workflow session
 * in the station (db/workflows/machines/kiosk.ts), so a reload of this window keeps it, and the
 * kiosk's own scanner fills it with no help from this screen. The station closes an idle visit
 * itself too, so the screen tells it when someone is still there.
 */
export function KioskApp({ idleSeconds, onStaff }: { idleSeconds: number; onStaff: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ at: 'badge' });
  const [error, setError] = useState<unknown>(null);
  const lastActivity = useRef(0);
  const lastTouch = useRef(0);
  const open = useRef(false);
  const busy = useRef(false);

  // The next person is greeted by the start screen alone: the last visit's notes go with it.
  const backToStart = useCallback(() => {
    open.current = false;
    setSession(null);
    setError(null);
    setStep({ at: 'badge' });
  }, []);

  const fail = useCallback(
    (e: unknown) => {
      beep('error');
      // The station closed the visit after the idle time: start again with the badge.
      if (e instanceof CallFailed && e.error.code === 'auth.signed_out' && open.current) {
        backToStart();
        return setError(new Error(t('kiosk.timedOut')));
      }
      // The badge's user was locked out meanwhile: the visit is over, the lock's words are shown.
      if (e instanceof CallFailed && e.error.code === 'auth.locked' && open.current) backToStart();
      setError(e);
    },
    [backToStart, t],
  );

  /** Someone is at the kiosk: the screen stays, and the station is told every few seconds. */
  const stillHere = () => {
    const now = Date.now();
    lastActivity.current = now;
    if (!open.current || now - lastTouch.current < 2000) return;
    lastTouch.current = now;
    call('kiosk.touch', {}).catch(fail);
  };
  const stillHereRef = useRef(stillHere);
  useEffect(() => {
    stillHereRef.current = stillHere;
  });

  const visit = (name: string) => {
    open.current = true;
    lastTouch.current = Date.now();
    setStep({ at: 'items', name });
    setError(null);
  };

  // A visit under way when the window was reloaded carries on, basket and all.
  useEffect(() => {
    if (!hasSession()) return;
    call('kiosk.touch', {}).then((r) => visit(r.name), () => setSession(null));
  }, []);

  const finish = useCallback(async () => {
    open.current = false;
    await call('kiosk.finish', {}).catch(() => undefined);
    backToStart();
  }, [backToStart]);

  // A note on the start screen (a badge not known, a visit that timed out) is for whoever is there
  // now, not for the next person: it goes after a while.
  useEffect(() => {
    if (step.at !== 'badge' || error === null) return;
    const timer = setTimeout(() => setError(null), NOTE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [step.at, error]);

  // Back to the start screen when nobody has touched or scanned for a while.
  useEffect(() => {
    lastActivity.current = Date.now();
    const timer = setInterval(() => {
      if (step.at === 'items' && Date.now() - lastActivity.current > idleSeconds * 1000) void finish();
    }, 1000);
    return () => clearInterval(timer);
  }, [step.at, idleSeconds, finish]);
  useEffect(() => {
    const touch = () => stillHereRef.current();
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    return () => {
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
    };
  }, []);

  const startWithBadge = async (badge: string) => {
    if (busy.current) return;
    busy.current = true;
    try {
      const r = await call('kiosk.start', { badge });
      setSession(r.session);
      visit(r.user.name);
      beep('ok');
    } catch (e) {
      fail(e);
    } finally {
      busy.current = false;
    }
  };

  /** The basket is registered: thanks, and the next person starts with their badge. */
  // Ending the visit empties the basket in the station too (services/workflows.ts).
  const registered = useCallback((count: number) => {
    open.current = false;
    setError(null);
    setStep({ at: 'done', count });
    void call('kiosk.finish', {})
      .catch(() => undefined)
      .then(() => setSession(null));
    setTimeout(() => setStep((s) => (s.at === 'done' ? { at: 'badge' } : s)), 4000);
  }, []);

  // Scans the station did not give the visitor's basket: a badge at the start, or a scan that could not be read.
  const onScan = (scan: ScanEvent) => {
    stillHere();
    if (scan.workflow) return;
    if (step.at === 'items') return;
    const r = scan.resolution;
    if (scan.error) return fail(new Error(localized(scan.error.message)));
    if (!r) return;
    if (r.kind === 'user') return void startWithBadge(scan.text);
    if (r.kind === 'unknown') return fail(new Error(localized(r.message)));
    fail(new Error(t('kiosk.badgeFirst')));
  };
  useScans(onScan);
  // A burst in the order field is a scan when the station knows the code (KLAR, an item), else the
  // order or cost centre it was scanned for.
  useKeyboardWedge(true, (text, how) => {
    lastActivity.current = Date.now();
    lastTouch.current = Date.now();
    if (step.at === 'items')
      void call('kiosk.scan', { raw: text, ...(how.lead ? { lead: how.lead } : {}), ...(how.orType ? { ifKnown: true } : {}) }).then((r) => settleWedgeScan(r, text, how), fail);
    else void startWithBadge(badgeOf(text, how.lead));
  });

  return (
    <main id="main" className="kiosk" tabIndex={-1}>
      {step.at === 'badge' && (
        <section className="kiosk-start">
          <h1>{t('kiosk.welcome')}</h1>
          <p className="kiosk-big">{t('kiosk.scanBadge')}</p>
          <ErrorNote error={error} />
          <button type="button" className="ghost kiosk-staff" onClick={onStaff}>{t('kiosk.staff')}</button>
        </section>
      )}
      {step.at === 'done' && (
        <section className="kiosk-start" role="status">
          <h1>{t('kiosk.thanks')}</h1>
          <p className="kiosk-big">{t('kiosk.registered', { count: step.count })}</p>
        </section>
      )}
      {step.at === 'items' && <Basket name={step.name} onRegistered={registered} onCancel={() => void finish()} error={error} />}
    </main>
  );
}

/** The visitor's basket, as the station keeps it: what they scanned, which way, for which order. */
function Basket({ name, onRegistered, onCancel, error }: { name: string; onRegistered: (count: number) => void; onCancel: () => void; error: unknown }) {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('kiosk');
  const [orderText, setOrderText] = useState<string | null>(null);
  const seen = useRef<number | null>(null);

  // KLAR went through: the feedback that says so is the one after which the basket is registered.
  const seq = view?.feedback?.seq ?? null;
  const units = state?.registered ?? null;
  useEffect(() => {
    if (seq === null) return;
    const first = seen.current === null;
    seen.current = seq;
    if (!first && units !== null) onRegistered(units);
  }, [seq, units, onRegistered]);

  if (!state) return <section aria-busy="true"><h1>{t('kiosk.hello', { name })}</h1></section>;
  const lines = state.lines;
  const setLine = (key: string, quantity: number) => send({ kind: 'line', key, quantity });
  return (
    <section>
      <h1>{t('kiosk.hello', { name })}</h1>
      <p className="kiosk-big">{state.direction === 'take' ? t('kiosk.scanTake') : t('kiosk.scanReturn')}</p>
      <div className="kiosk-toggle" role="radiogroup" aria-label={t('kiosk.direction')}>
        {(['take', 'return'] as const).map((d) => (
          <label key={d}>
            <input type="radio" name="direction" checked={state.direction === d} onChange={() => send({ kind: 'direction', direction: d })} /> {t(`kiosk.${d}`)}
          </label>
        ))}
      </div>
      {lines.length === 0 && <p className="muted">{t('kiosk.nothingYet')}</p>}
      <table className="kiosk-lines" data-testid="kiosk-lines">
        <thead>
          <tr>
            <th scope="col">{t('kiosk.item')}</th>
            <th scope="col">{t('kiosk.quantity')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.key}>
              <td>{l.label}</td>
              <td>
                {l.individualId ? (
                  1
                ) : (
                  <span className="stepper">
                    <button type="button" aria-label={t('kiosk.less', { what: l.label })} onClick={() => setLine(l.key, l.quantity - 1)}>−</button>
                    <output>{l.quantity}</output>
                    <button type="button" aria-label={t('kiosk.more', { what: l.label })} onClick={() => setLine(l.key, l.quantity + 1)}>+</button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="kiosk-order">
        {t('kiosk.order')}
        <input
          value={orderText ?? state.orderRef}
          onFocus={() => setOrderText(state.orderRef)}
          onChange={(e) => {
            setOrderText(e.target.value);
            send({ kind: 'orderRef', ref: e.target.value.slice(0, 64) });
          }}
          onBlur={() => setOrderText(null)}
          maxLength={64}
          autoComplete="off"
        />
      </label>
      <SessionStatus view={view} problem={problem} onUndo={undo} />
      <ErrorNote error={error} />
      <div className="kiosk-actions">
        <button type="button" onClick={() => send({ kind: 'command', command: 'done' })}>{t('kiosk.confirm')}</button>
        <button type="button" className="ghost" onClick={onCancel}>{t('kiosk.cancel')}</button>
      </div>
    </section>
  );
}
