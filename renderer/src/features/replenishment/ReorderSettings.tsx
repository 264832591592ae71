import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { locationByCode } from '../locations/ManageLocation';

type Setting = CallOutput<'reorder.settings'>[number];
const FIELDS = ['reorderPoint', 'safetyStock', 'maxStock', 'leadDays', 'orderQuantity'] as const;

/** An article's reorder settings per site; supervisors change them here (they go to the register for every station). */
export function ReorderSettings({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const { data: me } = useCall('auth.me', {}, []);
  const { data: sites } = useCall('stock.sites', {}, []);
  const [rows, setRows] = useState<Setting[] | null>(null);
  const [edit, setEdit] = useState<Setting | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const supervisor = me?.role === 'supervisor' || me?.role === 'admin';
  useEffect(() => {
    call('reorder.settings', { articleId }).then(setRows, setError);
  }, [articleId]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!edit) return;
    try {
      const { siteCode: _c, siteName: _n, preferredCode, ...input } = edit;
      const before = rows?.find((r) => r.siteId === edit.siteId)?.preferredCode ?? null;
      const wanted = preferredCode?.trim().toUpperCase() || null;
      if (wanted !== before)
        await call('locations.preferred', { articleId, siteId: edit.siteId, locationId: wanted ? await locationByCode(wanted, t('locations.notFound', { code: wanted })) : null });
      setRows(await call('reorder.save', input));
      setNote(t('reorder.saved'));
      setError(null);
      setEdit(null);
    } catch (err) {
      setError(err);
    }
  };
  const blank = (siteId: string): Setting => {
    const s = sites?.find((x) => x.id === siteId);
    return { articleId, siteId, siteCode: s?.code ?? '', siteName: s?.name ?? '', stockArticle: true, reorderPoint: 0, safetyStock: 0, maxStock: 0, leadDays: 0, orderQuantity: 0, preferredCode: null };
  };

  return (
    <section aria-labelledby="reorder-settings">
      <h2 id="reorder-settings">{t('replenishment.settings')}</h2>
      <ErrorNote error={error} />
      <p role="status" aria-live="polite">{note}</p>
      <table className="lines" data-testid="reorder-settings">
        <thead>
          <tr>
            <th scope="col">{t('replenishment.site')}</th>
            {FIELDS.map((f) => (
              <th key={f} scope="col" className="num">{t(`reorder.${f}`)}</th>
            ))}
            <th scope="col">{t('reorder.preferred')}</th>
            {supervisor && <th scope="col"><span className="visually-hidden">{t('reorder.change')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((r) => (
            <tr key={r.siteId}>
              <td>{r.siteName}{r.stockArticle ? '' : ` (${t('reorder.notStocked')})`}</td>
              {FIELDS.map((f) => (
                <td key={f} className="num">{r[f]}</td>
              ))}
              <td className="code">{r.preferredCode ?? '—'}</td>
              {supervisor && (
                <td>
                  <button type="button" className="ghost" onClick={() => setEdit(r)}>{t('reorder.change')}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {supervisor && !edit && (
        <label className="field">
          {t('reorder.addSite')}
          <select value="" onChange={(e) => e.target.value && setEdit(blank(e.target.value))}>
            <option value="">—</option>
            {(sites ?? []).filter((s) => !rows?.some((r) => r.siteId === s.id)).map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </label>
      )}
      {edit && (
        <form onSubmit={save} className="settings-form" aria-label={t('reorder.editFor', { site: edit.siteName })}>
          <label>
            <input type="checkbox" checked={edit.stockArticle} onChange={(e) => setEdit({ ...edit, stockArticle: e.target.checked })} /> {t('reorder.stockArticle')}
          </label>
          {FIELDS.map((f) => (
            <label key={f}>
              {t(`reorder.${f}`)}
              <input type="number" min={0} value={edit[f]} onChange={(e) => setEdit({ ...edit, [f]: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
            </label>
          ))}
          <label>
            {t('reorder.preferred')}
            <input value={edit.preferredCode ?? ''} onChange={(e) => setEdit({ ...edit, preferredCode: e.target.value })} placeholder={t('locations.scanTarget')} />
          </label>
          <button type="submit">{t('reorder.save')}</button>
          <button type="button" className="ghost" onClick={() => setEdit(null)}>{t('reorder.cancel')}</button>
        </form>
      )}
    </section>
  );
}
