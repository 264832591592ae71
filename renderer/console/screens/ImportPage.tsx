import { useState } from 'react';
import type { ImportAnswer } from '../../../register/console/import';
import { post } from '../client';
import { useWords } from '../i18n';
import { ErrorNote } from '../parts';

/** The most the files may be together, as the register takes them. */
const MAX_BYTES = 36 * 1024 * 1024;

const base64 = async (file: File): Promise<string> => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

/**
 * Inläsning (administrators): the region's files, previewed (nothing changes) and then imported,
 * with what is new, changed and unchanged per table and every rejected row with its reason.
 */
export function ImportPage() {
  const w = useWords();
  const { t } = w;
  const [files, setFiles] = useState<File[]>([]);
  const [encoding, setEncoding] = useState<'utf-8' | 'windows-1252'>('utf-8');
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const tooLarge = files.reduce((n, f) => n + f.size, 0) > MAX_BYTES;

  const run = async (apply: boolean) => {
    setBusy(true);
    setFailure(null);
    try {
      const payload = { apply, encoding, files: await Promise.all(files.map(async (f) => ({ name: f.name, content: await base64(f) }))) };
      setAnswer(await post<ImportAnswer>('import', payload));
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const tables = [
    ['articles', 'article'],
    ['individuals', 'individual'],
    ['orders', 'order'],
  ] as const;
  return (
    <>
      <h1>{t('import.title')}</h1>
      <p className="muted">{t('import.help')}</p>
      <form className="stack-form card" aria-label={t('import.title')} onSubmit={(e) => (e.preventDefault(), void run(false))}>
        <label>
          {t('import.files')}
          <input type="file" multiple accept=".csv,.txt,.xlsx" onChange={(e) => (setFiles([...(e.target.files ?? [])].slice(0, 3)), setAnswer(null))} required />
        </label>
        <label>
          {t('import.encoding')}
          <select value={encoding} onChange={(e) => (setEncoding(e.target.value as 'utf-8' | 'windows-1252'), setAnswer(null))}>
            <option value="utf-8">{t('import.utf8')}</option>
            <option value="windows-1252">{t('import.ansi')}</option>
          </select>
        </label>
        {tooLarge && (
          <p className="note note-error" role="alert">
            {t('import.tooLarge')}
          </p>
        )}
        <div className="form-row">
          <button type="submit" disabled={busy || files.length === 0 || tooLarge}>
            {t('import.preview')}
          </button>
          {answer && !answer.applied && (
            <button type="button" className="primary" disabled={busy} onClick={() => void run(true)}>
              {t('import.apply')}
            </button>
          )}
        </div>
      </form>
      <ErrorNote error={failure} />
      {answer && (
        <section aria-labelledby="import-result" data-testid="import-result">
          <h2 id="import-result" role="status">
            {answer.applied ? t('import.applied', { rows: w.number(answer.rows) }) : t('import.previewed', { rows: w.number(answer.rows) })}
          </h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('import.table')}</th>
                <th scope="col" className="num">{t('import.created')}</th>
                <th scope="col" className="num">{t('import.updated')}</th>
                <th scope="col" className="num">{t('import.unchanged')}</th>
              </tr>
            </thead>
            <tbody>
              {tables.map(([words, kind]) => (
                <tr key={kind}>
                  <th scope="row">{t(`import.${words}`)}</th>
                  <td className="num">{w.number(answer.created[kind])}</td>
                  <td className="num">{w.number(answer.updated[kind])}</td>
                  <td className="num">{w.number(answer.unchanged[kind])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {answer.rejectedCount === 0 ? (
            <p>{t('import.noneRejected')}</p>
          ) : (
            <>
              <h3>
                {t('import.rejected', { count: answer.rejectedCount })}
                {answer.rejectedCount > answer.rejected.length && ` ${t('import.shown', { shown: answer.rejected.length })}`}
              </h3>
              <table className="table" data-testid="import-rejected">
                <thead>
                  <tr>
                    <th scope="col">{t('import.file')}</th>
                    <th scope="col" className="num">{t('import.row')}</th>
                    <th scope="col">{t('import.column')}</th>
                    <th scope="col">{t('import.value')}</th>
                    <th scope="col">{t('import.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.rejected.map((r) => (
                    <tr key={`${r.file}|${r.sheet ?? ''}|${r.row}`}>
                      <td>{r.sheet ? `${r.file} (${r.sheet})` : r.file}</td>
                      <td className="num">{r.row}</td>
                      <td>{r.column ?? ''}</td>
                      <td className="code">{r.value ?? ''}</td>
                      <td>{w.say({ sv: r.sv, en: r.en })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
    </>
  );
}
