import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call, setSession } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { beep } from '../../feedback';
import { localized } from '../../i18n';
import { badgeOf, useKeyboardWedge, useScans } from '../../scanning/useScans';

type User = CallOutput<'auth.users'>[number];
export type SignedInUser = CallOutput<'auth.signIn'>['user'];

/** Pick yourself, type your PIN, press Enter. */
export function SignIn({ onSignedIn }: { onSignedIn: (u: SignedInUser) => void }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<User[]>([]);
  const [userId, setUserId] = useState('');
  const [pin, setPin] = useState('');
  const [code, setCode] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    call('auth.users', {}).then(setUsers, setError);
  }, []);

  // A badge scanned with any scanner picks the user; the PIN is still typed.
  const chooseByBadge = async (code: string) => {
    try {
      const u = await call('auth.badge', { code });
      setUserId(u.id);
      setError(null);
      beep('ok');
      pinRef.current?.focus();
    } catch (err) {
      beep('error');
      setError(err);
    }
  };
  useScans((scan) => {
    if (scan.resolution?.kind === 'user') void chooseByBadge(scan.text);
  });
  useKeyboardWedge(true, (code, { lead }) => void chooseByBadge(badgeOf(code, lead)));

  // A user with no PIN yet sets one with the one-time code an administrator gave them.
  const setsPin = users.find((u) => u.id === userId)?.setsPin ?? false;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!userId) {
      setError(new Error(t('signIn.chooseUser')));
      return;
    }
    if (setsPin && code.length !== 8) {
      setError(new Error(t('signIn.codeLength')));
      return;
    }
    if (setsPin && pin !== again) {
      setError(new Error(t('signIn.pinsDiffer')));
      return;
    }
    setBusy(true);
    try {
      const r = setsPin ? await call('auth.setPin', { userId, oneTimeCode: code, pin }) : await call('auth.signIn', { userId, pin });
      setSession(r.session);
      beep('ok');
      onSignedIn(r.user);
    } catch (err) {
      beep('error');
      setError(err);
      setPin('');
      pinRef.current?.focus();
      // A wrong PIN may have locked the user: the list shows it.
      call('auth.users', {}).then(setUsers, () => undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit} className="card">
        <fieldset>
          <legend>{t('signIn.who')}</legend>
          <div className="user-grid">
            {users.map((u, i) => (
              <label key={u.id} className={`user-choice${u.id === userId ? ' chosen' : ''}${u.lockedText ? ' locked' : ''}`}>
                <input
                  type="radio"
                  name="user"
                  value={u.id}
                  checked={u.id === userId}
                  autoFocus={i === 0}
                  onChange={() => {
                    setUserId(u.id);
                    setError(null);
                  }}
                  onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), setUserId(u.id), pinRef.current?.focus())}
                />
                <span className="user-name">{u.name}</span>
                <span className="user-role">{t(`roles.${u.role}`)}</span>
                {u.lockedText && <span className="user-locked" data-testid="user-locked">{localized(u.lockedText)}</span>}
              </label>
            ))}
          </div>
        </fieldset>
        {setsPin && (
          <>
            <p className="note">{t('signIn.setPinHelp')}</p>
            <label className="field">
              <span>{t('signIn.code')}</span>
              <input type="password" inputMode="numeric" autoComplete="off" name="code" value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 8))} />
            </label>
          </>
        )}
        <label className="field">
          <span>
            {setsPin ? t('signIn.newPin') : t('signIn.pin')} <small>({t('signIn.pinHelp')})</small>
          </span>
          <input
            ref={pinRef}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            name="pin"
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          />
        </label>
        {setsPin && (
          <label className="field">
            <span>{t('signIn.pinAgain')}</span>
            <input type="password" inputMode="numeric" autoComplete="off" name="pin-again" value={again} onChange={(e) => setAgain(e.target.value.replace(/\D/g, '').slice(0, 8))} />
          </label>
        )}
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {setsPin ? t('signIn.setPin') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
