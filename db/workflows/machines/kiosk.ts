/**
 * The unmanned depot's kiosk (Närförråd), after the badge: scan what you take (or put back), scan
 * the order or type the cost centre, scan KLAR. Nothing is posted until then: the basket is the
 * session's, so a reload of the kiosk's window, or its serial scanner with no screen, keeps it.
 * `CMD-UNDO` takes the last line off the basket. What may be taken or put back here is the core's
 * rule (db/workflows/kiosk.ts), checked as the basket is registered.
 */
import { KIOSK_LINE_QUANTITY, KIOSK_LINES, ROLES } from '../../../vocabulary/domain';
import { fail, ok, warn, type Machine, type Step } from './machine';

export interface KioskLine {
  /** The article, or the individual: one line each. */
  key: string;
  articleId: string;
  individualId: string | null;
  label: string;
  quantity: number;
}

export interface KioskState {
  direction: 'take' | 'return';
  lines: KioskLine[];
  orderRef: string;
  /** Units registered by the last KLAR, until the next scan. */
  registered: number | null;
}


const initial = (): KioskState => ({ direction: 'take', lines: [], orderRef: '', registered: null });

function add(state: KioskState, line: Omit<KioskLine, 'quantity'>): Step<KioskState> {
  const found = state.lines.find((l) => l.key === line.key);
  if (found && line.individualId) return { state, feedback: warn(`${line.label} finns redan i listan.`, `${line.label} is already on the list.`) };
  if (found && found.quantity >= KIOSK_LINE_QUANTITY) return { state, feedback: fail('Det går inte att ta fler av den på en gång.', 'You cannot take more of it at once.') };
  if (!found && state.lines.length >= KIOSK_LINES) return { state, feedback: fail('Listan är full: tryck Klar och börja en ny.', 'The list is full: press Done and start a new one.') };
  const lines = found ? state.lines.map((l) => (l.key === line.key ? { ...l, quantity: l.quantity + 1 } : l)) : [...state.lines, { ...line, quantity: 1 }];
  return { state: { ...state, lines, registered: null }, feedback: ok(`${line.label} tillagd.`, `${line.label} added.`) };
}

export const kiosk: Machine<KioskState> = {
  version: 1,
  // Whoever's badge: the kiosk's own session decides who may use it (services/workflows.ts).
  access: ROLES,
  undoes: [],
  initial,

  input(state, input) {
    switch (input.kind) {
      case 'scan': {
        const r = input.resolution;
        if (r.kind === 'article') return add(state, { key: r.id, articleId: r.id, individualId: null, label: `${r.articleNumber} ${r.name}` });
        if (r.kind === 'individual') return add(state, { key: r.id, articleId: r.articleId, individualId: r.id, label: `${r.individualNumber} ${r.articleName}` });
        if (r.kind === 'order') return { state: { ...state, orderRef: r.ref, registered: null }, feedback: ok(`Order ${r.ref}.`, `Order ${r.ref}.`) };
        return { state, feedback: fail('Det kan inte användas här. Skanna en vara, en order eller KLAR.', 'That cannot be used here. Scan an item, an order or DONE.') };
      }
      case 'direction':
        return { state: { ...state, direction: input.direction } };
      case 'orderRef':
        return { state: { ...state, orderRef: input.ref } };
      case 'line': {
        const lines = state.lines.flatMap((l) => (l.key !== input.key ? [l] : input.quantity <= 0 ? [] : [{ ...l, quantity: l.individualId ? 1 : Math.min(input.quantity, KIOSK_LINE_QUANTITY) }]));
        return { state: { ...state, lines } };
      }
      case 'command': {
        if (input.command === 'cancel') return { state: initial(), feedback: warn('Avbrutet. Inget registrerades.', 'Cancelled. Nothing was registered.') };
        if (state.lines.length === 0) return { state, feedback: fail('Skanna det du tar först.', 'Scan what you take first.') };
        const orderRef = state.orderRef.trim();
        if (!orderRef) return { state, feedback: fail('Skanna ordern eller skriv kostnadsställe först.', 'Scan the order or enter the cost centre first.') };
        return {
          state,
          effect: { kind: 'kioskWithdraw', direction: state.direction, orderRef, lines: state.lines.map((l) => ({ articleId: l.articleId, individualId: l.individualId, quantity: l.quantity })) },
        };
      }
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) return { state, feedback: { kind: 'error', message: s.error.message } };
    if (s.kind !== 'kioskWithdraw') return { state };
    const units = state.lines.reduce((n, l) => n + l.quantity, 0);
    return { state: { ...initial(), registered: units }, feedback: ok(`Tack! ${units} registrerat.`, `Thank you! ${units} registered.`) };
  },

  takeBack(state) {
    if (state.lines.length === 0) return null;
    return { state: { ...state, lines: state.lines.slice(0, -1) }, feedback: ok('Sista raden borttagen.', 'The last line is removed.') };
  },

  refresh: () => null,

  // Which way (take or put back) is on the kiosk's screen, in big letters.
  prompt: () => ({ sv: 'Skanna varorna, ordern eller kostnadsstället, och KLAR.', en: 'Scan the items, the order or the cost centre, and DONE.' }),
};
