/**
 * Building pallets (Pall): choose the delivery (route, day, delivery point), open a pallet (it
 * gets its SSCC), scan the goods picked for that delivery onto it, and scan `KLAR`: the goods
 * (a depot's) leave stock in transit under the pallet's SSCC, or (a customer's) wait at dispatch
 * for the delivery, and its label prints. Undo takes the last item off an open pallet; a closed
 * pallet has nothing to undo. Each scan says how many of that article are on pallets for the
 * delivery point against how many were picked for it; closing a pallet while goods picked for its
 * delivery point are still at dispatch is refused by the core, naming them, until the worker
 * confirms (`BEKRÄFTA`) or loads them.
 */
import type { LoadListRow, LoadingRow, PalletView } from '../pallets';
import { CLEARED, fail, ok, refused, type DeliveryPoint, type Machine, type RouteDay } from './machine';
import { MAX_QUANTITY } from './receipt';
import { STAFF_ROLES } from '../../../vocabulary/domain';
import { plural } from '../../../vocabulary/language';

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
  /** Per delivery point of the route and day: what was picked for it, and how much of it is on a pallet. */
  loading: LoadingRow[];
  /** Closing was refused because goods are left to load: `BEKRÄFTA` closes it anyway, `AVBRYT` keeps it open. */
  closing: boolean;
}

/** What is left to load for a delivery point: picked for it, not on any pallet. */
export const leftToLoad = (loading: readonly LoadingRow[], point: DeliveryPoint | null): LoadingRow[] =>
  loading.filter((r) => r.picked > r.loaded && (!point || (r.deliveryPoint === point.deliveryPoint && r.municipality === point.municipality)));

const OPEN_FIRST = fail('Öppna en pall först.', 'Open a pallet first.');
const isOpen = (s: PalletState) => s.pallet?.state === 'open';

export const pallet: Machine<PalletState> = {
  version: 2,
  access: STAFF_ROLES,
  undoes: ['palletRemove'],
  initial: () => ({ route: null, deliveryDay: null, routes: [], points: [], point: null, pallet: null, quantity: 1, loads: [], label: null, loading: [], closing: false }),

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
        // Asked whether to close with goods left to load: cancelling keeps the pallet open, confirming closes it.
        if (state.closing && isOpen(state)) {
          if (input.command === 'cancel')
            return { state: { ...state, closing: false }, feedback: ok(`Pall ${state.pallet!.sscc} är fortfarande öppen.`, `Pallet ${state.pallet!.sscc} is still open.`) };
          if (input.command === 'confirm') return { state, effect: { kind: 'closePallet', palletId: state.pallet!.id, leaveBehind: true } };
        }
        if (input.command === 'cancel') return { state: { ...state, pallet: null, label: null, closing: false }, feedback: CLEARED };
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
          state: { ...state, closing: false },
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
    // Goods are left to load: the worker is asked, and the list is read again to show what.
    if (!s.ok && s.kind === 'closePallet' && s.error.code === 'pallets.left_to_load')
      return {
        state: { ...state, closing: true },
        feedback: { kind: 'warn', message: s.error.message },
        effect: { kind: 'palletRoute', route: state.route, deliveryDay: state.deliveryDay, palletId: state.pallet?.id ?? null },
      };
    if (!s.ok) return { state, feedback: refused(s) };
    switch (s.kind) {
      case 'palletRoute': {
        const v = s.value;
        const point = v.points.find((p) => p.deliveryPoint === state.point?.deliveryPoint && p.municipality === state.point.municipality) ?? v.points[0] ?? null;
        return {
          state: { ...state, route: v.route, deliveryDay: v.deliveryDay, routes: v.routes, points: v.points, point, loads: v.loads, loading: v.loading, pallet: v.pallet ?? state.pallet },
        };
      }
      case 'openPallet':
        return { state: { ...state, pallet: s.value, label: null, closing: false }, feedback: ok(`Pall ${s.value.sscc} öppnad.`, `Pallet ${s.value.sscc} opened.`) };
      case 'palletAdd': {
        const { count: n, loading, ...p } = s.value;
        const before = new Set(state.pallet?.items.map((i) => i.id) ?? []);
        // One scan may go on several lines (split over the orders it was picked for): undo takes them all off.
        const added = p.items.filter((i) => !before.has(i.id)).map((i) => i.id);
        const count = p.items.length;
        const q = s.effect.quantity;
        const what = q > 1 ? { sv: `${q} st ${s.effect.label}`, en: `${q} × ${s.effect.label}` } : { sv: s.effect.label, en: s.effect.label };
        // Of that article for this delivery point: on pallets against picked, "2 av 3".
        const of = n ? { sv: `: ${n.loaded} av ${n.picked}`, en: `: ${n.loaded} of ${n.picked}` } : { sv: '', en: '' };
        return {
          state: { ...state, pallet: p, loading },
          feedback: ok(
            `${what.sv} ${q > 1 ? 'lagda' : 'lagd'} på pallen${of.sv} (${plural(count, 'rad', 'rader')} på pallen).`,
            `${what.en} put on the pallet${of.en} (${plural(count, 'line', 'lines')} on the pallet).`,
          ),
          undo: added.length
            ? {
                effect: { kind: 'palletRemove', palletId: p.id, itemId: added[0]!, ...(added.length > 1 ? { itemIds: added } : {}) },
                what: { sv: `${what.sv} av pall ${p.sscc}`, en: `${what.en} off pallet ${p.sscc}` },
              }
            : null,
        };
      }
      case 'palletRemove':
      case 'pallet':
        return { state: state.pallet?.id === s.value.id ? { ...state, pallet: s.value } : state };
      case 'closePallet': {
        const { pallet: p, loads, loading, labelZpl, printed } = s.value;
        return {
          state: { ...state, pallet: p, loads, loading, label: labelZpl, closing: false },
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
    state.closing && isOpen(state)
      ? {
          sv: `Det finns varor kvar att lasta till ${state.pallet!.deliveryPoint}. Skanna BEKRÄFTA för att stänga pallen ändå, eller lasta dem.`,
          en: `There are goods left to load for ${state.pallet!.deliveryPoint}. Scan CONFIRM to close the pallet anyway, or load them.`,
        }
      : isOpen(state)
      ? { sv: `Pall ${state.pallet!.sscc}: skanna de plockade varorna. Skanna KLAR för att stänga pallen.`, en: `Pallet ${state.pallet!.sscc}: scan the picked goods. Scan DONE to close the pallet.` }
      : { sv: 'Välj leverans och öppna en ny pall (eller skanna BEKRÄFTA).', en: 'Choose the delivery and open a new pallet (or scan CONFIRM).' },
};
