/**
 * A restocking run at a depot (Påfyllningsrunda): scan the refill pallet's SSCC, then a shelf,
 * then what goes on it (one scan, one unit, unless the code says a count; an individual is one).
 * `KLAR` compares everything with the manifest and records what was short.
 */
import type { RestockReport } from '../restock';
import { CLEARED, fail, ok, refused, undoMovements, warn, type Machine, type Place } from './machine';
import { STAFF_ROLES } from '../../../vocabulary/domain';

export interface RestockState {
  report: RestockReport | null;
  shelf: Place | null;
}

const SCAN_PALLET = fail('Skanna påfyllningspallens SSCC-etikett.', 'Scan the refill pallet’s SSCC label.');

export const restock: Machine<RestockState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: ['undo'],
  initial: () => ({ report: null, shelf: null }),

  input(state, input) {
    const open = state.report && state.report.pallet.state !== 'received' ? state.report : null;
    switch (input.kind) {
      case 'command':
        if (input.command === 'cancel') return { state: restock.initial(), feedback: CLEARED };
        if (!open) return { state, feedback: SCAN_PALLET };
        return { state, effect: { kind: 'restockFinish', sscc: open.pallet.sscc } };
      case 'scan': {
        const r = input.resolution;
        if (r.kind === 'pallet') return { state, effect: { kind: 'restockReport', sscc: r.sscc, start: true } };
        if (!open) return { state, feedback: SCAN_PALLET };
        if (r.kind === 'location') return { state: { ...state, shelf: { id: r.id, code: r.code } }, feedback: ok(`Hylla ${r.code}.`, `Shelf ${r.code}.`) };
        if (!state.shelf) return { state, feedback: fail('Skanna hyllan du ställer varorna på.', 'Scan the shelf you put the goods on.') };
        if (r.kind !== 'article' && r.kind !== 'individual') return { state, feedback: fail('Skanna en vara från pallen, eller en annan hylla.', 'Scan an item from the pallet, or another shelf.') };
        return {
          state,
          effect: {
            kind: 'restockScan',
            sscc: open.pallet.sscc,
            locationId: state.shelf.id,
            articleId: r.kind === 'article' ? r.id : r.articleId,
            individualId: r.kind === 'individual' ? r.id : null,
            lot: r.kind === 'article' ? (r.details.lot ?? null) : null,
            quantity: r.kind === 'article' ? (r.details.quantity ?? 1) : 1,
            label: r.kind === 'article' ? r.articleNumber : r.individualNumber,
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
      case 'restockReport':
        if (!s.effect.start) return { state: state.report?.pallet.sscc === s.value.pallet.sscc ? { ...state, report: s.value } : state };
        return { state: { report: s.value, shelf: null }, feedback: ok(`Pall ${s.effect.sscc}: skanna en hylla.`, `Pallet ${s.effect.sscc}: scan a shelf.`) };
      case 'restockScan': {
        const code = state.shelf?.code ?? '';
        const { articleId, individualId, quantity, label } = s.effect;
        const what = quantity > 1 ? { sv: `${quantity} st ${label}`, en: `${quantity} × ${label}` } : { sv: label, en: label };
        // The manifest line as it is now: "2 av 3".
        const line = s.value.report.lines.find((l) => l.articleId === articleId && l.individualId === individualId);
        const of = line ? { sv: `: ${line.received} av ${line.expected}`, en: `: ${line.received} of ${line.expected}` } : { sv: '', en: '' };
        return {
          state: { ...state, report: s.value.report },
          feedback: ok(`${what.sv} på ${code}${of.sv}.`, `${what.en} on ${code}${of.en}.`),
          undo: undoMovements(s.value.movementIds),
        };
      }
      case 'restockFinish': {
        const sscc = s.effect.sscc;
        return {
          state: { report: s.value, shelf: null },
          feedback: s.value.complete
            ? ok(`Pall ${sscc} är mottagen: allt stämmer.`, `Pallet ${sscc} received: everything matches.`)
            : warn(`Pall ${sscc} är mottagen med avvikelser. De syns här och i Boden.`, `Pallet ${sscc} received with differences. They show here and in Boden.`),
        };
      }
      default:
        return { state };
    }
  },

  refresh: (state) => (state.report ? { kind: 'restockReport', sscc: state.report.pallet.sscc } : null),

  prompt(state) {
    const open = state.report && state.report.pallet.state !== 'received';
    if (!open) return { sv: 'Skanna påfyllningspallens SSCC-etikett.', en: 'Scan the refill pallet’s SSCC label.' };
    if (!state.shelf) return { sv: 'Skanna hyllan du ställer varorna på.', en: 'Scan the shelf you put the goods on.' };
    return { sv: `Skanna varorna du ställer på ${state.shelf.code}. Skanna KLAR när pallen är tom.`, en: `Scan the goods you put on ${state.shelf.code}. Scan DONE when the pallet is empty.` };
  },
};
