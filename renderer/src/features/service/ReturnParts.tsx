import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';

type Part = { name: string; quantity: number };

/**
 * What comes back with a returned device of this article (the return's checklist): shown to all,
 * kept by the workshop. Saved here, it reaches every station's return intake through the register.
 */
export function ReturnParts({ articleId, editable }: { articleId: string; editable: boolean }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const { data } = useCall('workshop.components', { articleId }, [articleId, tick]);
  const [parts, setParts] = useState<Part[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setParts(data ?? []), [data]);
  if (!data) return null;
  const set = (n: number, part: Partial<Part>) => setParts((ps) => ps.map((p, i) => (i === n ? { ...p, ...part } : p)));
  return (
    <section aria-labelledby="return-parts">
      <h2 id="return-parts">{t('returnParts.title')}</h2>
      <p className="muted">{t('returnParts.help')}</p>
      {!editable ? (
        data.length === 0 ? (
          <p className="muted">{t('returnParts.none')}</p>
        ) : (
          <ul data-testid="return-parts">
            {data.map((p) => (
              <li key={p.name}>{t('returnParts.part', { name: p.name, count: p.quantity })}</li>
            ))}
          </ul>
        )
      ) : (
        <form
          className="settings-form"
          data-testid="return-parts"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            call('workshop.setComponents', { articleId, components: parts }).then(() => (setError(null), setSaved(true), setTick((n) => n + 1)), setError);
          }}
        >
          {parts.map((p, n) => (
            <div className="form-row" key={n}>
              <label>
                {t('returnParts.name', { n: n + 1 })}
                <input value={p.name} onChange={(e) => set(n, { name: e.target.value })} required maxLength={60} />
              </label>
              <label>
                {t('returnParts.quantity', { n: n + 1 })}
                <input value={p.quantity} onChange={(e) => set(n, { quantity: Number(e.target.value.replace(/\D/g, '')) })} inputMode="numeric" required />
              </label>
              <button type="button" className="ghost" onClick={() => setParts((ps) => ps.filter((_, i) => i !== n))}>
                {t('returnParts.remove', { n: n + 1 })}
              </button>
            </div>
          ))}
          <div className="form-row">
            <button type="button" className="ghost" onClick={() => setParts((ps) => [...ps, { name: '', quantity: 1 }])}>
              {t('returnParts.add')}
            </button>
            <button type="submit">{t('returnParts.save')}</button>
          </div>
          <ErrorNote error={error} />
          {saved && <p role="status">{t('returnParts.saved')}</p>}
        </form>
      )}
    </section>
  );
}
