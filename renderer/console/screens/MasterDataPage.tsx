import { useDeferredValue, useState } from 'react';
import type { ArticleLine, SiteLine } from '../../../register/console/store';
import { useWords, type Key } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

/** Grunddata: the sites and articles the register holds, to look up. */
export function MasterDataPage() {
  const { t } = useWords();
  const { data: sites, error } = useLoad<SiteLine[]>('sites');
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim().slice(0, 64));
  const { data: found, error: articleError } = useLoad<{ lines: ArticleLine[]; more: boolean }>(`articles?q=${encodeURIComponent(q)}`);
  return (
    <>
      <h1>{t('masterData.title')}</h1>
      <p className="muted">{t('masterData.help')}</p>
      <ErrorNote error={error ?? articleError} />
      <h2>{t('masterData.sites')}</h2>
      {!sites ? (
        !error && <Loading />
      ) : (
        <table className="table" data-testid="sites">
          <thead>
            <tr>
              <th scope="col">{t('masterData.code')}</th>
              <th scope="col">{t('masterData.name')}</th>
              <th scope="col">{t('masterData.kind')}</th>
              <th scope="col">{t('masterData.municipality')}</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr key={s.id}>
                <td className="code">{s.code}</td>
                <td>{s.name}</td>
                <td>{t(`masterData.siteKinds.${s.kind}` as Key)}</td>
                <td>{s.municipality}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('masterData.articles')}</h2>
      <label className="field">
        {t('masterData.search')}
        <input className="big-input" type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={64} />
      </label>
      {!found ? (
        !articleError && <Loading />
      ) : found.lines.length === 0 ? (
        <p className="muted">{t('masterData.noArticles')}</p>
      ) : (
        <>
          <table className="table" data-testid="articles">
            <thead>
              <tr>
                <th scope="col">{t('masterData.number')}</th>
                <th scope="col">{t('masterData.name')}</th>
                <th scope="col">{t('masterData.iso')}</th>
                <th scope="col">{t('masterData.supplier')}</th>
                <th scope="col">{t('masterData.rentable')}</th>
              </tr>
            </thead>
            <tbody>
              {found.lines.map((a) => (
                <tr key={a.id}>
                  <td className="code">{a.number}</td>
                  <td>{a.name}</td>
                  <td className="code">{a.isoCode}</td>
                  <td>{a.supplier}</td>
                  <td>{a.rentable ? t('masterData.yes') : t('masterData.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {found.more && <p className="muted">{t('masterData.more', { count: found.lines.length })}</p>}
        </>
      )}
    </>
  );
}
