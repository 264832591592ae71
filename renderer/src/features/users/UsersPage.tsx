import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';
import { ROLES, type Role } from '../../../../vocabulary/domain';

type Line = CallOutput<'users.list'>[number];
type Site = CallOutput<'stock.sites'>[number];
interface Form {
  name: string;
  role: Role;
  siteId: string | null;
  badge: string;
  active: boolean;
}

/**
 * Användare (administrators): every user with role, site, badge and PIN state. A new user and a
 * PIN reset get a one-time code, shown here once, with which the user sets their own PIN at any
 * station; no one types another's PIN. Changes reach every station through the register.
 */
export function UsersPage() {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const { data: users, error } = useCall('users.list', {}, [tick]);
  const { data: sites } = useCall('stock.sites', {}, []);
  const [editing, setEditing] = useState<Line | 'new' | null>(null);
  const [code, setCode] = useState<{ name: string; code: string; expires: number } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const done = (text: string | null) => {
    setEditing(null);
    setFailure(null);
    setNote(text);
    setTick((n) => n + 1);
  };
  const issue = (u: Line) =>
    call('users.pinCode', { userId: u.id }).then((c) => (setCode({ name: u.name, ...c }), done(null)), setFailure);
  return (
    <main id="main" className="page">
      <h1>{t('users.title')}</h1>
      <p className="muted">{t('users.help')}</p>
      <ErrorNote error={error ?? failure} />
      {code && (
        <div className="note note-ok" role="status" data-testid="one-time-code">
          {t('users.code', { name: code.name, until: formatDateTime(code.expires) })} <strong className="code big-number">{code.code}</strong>
        </div>
      )}
      {note && (
        <p className="note note-ok" role="status">
          {note}
        </p>
      )}
      {editing ? (
        <UserForm
          key={editing === 'new' ? 'new' : editing.id}
          line={editing === 'new' ? null : editing}
          sites={sites ?? []}
          onCancel={() => setEditing(null)}
          onFail={setFailure}
          onCreated={(name, c) => (setCode({ name, ...c }), done(null))}
          onSaved={(name) => (setCode(null), done(t('users.saved', { name })))}
        />
      ) : (
        <button type="button" onClick={() => (setCode(null), setEditing('new'))}>
          {t('users.new')}
        </button>
      )}
      {users && (
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
                <td>{u.pin === 'code' ? t('users.pinCode', { until: formatDateTime(u.codeExpires!) }) : t(`users.pinState.${u.pin}`)}</td>
                <td>{u.changedAt ? `${u.changedBy ?? '–'}, ${formatDateTime(u.changedAt)}` : ''}</td>
                <td>
                  <button type="button" className="ghost" onClick={() => (setCode(null), setEditing(u))}>
                    {t('users.edit')} <span className="visually-hidden">{u.name}</span>
                  </button>
                  {u.active && u.role !== 'prescriber' && (
                    <button type="button" className="ghost" onClick={() => void issue(u)}>
                      {t('users.newCode')} <span className="visually-hidden">{u.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function UserForm(props: {
  line: Line | null;
  sites: Site[];
  onCancel: () => void;
  onFail: (e: unknown) => void;
  onCreated: (name: string, code: { code: string; expires: number }) => void;
  onSaved: (name: string) => void;
}) {
  const { t } = useTranslation();
  const { line } = props;
  const [form, setForm] = useState<Form>({ name: line?.name ?? '', role: line?.role ?? 'warehouse_worker', siteId: line?.siteId ?? null, badge: line?.badge ?? '', active: line?.active ?? true });
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const input = { name: form.name, role: form.role, siteId: form.siteId, badge: form.badge.trim() || null };
  const save = () =>
    line
      ? call('users.update', { id: line.id, ...input, active: form.active }).then(() => props.onSaved(form.name.trim()), props.onFail)
      : call('users.create', input).then((c) => props.onCreated(form.name.trim(), c), props.onFail);
  return (
    <form className="editor" aria-label={line ? t('users.editOf', { name: line.name }) : t('users.new')} onSubmit={(e) => (e.preventDefault(), void save())}>
      <label>
        {t('users.name')}
        <input value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={80} />
      </label>
      <label>
        {t('users.role')}
        <select value={form.role} onChange={(e) => set({ role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('users.site')}
        <select value={form.siteId ?? ''} onChange={(e) => set({ siteId: e.target.value || null })}>
          <option value="">{t('users.allSites')}</option>
          {props.sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('users.badge')}
        <input value={form.badge} onChange={(e) => set({ badge: e.target.value })} placeholder="U1001" maxLength={7} />
      </label>
      {line && (
        <label>
          <input type="checkbox" checked={form.active} onChange={(e) => set({ active: e.target.checked })} /> {t('users.activeLabel')}
        </label>
      )}
      <div className="form-row">
        <button type="submit">{line ? t('users.save') : t('users.create')}</button>
        <button type="button" className="ghost" onClick={props.onCancel}>
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}
