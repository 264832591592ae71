import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanEvent } from '../../../../services/scanning';
import { call, CallFailed, setSession } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { beep } from '../../feedback';
import { localized } from '../../i18n';
import { useKeyboardWedge, useScans } from '../../scanning/useScans';

interface Line {
  key: string;
  articleId: string;
  individualId: string | null;
  label: string;
  quantity: number;
}

type Step = { at: 'badge' } | { at: 'items'; name: string } | { at: 'done'; count: number };

/**
 * The unmanned depot's kiosk: scan your badge, scan what you take (or put back), scan or type the
 * order or cost centre, scan KLAR. Every step by scanning, with a touch-screen fallback; it goes
 * back to the start after a while without activity. The station closes an idle kiosk session
 * itself too, so the screen tells it when someone is still there.
 */
export function KioskApp({ idleSeconds, onStaff }: { idleSeconds: number; onStaff: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ at: 'badge' });
  const [lines, setLines] = useState<Line[]>([]);
  const [direction, setDirection] = useState<'take' | 'return'>('take');
  const [orderRef, setOrderRef] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const lastActivity = useRef(0);
  const lastTouch = useRef(0);
  const open = useRef(false);
  const busy = useRef(false);

  const backToStart = useCallback(() => {
    open.current = false;
    setSession(null);
    setStep({ at: 'badge' });
    setLines([]);
    setDirection('take');
    setOrderRef('');
    setNote('');
  }, []);

  const fail = (e: unknown) => {
    beep('error');
    // The station closed the session after the idle time: start again with the badge.
    if (e instanceof CallFailed && e.error.code === 'auth.signed_out' && open.current) {
      backToStart();
      return setError(new Error(t('kiosk.timedOut')));
    }
    // The badge's user was locked out meanwhile: the session is over, the lock's words are shown.
    if (e instanceof CallFailed && e.error.code === 'auth.locked' && open.current) backToStart();
    setError(e);
  };

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

  const reset = useCallback(async () => {
    open.current = false;
    if (step.at !== 'badge') await call('kiosk.finish', {}).catch(() => undefined);
    backToStart();
  }, [step.at, backToStart]);

  // Back to the start screen when nobody has touched or scanned for a while.
  useEffect(() => {
    lastActivity.current = Date.now();
    const timer = setInterval(() => {
      if (step.at !== 'badge' && Date.now() - lastActivity.current > idleSeconds * 1000) void reset();
    }, 1000);
    return () => clearInterval(timer);
  }, [step.at, idleSeconds, reset]);
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
      open.current = true;
      lastTouch.current = Date.now();
      setStep({ at: 'items', name: r.user.name });
      setError(null);
      beep('ok');
    } catch (e) {
      fail(e);
    } finally {
      busy.current = false;
    }
  };

  const confirm = async () => {
    if (step.at !== 'items') return;
    if (lines.length === 0) return fail(new Error(t('kiosk.nothing')));
    if (!orderRef.trim()) return fail(new Error(t('kiosk.needOrder')));
    try {
      await call('kiosk.withdraw', { direction, orderRef: orderRef.trim(), lines: lines.map((l) => ({ articleId: l.articleId, individualId: l.individualId, quantity: l.quantity })) });
      beep('ok');
      setError(null);
      open.current = false;
      setStep({ at: 'done', count: lines.reduce((n, l) => n + l.quantity, 0) });
      await call('kiosk.finish', {}).catch(() => undefined);
      setSession(null);
      setTimeout(() => {
        setStep({ at: 'badge' });
        setLines([]);
        setDirection('take');
        setOrderRef('');
      }, 4000);
    } catch (e) {
      fail(e);
    }
  };

  const add = (line: Omit<Line, 'quantity'>) => {
    setLines((ls) => {
      const found = ls.find((l) => l.key === line.key);
      if (found && line.individualId) return ls; // an individual is one thing
      return found ? ls.map((l) => (l.key === line.key ? { ...l, quantity: l.quantity + 1 } : l)) : [...ls, { ...line, quantity: 1 }];
    });
    setNote(t('kiosk.added', { what: line.label }));
    setError(null);
    beep('ok');
  };

  const onScan = (scan: ScanEvent) => {
    stillHere();
    const r = scan.resolution;
    if (scan.error) return fail(new Error(localized(scan.error.message)));
    if (!r) return;
    if (step.at === 'badge' || step.at === 'done') {
      if (r.kind === 'user') return void startWithBadge(scan.text);
      return fail(new Error(t('kiosk.badgeFirst')));
    }
    switch (r.kind) {
      case 'article':
        return add({ key: r.id, articleId: r.id, individualId: null, label: `${r.articleNumber} ${r.name}` });
      case 'individual':
        return add({ key: r.id, articleId: r.articleId, individualId: r.id, label: `${r.individualNumber} ${r.articleName}` });
      case 'order':
        setOrderRef(r.ref);
        beep('ok');
        return setNote(t('kiosk.orderSet', { ref: r.ref }));
      case 'command':
        if (r.command === 'done' || r.command === 'confirm') return void confirm();
        if (r.command === 'cancel') return void reset();
        if (r.command === 'undo') {
          setLines((ls) => ls.slice(0, -1));
          beep('ok');
          return setNote(t('kiosk.undone'));
        }
        return;
      case 'unknown':
        return fail(new Error(localized(r.message)));
      default:
        return fail(new Error(t('kiosk.notHere')));
    }
  };
  useScans(onScan);
  useKeyboardWedge(true, (text) => {
    lastActivity.current = Date.now();
    lastTouch.current = Date.now();
    if (step.at === 'items') void call('kiosk.scan', { raw: text }).catch(fail);
    else void startWithBadge(text);
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
      {step.at === 'items' && (
        <section>
          <h1>{t('kiosk.hello', { name: step.name })}</h1>
          <p className="kiosk-big">{direction === 'take' ? t('kiosk.scanTake') : t('kiosk.scanReturn')}</p>
          <div className="kiosk-toggle" role="radiogroup" aria-label={t('kiosk.direction')}>
            {(['take', 'return'] as const).map((d) => (
              <label key={d}>
                <input type="radio" name="direction" checked={direction === d} onChange={() => setDirection(d)} /> {t(`kiosk.${d}`)}
              </label>
            ))}
          </div>
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
                        <button type="button" aria-label={t('kiosk.less', { what: l.label })} onClick={() => setLines((ls) => ls.flatMap((x) => (x.key !== l.key ? [x] : x.quantity > 1 ? [{ ...x, quantity: x.quantity - 1 }] : [])))}>−</button>
                        <output>{l.quantity}</output>
                        <button type="button" aria-label={t('kiosk.more', { what: l.label })} onClick={() => setLines((ls) => ls.map((x) => (x.key === l.key ? { ...x, quantity: x.quantity + 1 } : x)))}>+</button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="kiosk-order">
            {t('kiosk.order')}
            <input value={orderRef} onChange={(e) => setOrderRef(e.target.value)} autoComplete="off" />
          </label>
          <p role="status" aria-live="polite">{note}</p>
          <ErrorNote error={error} />
          <div className="kiosk-actions">
            <button type="button" onClick={() => void confirm()}>{t('kiosk.confirm')}</button>
            <button type="button" className="ghost" onClick={() => void reset()}>{t('kiosk.cancel')}</button>
          </div>
        </section>
      )}
    </main>
  );
}
