import type { Issue } from '../../../register/console/issues';
import { useWords } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

/** Avvisat och konflikter: the region's rejected entries and conflicts, newest first, each with what to do. */
export function IssuesPage() {
  const w = useWords();
  const { t } = w;
  const { data, error } = useLoad<Issue[]>('issues');
  return (
    <>
      <h1>{t('issues.title')}</h1>
      <p className="muted">{t('issues.help')}</p>
      <ErrorNote error={error} />
      {!data ? (
        !error && <Loading />
      ) : data.length === 0 ? (
        <p className="note">{t('issues.none')}</p>
      ) : (
        <ul className="issues" data-testid="issues">
          {data.map((i) => (
            <li key={`${i.kind}:${i.id}`}>
              <p className="meta">
                <span className={i.kind === 'rejection' ? 'badge badge-err' : 'badge badge-warn'}>{t(i.kind === 'rejection' ? 'issues.rejection' : 'issues.conflict')}</span>{' '}
                {t('issues.from', { station: i.stationName ?? t('issues.unknownStation'), site: i.siteName ?? '–' })}
                {i.at !== null && <> · {w.dateTime(i.at)}</>}
              </p>
              <p className="message">{w.say(i.message)}</p>
              <p className="advice">
                <strong>{t('issues.todo')}</strong> {w.say(i.advice)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
