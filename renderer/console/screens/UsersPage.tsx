import { useState } from 'react';
import type { ConsoleUser, SiteLine, UserLine } from '../../../register/console/store';
import { ROLES, type Role } from '../../../vocabulary/domain';
import { post } from '../client';
import { useWords } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

/**
 * Användare (administrators): the region's users with role, site, badge and PIN state. A new user
 * and a PIN reset get a one-time code, shown once, with which the user sets their own PIN at any
 * station; no one types another's PIN. Changes reach every station at its next sync.
 */
export function UsersPage({ user }: { user: ConsoleUser }) {
  const w = useWords();
  const { t } = w;
  const { data: users, error, reload } = useLoad<UserLine[]>('users');
  const { data: sites } = useLoad<SiteLine[]>('sites');
  const [creating, setCreating] = useState(false);
  const [code, setCode] = useState<{ name: string; code: string; expires: number } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const done = (text: string | null) => {
    setFailure(null);
    setNote(text);
    reload();
  };
  const setActive = (u: UserLine, active: boolean) =>
    post(`users/${encodeURIComponent(u.id)}/active`, { active }).then(
      () => (setCode(null), done(t(active ? 'users.activated' : 'users.deactivated', { name: u.name }))),
      setFailure,
    );
  const newCode = (u: UserLine) =>
    post<{ name: string; code: string; expires: number }>(`users/${encodeURIComponent(u.id)}/pin-code`).then((c) => (setCode(c), done(null)), setFailure);

  return (
    <>
      <h1>{t('users.title')}</h1>
      <p className="muted">{t('users.help')}</p>
      <ErrorNote error={error ?? failure} />
      {code && (
        <div className="note note-ok" role="status" data-testid="one-time-code">
          {t('users.code', { name: code.name, until: w.dateTime(code.expires) })} <strong className="code big-number">{code.code}</strong>
          <br />
          {t('users.codeNote')}
        </div>
      )}
      {note && (
        <p className="note note-ok" role="status">
          {note}
        </p>
      )}
      {creating ? (
        <UserForm
          sites={sites ?? []}
          onCancel={() => setCreating(false)}
          onFail={setFailure}
          onCreated={(c) => (setCreating(false), setCode(c), done(null))}
        />
      ) : (
        <button type="button" onClick={() => (setCode(null), setNote(null), setCreating(true))}>
          {t('users.new')}
        </button>
      )}
      {!users ? (
        !error && <Loading />
      ) : (
        <div className="table-wrap">
          <table className="lines" data-testid="users">
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.site')}</th>
                <th scope="col">{t('users.badge')}</th>
                <th scope="col">{t('users.pin')}</th>
                <th scope="col">{t('users.changed')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('users.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className={u.active ? undefined : 'muted'}>
                  <td>
                    {u.name}
                    {u.active ? '' : ` (${t('users.inactive')})`}
                  </td>
                  <td>{t(`roles.${u.role}`)}</td>
                  <td>{u.siteName ?? t('users.allSites')}</td>
                  <td className="code">{u.badge ?? ''}</td>
                  <td>{u.pin === 'code' ? t('users.pinState.code', { until: w.dateTime(u.codeExpires!) }) : t(`users.pinState.${u.pin}`)}</td>
                  <td>{u.changedAt ? `${u.changedBy ?? '–'}, ${w.dateTime(u.changedAt)}` : ''}</td>
                  <td>
                    <span className="actions">
                      {u.id !== user.id && (
                        <button type="button" className="ghost" onClick={() => void setActive(u, !u.active)}>
                          {u.active ? t('users.deactivate') : t('users.activate')} <span className="visually-hidden">{u.name}</span>
                        </button>
                      )}
                      {u.active && u.role !== 'prescriber' && (
                        <button type="button" className="ghost" onClick={() => void newCode(u)}>
                          {t('users.newCode')} <span className="visually-hidden">{u.name}</span>
                        </button>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function UserForm(props: { sites: SiteLine[]; onCancel: () => void; onFail: (e: unknown) => void; onCreated: (c: { name: string; code: string; expires: number }) => void }) {
  const { t } = useWords();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('warehouse_worker');
  const [siteId, setSiteId] = useState<string | null>(null);
  const [badge, setBadge] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const c = await post<{ id: string; code: string; expires: number }>('users', { name, role, siteId, badge: badge.trim() || null });
      props.onCreated({ name: name.trim(), code: c.code, expires: c.expires });
    } catch (e) {
      props.onFail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="editor" aria-label={t('users.new')} onSubmit={(e) => (e.preventDefault(), void save())}>
      <label>
        {t('users.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={80} />
      </label>
      <label>
        {t('users.role')}
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('users.site')}
        <select value={siteId ?? ''} onChange={(e) => setSiteId(e.target.value || null)}>
          <option value="">{t('users.allSites')}</option>
          {props.sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('users.badge')} <small className="muted">{t('users.badgeHelp')}</small>
        <input value={badge} onChange={(e) => setBadge(e.target.value)} maxLength={8} autoComplete="off" />
      </label>
      <span className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('users.create')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('users.cancel')}
        </button>
      </span>
    </form>
  );
}
