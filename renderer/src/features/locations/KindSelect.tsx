import { useTranslation } from 'react-i18next';
import type { LocationKind } from '../../../../db/schema';
import { KINDS } from './kinds';

/** The kind of a location, as a labelled choice. */
export function KindSelect({ value, onChange }: { value: LocationKind; onChange: (kind: LocationKind) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('locations.kind')}
      <select value={value} onChange={(e) => onChange(e.target.value as LocationKind)}>
        {KINDS.map((k) => (
          <option key={k} value={k}>{t(`locationKind.${k}`)}</option>
        ))}
      </select>
    </label>
  );
}
