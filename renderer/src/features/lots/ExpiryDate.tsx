import { useTranslation } from 'react-i18next';
import { localDay } from '../../../../vocabulary/calendar';

/** An expiry date, said to be past when it is. */
export function ExpiryDate({ day }: { day: string }) {
  const { t } = useTranslation();
  const today = localDay(new Date().getTime());
  return day < today ? (
    <strong className="expired">
      {day} · {t('lots.expired')}
    </strong>
  ) : (
    <>{day}</>
  );
}
