import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';

/**
 * The GS1 company prefix and extension digit the station's pallet labels (SSCCs) are made from:
 * everyone sees them, a supervisor changes them.
 */
export function Gs1Settings({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const [prefix, setPrefix] = useState('');
  const [digit, setDigit] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    call('settings.gs1', {}).then((g) => (setPrefix(g.companyPrefix), setDigit(String(g.extensionDigit))), setError);
  }, []);
  const save = () => {
    setSaved(false);
    if (!/^\d{7,10}$/.test(prefix) || !/^\d$/.test(digit)) return setError(new Error(t('gs1.invalid')));
    call('settings.saveGs1', { companyPrefix: prefix, extensionDigit: Number(digit) }).then(() => (setError(null), setSaved(true)), setError);
  };
  return (
    <section aria-labelledby="gs1-h">
      <h2 id="gs1-h">{t('gs1.title')}</h2>
      <p className="muted">{t('gs1.help')}</p>
      <form className="settings-form" onSubmit={(e) => (e.preventDefault(), save())}>
        <label>
          {t('gs1.prefix')}
          <input value={prefix} onChange={(e) => setPrefix(e.target.value.replace(/\D/g, '').slice(0, 10))} inputMode="numeric" disabled={!supervisor} />
        </label>
        <label>
          {t('gs1.digit')}
          <input value={digit} onChange={(e) => setDigit(e.target.value.replace(/\D/g, '').slice(0, 1))} inputMode="numeric" disabled={!supervisor} />
        </label>
        {supervisor && <button type="submit">{t('gs1.save')}</button>}
      </form>
      <ErrorNote error={error} />
      {saved && (
        <p role="status" data-testid="gs1-saved">
          {t('gs1.saved', { prefix, digit })}
        </p>
      )}
    </section>
  );
}
