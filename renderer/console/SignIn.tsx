import { useEffect, useRef, useState } from 'react';
import type { ConsoleUser } from '../../register/console/store';
import type { Role } from '../../vocabulary/domain';
import { get, post } from './client';
import { useWords } from './i18n';
import { ErrorNote } from './parts';

/** Pick yourself (or type your badge), type your PIN, press Enter: administrators and supervisors only. */
export function SignIn({ onSignedIn }: { onSignedIn: (u: ConsoleUser) => void }) {
  const { t } = useWords();
  const [users, setUsers] = useState<{ id: string; name: string; role: Role }[]>([]);
  const [userId, setUserId] = useState('');
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    get<{ id: string; name: string; role: Role }[]>('sign-in/users').then(setUsers, setError);
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const typed = badge.trim().toUpperCase();
    if (!userId && !typed) {
      setError(new Error(t('signIn.chooseUser')));
      return;
    }
    setBusy(true);
    try {
      const r = await post<{ user: ConsoleUser }>('session', typed ? { badge: typed, pin } : { userId, pin });
      onSignedIn(r.user);
    } catch (err) {
      setError(err);
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin" tabIndex={-1}>
      <h1>{t('signIn.title')}</h1>
      <p className="muted">{t('signIn.help')}</p>
      <form onSubmit={submit} className="card" aria-label={t('signIn.title')}>
        <fieldset>
          <legend>{t('signIn.who')}</legend>
          <div className="user-grid">
            {users.map((u, i) => (
              <label key={u.id} className={u.id === userId ? 'user-choice chosen' : 'user-choice'}>
                <input
                  type="radio"
                  name="user"
                  value={u.id}
                  checked={u.id === userId}
                  autoFocus={i === 0}
                  onChange={() => {
                    setUserId(u.id);
                    setBadge('');
                    setError(null);
                  }}
                  onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), setUserId(u.id), pinRef.current?.focus())}
                />
                <span className="user-name">{u.name}</span>
                <span className="user-role">{t(`roles.${u.role}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field badge-field">
          <span>{t('signIn.badge')}</span>
          <br />
          <input
            type="text"
            name="badge"
            autoComplete="off"
            value={badge}
            maxLength={8}
            onChange={(e) => (setBadge(e.target.value), e.target.value && setUserId(''))}
            onKeyDown={(e) => e.key === 'Enter' && badge.trim() && (e.preventDefault(), pinRef.current?.focus())}
          />
        </label>
        <label className="field">
          <span>
            {t('signIn.pin')} <small>({t('signIn.pinHelp')})</small>
          </span>
          <br />
          <input ref={pinRef} type="password" inputMode="numeric" autoComplete="off" name="pin" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} />
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
