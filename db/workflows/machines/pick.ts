/**
 * Picking (Plock) by delivery route and day: scan the location, then the goods; or scan a device's
 * own label. Scanning an order's pick note (`KO-…`) opens its route and day. An article tracked one
 * by one is picked by the device's label only: its article barcode makes the station ask for the
 * device, proposing the ready one that has waited longest. One scan of an article picks one unit,
 * unless a quantity was typed first (for that scan only), and the worker hears how far the line is.
 */
import type { PickOrder, Proposal } from '../picking';
import type { UserMessage } from '../../../vocabulary/errors';
import { CLEARED, fail, ok, refused, undoMovements, warn, type Machine, type Place, type RouteDay } from './machine';
import { MAX_QUANTITY } from './receipt';
import { STAFF_ROLES } from '../../../vocabulary/domain';

export interface PickState {
  route: string | null;
  deliveryDay: string | null;
  /** The routes and days with orders, to choose from. */
  routes: RouteDay[];
  /** The orders of the chosen route and day, with what is picked of each line. */
  orders: PickOrder[];
  /** The location being picked from. */
  from: Place | null;
  /** Units the next scan of an article picks, when typed; one when null. Used once. */
  quantity: number | null;
}

/** How far a line is after a pick: "2 av 3". */
export function lineCount(orders: readonly PickOrder[], orderRef: string, articleId: string): { picked: number; ordered: number } | null {
  const lines = orders.find((o) => o.orderRef === orderRef)?.lines ?? [];
  const l = lines.find((x) => x.articleId === articleId) ?? lines.find((x) => x.equivalents.includes(articleId));
  return l ? { picked: l.picked, ordered: l.ordered } : null;
}

/** "3 st 123456" for more than one, else the label alone. */
const units = (quantity: number, label: string): UserMessage => (quantity > 1 ? { sv: `${quantity} st ${label}`, en: `${quantity} × ${label}` } : { sv: label, en: label });

const day = (ms: number) => new Date(ms).toLocaleDateString('sv-SE');

/** The proposal in words: which device, where, and why (it has waited longest; of an equivalent article, when that one has). */
export const proposedSv = (p: Proposal): string =>
  `Föreslagen: ${p.individualNumber} på ${p.locationCode}${p.substitute ? ` (likvärdig artikel ${p.articleNumber})` : ''}, färdig sedan ${day(p.readySince)} och har väntat längst.`;
export const proposedEn = (p: Proposal): string =>
  `Proposed: ${p.individualNumber} at ${p.locationCode}${p.substitute ? ` (equivalent article ${p.articleNumber})` : ''}, ready since ${day(p.readySince)}, waited longest.`;

export const pick: Machine<PickState> = {
  version: 2,
  access: STAFF_ROLES,
  undoes: ['undo'],
  initial: () => ({ route: null, deliveryDay: null, routes: [], orders: [], from: null, quantity: null }),

  input(state, input) {
    switch (input.kind) {
      case 'quantity':
        return { state: { ...state, quantity: input.quantity === null ? null : Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(input.quantity) || 1)) } };
      case 'route':
        return { state: { ...state, from: null }, effect: { kind: 'pickList', route: input.route, deliveryDay: input.deliveryDay } };
      case 'command':
        if (input.command === 'confirm') return { state };
        return { state: { ...state, from: null, quantity: null }, feedback: CLEARED };
      case 'scan': {
        const r = input.resolution;
        if (r.kind === 'order') return { state, effect: { kind: 'pickList', route: null, deliveryDay: null, orderRef: r.ref } };
        if (r.kind === 'location') return { state: { ...state, from: { id: r.id, code: r.code } }, feedback: ok(`Plockar från ${r.code}.`, `Picking from ${r.code}.`) };
        if (r.kind !== 'individual' && r.kind !== 'article') return { state, feedback: fail('Skanna platsen, sedan varan.', 'Scan the location, then the goods.') };
        const articleId = r.kind === 'individual' ? r.articleId : r.id;
        // Its own line first; else a rentable line an equivalent article stands in for.
        const open = state.orders.flatMap((o) => o.lines.filter((l) => l.picked < l.ordered).map((l) => ({ o, l })));
        const match = open.find(({ l }) => l.articleId === articleId) ?? (r.kind === 'individual' ? open.find(({ l }) => l.equivalents.includes(articleId)) : undefined);
        if (!match || !state.route || !state.deliveryDay)
          return { state, feedback: fail('Den varan behövs inte på någon order i listan. Lägg tillbaka den.', 'No order in the list needs that. Put it back.') };
        const { o, l } = match;
        if (r.kind === 'article' && l.rentable) {
          const p = l.proposal;
          return {
            state,
            feedback: p
              ? warn(`${l.articleNumber} följs per individ: skanna individens egen etikett. ${proposedSv(p)}`, `${l.articleNumber} is tracked one by one: scan the device's own label. ${proposedEn(p)}`)
              : warn(`${l.articleNumber} följs per individ: skanna individens egen etikett.`, `${l.articleNumber} is tracked one by one: scan the device's own label.`),
          };
        }
        if (r.kind === 'article' && !state.from) return { state, feedback: fail('Skanna platsen du plockar från först.', 'Scan the location you pick from first.') };
        // One scan, one unit: more only when typed first (or when the code itself says how many).
        const quantity = r.kind === 'individual' ? 1 : (r.details.quantity ?? state.quantity ?? 1);
        return {
          state: { ...state, quantity: null },
          effect: {
            kind: 'pick',
            orderRef: o.orderRef,
            articleId,
            individualId: r.kind === 'individual' ? r.id : null,
            fromLocationId: r.kind === 'individual' ? null : state.from!.id,
            quantity,
            lot: r.kind === 'article' ? (r.details.lot ?? null) : null,
            route: state.route,
            deliveryDay: state.deliveryDay,
            label: r.kind === 'individual' ? r.individualNumber : l.articleNumber,
            standsFor: articleId === l.articleId ? null : l.articleNumber,
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
      case 'pickList': {
        const v = s.value;
        const next = { ...state, route: v.route, deliveryDay: v.deliveryDay, routes: v.routes, orders: v.orders };
        if (s.effect.orderRef && v.route && v.deliveryDay)
          return {
            state: { ...next, from: null },
            feedback: ok(`Order ${s.effect.orderRef}: ${v.route}, leverans ${v.deliveryDay}.`, `Order ${s.effect.orderRef}: ${v.route}, delivery ${v.deliveryDay}.`),
          };
        return { state: next };
      }
      case 'pick': {
        const { orderRef, quantity } = s.effect;
        const next = { ...state, orders: s.value.orders };
        const proposed = s.value.notProposed;
        const what = units(quantity, s.effect.label);
        // The line as it is now: "2 av 3".
        const n = lineCount(s.value.orders, orderRef, s.effect.articleId);
        const to = { sv: `${quantity > 1 ? 'plockade' : 'plockad'} till ${orderRef}${n ? `: ${n.picked} av ${n.ordered}` : ''}`, en: `picked for ${orderRef}${n ? `: ${n.picked} of ${n.ordered}` : ''}` };
        return {
          state: next,
          feedback: proposed
            ? proposed.startsWith('batch ')
              ? warn(
                  `${what.sv} ${to.sv} — men ${proposed} går ut först och var föreslagen.`,
                  `${what.en} ${to.en} — but ${proposed.replace('batch', 'lot')} expires first and was proposed.`,
                )
              : warn(`${what.sv} ${to.sv} — men ${proposed} har väntat längst och var föreslagen.`, `${what.en} ${to.en} — but ${proposed} has waited longest and was proposed.`)
            : s.effect.standsFor
              ? ok(`${what.sv} ${to.sv}, likvärdig med ${s.effect.standsFor} och har väntat längst.`, `${what.en} ${to.en}, equivalent to ${s.effect.standsFor}, waited longest.`)
              : ok(`${what.sv} ${to.sv}.`, `${what.en} ${to.en}.`),
          undo: undoMovements(s.value.movementIds),
        };
      }
      default:
        return { state };
    }
  },

  refresh: (state) => ({ kind: 'pickList', route: state.route, deliveryDay: state.deliveryDay }),

  prompt: (state) =>
    state.from ? { sv: `Skanna varan på ${state.from.code}.`, en: `Scan the goods at ${state.from.code}.` } : { sv: 'Skanna platsen, sedan varan.', en: 'Scan the location, then the goods.' },
};
