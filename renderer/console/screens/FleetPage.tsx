import { useState } from 'react';
import type { ConsoleUser, FleetStation } from '../../../register/console/store';
import { post } from '../client';
import { useWords, type Words } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

interface Fleet {
  now: number;
  silentAfterMs: number;
  stations: FleetStation[];
}

const HOUR = 3_600_000;

/** How long a station has been silent, in hours up to two days, then days. */
function silence(w: Words, ms: number): string {
  const hours = Math.floor(ms / HOUR);
  return hours < 48 ? w.t('fleet.hours', { count: hours }) : w.t('fleet.days', { count: Math.floor(hours / 24) });
}

/** Stationer: every station, its site, version, when last heard from, and what went wrong there; silent ones flagged. */
export function FleetPage({ user }: { user: ConsoleUser }) {
  const w = useWords();
  const { t } = w;
  const { data, error, reload } = useLoad<Fleet>('fleet');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const revoke = (s: FleetStation) =>
    post(`stations/${encodeURIComponent(s.id)}/revoke`).then(
      () => (setConfirming(null), setFailure(null), setNote(t('fleet.revokedNote', { name: s.name })), reload()),
      setFailure,
    );
  const inService = data?.stations.filter((s) => s.revokedAt === null) ?? [];
  const silent = inService.filter((s) => s.silent);
  return (
    <>
      <h1>{t('fleet.title')}</h1>
      <p className="muted">{t('fleet.help', { hours: data ? Math.round(data.silentAfterMs / HOUR) : 24 })}</p>
      <ErrorNote error={error ?? failure} />
      {note && (
        <p className="note note-ok" role="status">
          {note}
        </p>
      )}
      {!data ? (
        !error && <Loading />
      ) : data.stations.length === 0 ? (
        <p className="note">{t('fleet.empty')}</p>
      ) : (
        <>
          <p data-testid="fleet-summary">
            <strong>{t('fleet.summary', { count: inService.length })}</strong>
          </p>
          {silent.length > 0 && (
            <p className="note note-warn" role="status" data-testid="silent-warning">
              {t('fleet.silentSummary', { count: silent.length })} ({silent.map((s) => s.name).join(', ')})
            </p>
          )}
          <div className="table-wrap">
            <table className="table" data-testid="fleet">
              <caption className="visually-hidden">{t('fleet.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fleet.station')}</th>
                  <th scope="col">{t('fleet.site')}</th>
                  <th scope="col">{t('fleet.version')}</th>
                  <th scope="col">{t('fleet.lastSeen')}</th>
                  <th scope="col" className="num" title={t('fleet.lastAppliedHelp')}>
                    {t('fleet.lastApplied')}
                  </th>
                  <th scope="col" className="num">{t('fleet.rejections')}</th>
                  <th scope="col" className="num">{t('fleet.conflicts')}</th>
                  <th scope="col">{t('fleet.state')}</th>
                  {user.role === 'admin' && (
                    <th scope="col">
                      <span className="visually-hidden">{t('fleet.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {data.stations.map((s) => (
                  <tr key={s.id} className={s.revokedAt !== null ? 'revoked' : s.silent ? 'silent' : undefined}>
                    <th scope="row">{s.name}</th>
                    <td>{s.siteName ?? s.siteId}</td>
                    <td className="code">{s.version ?? t('fleet.unknownVersion')}</td>
                    <td>{s.lastSeenAt === null ? t('fleet.never') : w.dateTime(s.lastSeenAt)}</td>
                    <td className="num">{w.number(s.lastApplied)}</td>
                    <td className="num">{w.number(s.rejections)}</td>
                    <td className="num">{w.number(s.conflicts)}</td>
                    <td>
                      {s.revokedAt !== null ? (
                        <span className="badge badge-off">{t('fleet.revoked')}</span>
                      ) : s.silent ? (
                        <span className="badge badge-warn">{s.lastSeenAt === null ? t('fleet.silentNever') : t('fleet.silent', { time: silence(w, data.now - s.lastSeenAt) })}</span>
                      ) : (
                        <span className="badge badge-ok">{t('fleet.ok')}</span>
                      )}
                    </td>
                    {user.role === 'admin' && (
                      <td>
                        {s.revokedAt === null &&
                          (confirming === s.id ? (
                            <span className="actions">
                              <button type="button" className="danger" onClick={() => void revoke(s)}>
                                {t('fleet.revokeConfirm', { name: s.name })}
                              </button>
                              <button type="button" onClick={() => setConfirming(null)}>
                                {t('fleet.cancel')}
                              </button>
                            </span>
                          ) : (
                            <button type="button" className="ghost" onClick={() => setConfirming(s.id)}>
                              {t('fleet.revoke')} <span className="visually-hidden">{s.name}</span>
                            </button>
                          ))}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
