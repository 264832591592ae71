import { useTranslation } from 'react-i18next';

/** An expiry date, said to be past when it is. */
export function ExpiryDate({ day }: { day: string }) {
  const { t } = useTranslation();
  const today = new Date().toISOString().slice(0, 10);
  return day < today ? (
    <strong className="expired">
      {day} · {t('lots.expired')}
    </strong>
  ) : (
    <>{day}</>
  );
}
