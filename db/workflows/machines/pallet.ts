/**
 * Building pallets (Pall): choose the delivery (route, day, delivery point), open a pallet (it
 * gets its SSCC), scan the goods picked for that delivery onto it, and scan `KLAR`: the goods
 * (a depot's) leave stock in transit under the pallet's SSCC, or (a customer's) wait at dispatch
 * for the delivery, and its label prints. Undo takes the last item off an open pallet; a closed
 * pallet has nothing to undo.
 */
import type { LoadListRow, PalletView } from '../pallets';
import { CLEARED, fail, ok, refused, type DeliveryPoint, type Machine, type RouteDay } from './machine';
import { MAX_QUANTITY } from './receipt';
import { STAFF_ROLES } from '../../../vocabulary/domain';

export interface PalletState {
  route: string | null;
  deliveryDay: string | null;
  routes: RouteDay[];
  /** Where the route's orders go. */
  points: DeliveryPoint[];
  point: DeliveryPoint | null;
  pallet: PalletView | null;
  /** Units of an article one scan puts on (an individual is one). */
  quantity: number;
  /** The route's pallets so far. */
  loads: LoadListRow[];
  /** The closed pallet's label, as it printed (for the preview). */
  label: string | null;
}

const OPEN_FIRST = fail('Öppna en pall först.', 'Open a pallet first.');
const isOpen = (s: PalletState) => s.pallet?.state === 'open';

export const pallet: Machine<PalletState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: ['palletRemove'],
  initial: () => ({ route: null, deliveryDay: null, routes: [], points: [], point: null, pallet: null, quantity: 1, loads: [], label: null }),

  input(state, input) {
    switch (input.kind) {
      case 'route':
        return { state, effect: { kind: 'palletRoute', route: input.route, deliveryDay: input.deliveryDay, palletId: state.pallet?.id ?? null } };
      case 'deliveryPoint': {
        const point = state.points.find((p) => p.deliveryPoint === input.deliveryPoint && p.municipality === input.municipality);
        return { state: point ? { ...state, point } : state };
      }
      case 'quantity':
        return { state: { ...state, quantity: Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(input.quantity ?? 1) || 1)) } };
      case 'command':
        if (input.command === 'cancel') return { state: { ...state, pallet: null, label: null }, feedback: CLEARED };
        if (input.command === 'done') {
          if (!isOpen(state)) return { state, feedback: OPEN_FIRST };
          return { state, effect: { kind: 'closePallet', palletId: state.pallet!.id } };
        }
        // Confirm opens a new pallet for the chosen delivery, while none is open.
        if (isOpen(state)) return { state };
        if (!state.route || !state.deliveryDay || !state.point)
          return { state, feedback: fail('Välj leverans och öppna en ny pall (eller skanna BEKRÄFTA).', 'Choose the delivery and open a new pallet (or scan CONFIRM).') };
        return { state, effect: { kind: 'openPallet', route: state.route, deliveryDay: state.deliveryDay, ...state.point } };
      case 'scan': {
        const r = input.resolution;
        if (!isOpen(state)) return { state, feedback: OPEN_FIRST };
        if (r.kind !== 'article' && r.kind !== 'individual') return { state, feedback: fail('Skanna en plockad vara.', 'Scan picked goods.') };
        return {
          state,
          effect: {
            kind: 'palletAdd',
            palletId: state.pallet!.id,
            articleId: r.kind === 'individual' ? r.articleId : r.id,
            individualId: r.kind === 'individual' ? r.id : null,
            lot: r.kind === 'article' ? (r.details.lot ?? null) : null,
            quantity: r.kind === 'individual' ? 1 : state.quantity,
            label: r.kind === 'individual' ? r.individualNumber : r.articleNumber,
          },
        };
      }
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) return { state, feedback: refused(s) };
    switch (s.kind) {
      case 'palletRoute': {
        const v = s.value;
        const point = v.points.find((p) => p.deliveryPoint === state.point?.deliveryPoint && p.municipality === state.point.municipality) ?? v.points[0] ?? null;
        return { state: { ...state, route: v.route, deliveryDay: v.deliveryDay, routes: v.routes, points: v.points, point, loads: v.loads, pallet: v.pallet ?? state.pallet } };
      }
      case 'openPallet':
        return { state: { ...state, pallet: s.value, label: null }, feedback: ok(`Pall ${s.value.sscc} öppnad.`, `Pallet ${s.value.sscc} opened.`) };
      case 'palletAdd': {
        const before = new Set(state.pallet?.items.map((i) => i.id) ?? []);
        const item = s.value.items.find((i) => !before.has(i.id));
        const count = s.value.items.length;
        return {
          state: { ...state, pallet: s.value },
          feedback: ok(`${s.effect.label} lagd på pallen (${count} rader).`, `${s.effect.label} put on the pallet (${count} lines).`),
          undo: item ? { effect: { kind: 'palletRemove', palletId: s.value.id, itemId: item.id } } : null,
        };
      }
      case 'palletRemove':
      case 'pallet':
        return { state: state.pallet?.id === s.value.id ? { ...state, pallet: s.value } : state };
      case 'closePallet': {
        const { pallet: p, loads, labelZpl, printed } = s.value;
        return {
          state: { ...state, pallet: p, loads, label: labelZpl },
          // A depot's pallet is on its way; a customer's waits at dispatch until it is delivered (Leveranser).
          feedback: (() => {
            const sv = p.toSiteId ? `Pall ${p.sscc} stängd och skickad` : `Pall ${p.sscc} stängd; den väntar i utlastningen tills den levereras`;
            const en = p.toSiteId ? `Pallet ${p.sscc} closed and sent` : `Pallet ${p.sscc} closed; it waits at dispatch until it is delivered`;
            return printed ? ok(`${sv}; etiketten skrivs ut.`, `${en}; its label is printing.`) : ok(`${sv}.`, `${en}.`);
          })(),
          forget: true,
        };
      }
      default:
        return { state };
    }
  },

  refresh: (state) => ({ kind: 'palletRoute', route: state.route, deliveryDay: state.deliveryDay, palletId: state.pallet?.id ?? null }),

  prompt: (state) =>
    isOpen(state)
      ? { sv: `Pall ${state.pallet!.sscc}: skanna de plockade varorna. Skanna KLAR för att stänga pallen.`, en: `Pallet ${state.pallet!.sscc}: scan the picked goods. Scan DONE to close the pallet.` }
      : { sv: 'Välj leverans och öppna en ny pall (eller skanna BEKRÄFTA).', en: 'Choose the delivery and open a new pallet (or scan CONFIRM).' },
};
