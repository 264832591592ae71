import type { AuditLine } from '../../../register/console/store';
import { useWords } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

/** Konsolens logg (administrators): who did what in the console, newest first. */
export function AuditPage() {
  const w = useWords();
  const { t } = w;
  const { data, error } = useLoad<AuditLine[]>('audit');
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('audit.help')}</p>
      <ErrorNote error={error} />
      {!data ? (
        !error && <Loading />
      ) : data.length === 0 ? (
        <p className="muted">{t('audit.none')}</p>
      ) : (
        <table className="table" data-testid="audit">
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.who')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.subject')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((a, i) => (
              <tr key={i}>
                <td>{w.dateTime(a.at)}</td>
                <td>{a.userName}</td>
                <td className="code">{a.action}</td>
                <td className="code">{a.subject ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
