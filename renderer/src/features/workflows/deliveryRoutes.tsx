import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';

type Routes = CallOutput<'picking.routes'>;

/** Choosing the delivery route and day (`route|day`) a workflow works on. */
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
