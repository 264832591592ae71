import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';

type Routes = CallOutput<'picking.routes'>;

/** The delivery routes and days with orders, and the one chosen (`route|day`); the first until one is chosen. */
export function useDeliveryRoutes(onError: (e: unknown) => void) {
  const [routes, setRoutes] = useState<Routes>([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    call('picking.routes', {}).then((r) => {
      setRoutes(r);
      // A scanned order may already have chosen the route.
      if (r[0]) setChosen((c) => c || `${r[0]!.route}|${r[0]!.deliveryDay}`);
    }, onError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const [route = '', deliveryDay = ''] = chosen.split('|');
  return { routes, chosen, setChosen, route, deliveryDay };
}

export function RouteSelect({ routes, chosen, onChange, counts = false }: { routes: Routes; chosen: string; onChange: (v: string) => void; counts?: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="field inline">
      {t('pick.routeAndDay')}
      <select value={chosen} onChange={(e) => onChange(e.target.value)}>
        {routes.map((r) => (
          <option key={`${r.route}|${r.deliveryDay}`} value={`${r.route}|${r.deliveryDay}`}>
            {r.route} · {r.deliveryDay}
            {counts ? ` (${r.orders})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
