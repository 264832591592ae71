import { useState } from 'react';
import type { CodeLine, ConsoleUser, SiteLine } from '../../../register/console/store';
import { post } from '../client';
import { useWords } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

/** Inskrivning: a one-time code for a new station (administrators), shown once; the codes issued and what became of them. */
export function EnrolmentPage({ user }: { user: ConsoleUser }) {
  const w = useWords();
  const { t } = w;
  const { data: codes, error, reload } = useLoad<CodeLine[]>('enrolment-codes');
  const { data: sites } = useLoad<SiteLine[]>('sites');
  const [siteId, setSiteId] = useState('');
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<{ code: string; stationName: string; expiresAt: number } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const admin = user.role === 'admin';

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await post<{ code: string; stationName: string; expiresAt: number }>('enrolment-codes', { siteId, stationName: name });
      setIssued(r);
      setNote(null);
      setFailure(null);
      setName('');
      reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const withdraw = (c: CodeLine) =>
    post(`enrolment-codes/${c.id}/withdraw`).then(
      () => (setNote(t('enrolment.withdrawn', { name: c.stationName })), setIssued(null), setFailure(null), reload()),
      setFailure,
    );

  return (
    <>
      <h1>{t('enrolment.title')}</h1>
      <p className="muted">{t('enrolment.help')}</p>
      <ErrorNote error={error ?? failure} />
      {issued && (
        <div className="note note-ok" role="status" data-testid="enrolment-code">
          {t('enrolment.code', { name: issued.stationName, until: w.dateTime(issued.expiresAt) })} <strong className="code big-number">{issued.code}</strong>
        </div>
      )}
      {note && (
        <p className="note note-ok" role="status">
          {note}
        </p>
      )}
      {admin ? (
        <form className="stack-form card" onSubmit={create} aria-label={t('enrolment.create')}>
          <label>
            {t('enrolment.site')}
            <select value={siteId} onChange={(e) => setSiteId(e.target.value)} required>
              <option value="">{t('enrolment.chooseSite')}</option>
              {(sites ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('enrolment.stationName')}
            <input className="big-input" value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={60} />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('enrolment.create')}
          </button>
        </form>
      ) : (
        <p className="note">{t('enrolment.onlyAdmins')}</p>
      )}
      <h2>{t('enrolment.codes')}</h2>
      {!codes ? (
        !error && <Loading />
      ) : codes.length === 0 ? (
        <p className="muted">{t('enrolment.none')}</p>
      ) : (
        <table className="table" data-testid="codes">
          <thead>
            <tr>
              <th scope="col">{t('enrolment.stationName')}</th>
              <th scope="col">{t('enrolment.site')}</th>
              <th scope="col">{t('enrolment.created')}</th>
              <th scope="col">{t('enrolment.expires')}</th>
              <th scope="col">{t('enrolment.state')}</th>
              {admin && (
                <th scope="col">
                  <span className="visually-hidden">{t('fleet.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id}>
                <td>{c.stationName}</td>
                <td>{c.siteName ?? c.siteId}</td>
                <td>{w.dateTime(c.createdAt)}</td>
                <td>{w.dateTime(c.expiresAt)}</td>
                <td>{t(`enrolment.states.${c.state}`)}</td>
                {admin && (
                  <td>
                    {c.state === 'waiting' && (
                      <button type="button" className="ghost" onClick={() => void withdraw(c)}>
                        {t('enrolment.withdraw')} <span className="visually-hidden">{c.stationName}</span>
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
