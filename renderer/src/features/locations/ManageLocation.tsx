import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationKind } from '../../../../db/schema';
import { KindSelect } from './KindSelect';
import { call } from '../../bridge/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNote } from '../../components/ErrorNote';
import { beep } from '../../feedback';
import { navigate, href } from '../../router';

/** Resolves a typed or scanned location code to its id, or says it does not exist. */
export async function locationByCode(code: string, notFound: string): Promise<string> {
  const hit = await call('stock.resolve', { code });
  if (hit.kind !== 'location') throw new Error(notFound);
  return hit.id;
}

/** On a location's page: rename it, change kind or capacity (those who keep the shelves), retire it (supervisors); empty it into another (everyone). */
export function ManageLocation({ location, keeps, supervisor, onChanged }: { location: { id: string; code: string; name: string; kind: LocationKind; capacity: number | null }; keeps: boolean; supervisor: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(location.name);
  const [kind, setKind] = useState<LocationKind>(location.kind);
  const [capacity, setCapacity] = useState(location.capacity ? String(location.capacity) : '');
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = async (f: () => Promise<unknown>, done: string) => {
    try {
      await f();
      setError(null);
      setNote(done);
      beep('ok');
      onChanged();
    } catch (e) {
      beep('error');
      setError(e);
    }
  };
  return (
    <section aria-labelledby="manage-location">
      <h2 id="manage-location">{t('locations.manage')}</h2>
      <ErrorNote error={error} />
      <p role="status" aria-live="polite">{note}</p>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const to = await locationByCode(target.trim(), t('locations.notFound', { code: target }));
            await call('locations.moveEverything', { fromLocationId: location.id, toLocationId: to });
          }, t('locations.movedAll', { to: target.toUpperCase() }));
        }}
      >
        <label>
          {t('locations.moveAllTo')}
          <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder={t('locations.scanTarget')} autoComplete="off" />
        </label>
        <button type="submit">{t('locations.moveAll')}</button>
      </form>
      {keeps && (
          <form
            className="settings-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => call('locations.update', { id: location.id, name, kind, capacity: capacity ? Number(capacity) : null }), t('locations.saved'));
            }}
          >
            <label>
              {t('locations.name')}
              <input value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <KindSelect value={kind} onChange={setKind} />
            <label>
              {t('locations.capacity')}
              <input type="number" min={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
            </label>
            <button type="submit">{t('locations.save')}</button>
          </form>
      )}
      {supervisor && (
          <ConfirmButton
            className="danger"
            question={t('locations.retireConfirm', { code: location.code })}
            yes={t('locations.retireYes')}
            onConfirm={() => act(async () => { await call('locations.retire', { id: location.id }); navigate(href('locations')); }, t('locations.retired', { code: location.code }))}
          >
            {t('locations.retire', { code: location.code })}
          </ConfirmButton>
      )}
    </section>
  );
}
