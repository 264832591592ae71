/**
 * Taking in a pallet at a depot (Ta emot pall): scan its SSCC and everything on it comes in at
 * once; then each line that was not on the pallet is reported missing. A pallet received is
 * received: there is no undo, only the report of what was missing.
 */
import type { PalletView } from '../pallets';
import { fail, ok, refused, warn, type Machine } from './machine';
import { STAFF_ROLES } from '../../../vocabulary/domain';
import { plural } from '../../../vocabulary/language';

export interface PalletReceiptState {
  pallet: PalletView | null;
}

export const palletReceipt: Machine<PalletReceiptState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: [],
  initial: () => ({ pallet: null }),

  input(state, input) {
    switch (input.kind) {
      case 'command':
        if (input.command === 'confirm') return { state };
        // The pallet is received as it was scanned: done (or cancel) only clears the screen for the next one.
        if (input.command === 'done' && state.pallet)
          return { state: palletReceipt.initial(), feedback: ok(`Pall ${state.pallet.sscc} är klar. Skanna nästa pall.`, `Pallet ${state.pallet.sscc} is done. Scan the next pallet.`) };
        return { state: palletReceipt.initial(), feedback: ok('Avbrutet. Börja om med nästa skanning.', 'Cancelled. Start again with the next scan.') };
      case 'missing':
        if (!state.pallet?.items.some((i) => i.id === input.itemId)) return { state };
        return { state, effect: { kind: 'reportMissing', palletId: state.pallet.id, itemId: input.itemId } };
      case 'scan':
        if (input.resolution.kind !== 'pallet') return { state, feedback: fail('Skanna SSCC-koden på pallens etikett.', "Scan the SSCC on the pallet's label.") };
        return { state, effect: { kind: 'receivePallet', sscc: input.resolution.sscc } };
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) return { state, feedback: refused(s) };
    switch (s.kind) {
      case 'receivePallet': {
        const p = s.value.pallet;
        return {
          state: { pallet: p },
          feedback: ok(
            `Pall ${p.sscc} mottagen: ${plural(p.items.length, 'rad', 'rader')}. Kontrollera och rapportera det som saknas.`,
            `Pallet ${p.sscc} received: ${plural(p.items.length, 'line', 'lines')}. Check it and report what is missing.`,
          ),
        };
      }
      case 'reportMissing':
        return { state: { pallet: s.value.pallet }, feedback: warn('Raden är rapporterad som saknad.', 'The line is reported missing.') };
      case 'pallet':
        return { state: state.pallet?.id === s.value.id ? { pallet: s.value } : state };
      default:
        return { state };
    }
  },

  refresh: (state) => (state.pallet ? { kind: 'pallet', sscc: state.pallet.sscc } : null),

  prompt: (state) =>
    state.pallet
      ? { sv: 'Markera raderna som inte fanns på pallen. Skanna KLAR när du är färdig, eller nästa pall.', en: 'Mark the lines that were not on the pallet. Scan DONE when finished, or the next pallet.' }
      : { sv: 'Skanna pallens SSCC-etikett.', en: "Scan the pallet's SSCC label." },
};
