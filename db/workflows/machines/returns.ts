/**
 * Return intake (Retur): scan the device back from a patient, check its components off, and
 * confirm (`BEKRÄFTA`, `KLAR`, or the same label again). The return date is today unless another
 * day is given; the device joins the cleaning queue.
 */
import { CLEARED, fail, ok, refused, undoMovements, type Machine } from './machine';
import { STAFF_ROLES } from '../../../vocabulary/domain';

export interface ReturnDevice {
  id: string;
  number: string;
  name: string;
}

export interface ReturnState {
  device: ReturnDevice | null;
  /** What should come with it (the article's component list). */
  components: { name: string; quantity: number }[];
  /** Each component ticked as there, or not. */
  present: Record<string, boolean>;
  /** The day it came back; today when null. */
  returnedOn: string | null;
  /** The device whose components are being read, while they are. */
  looking: ReturnDevice | null;
}

const SCAN_FIRST = fail('Skanna individen först.', 'Scan the individual first.');

function confirm(state: ReturnState) {
  if (!state.device) return { state, feedback: SCAN_FIRST };
  const missing = state.components.filter((c) => !state.present[c.name]).map((c) => c.name);
  return {
    state,
    effect: { kind: 'returnIndividual' as const, individualId: state.device.id, missing, ...(state.returnedOn ? { returnedOn: state.returnedOn } : {}) },
  };
}

export const returns: Machine<ReturnState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: ['undo'],
  initial: () => ({ device: null, components: [], present: {}, returnedOn: null, looking: null }),

  input(state, input) {
    switch (input.kind) {
      case 'component':
        if (!state.components.some((c) => c.name === input.name)) return { state };
        return { state: { ...state, present: { ...state.present, [input.name]: input.present } } };
      case 'returnedOn':
        return { state: { ...state, returnedOn: input.day } };
      case 'command':
        if (input.command === 'cancel') return { state: returns.initial(), feedback: CLEARED };
        return confirm(state);
      case 'scan': {
        const r = input.resolution;
        if (r.kind !== 'individual') return { state, feedback: fail('Skanna individmärkningen på hjälpmedlet.', 'Scan the individual label on the device.') };
        if (state.device?.id === r.id) return confirm(state);
        return { state: { ...state, looking: { id: r.id, number: r.individualNumber, name: r.articleName } }, effect: { kind: 'components', individualId: r.id } };
      }
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) return { state: { ...state, looking: null }, feedback: refused(s) };
    switch (s.kind) {
      case 'components': {
        const device = state.looking;
        if (!device || device.id !== s.effect.individualId) return { state };
        const parts = s.value;
        return {
          // Nothing is ticked beforehand: each component is checked off as it is seen, and what is not is recorded missing.
          state: { ...state, device, looking: null, components: parts, present: {} },
          feedback: parts.length
            ? ok('Bocka av varje komponent du ser och bekräfta. Det som inte är avbockat registreras som saknat.', 'Tick each component you see and confirm. What is not ticked is recorded as missing.')
            : ok(`${device.number}: inga komponenter att kontrollera. Bekräfta.`, `${device.number}: no components to check. Confirm.`),
        };
      }
      case 'returnIndividual': {
        const number = state.device?.number ?? '';
        const missing = s.effect.missing;
        const { orderRef, pickup } = s.value;
        // What came back from: the loan (its rental ends today) and the pick-up order it closes.
        const from = {
          sv: `${orderRef ? ` från order ${orderRef}` : ''}${pickup ? `, hämtorder ${pickup} klar` : ''}`,
          en: `${orderRef ? ` from order ${orderRef}` : ''}${pickup ? `, pick-up order ${pickup} done` : ''}`,
        };
        return {
          state: { ...state, device: null, components: [], present: {}, looking: null },
          feedback: missing.length
            ? ok(`${number} mottagen${from.sv}; saknas: ${missing.join(', ')}. Den står i kön till rengöring.`, `${number} taken in${from.en}; missing: ${missing.join(', ')}. It is in the cleaning queue.`)
            : ok(`${number} mottagen${from.sv}; den står i kön till rengöring.`, `${number} taken in${from.en}; it is in the cleaning queue.`),
          undo: undoMovements(s.value.movementIds),
        };
      }
      default:
        return { state };
    }
  },

  refresh: () => null,

  prompt: (state) =>
    state.device
      ? { sv: `Kontrollera komponenterna till ${state.device.number} och bekräfta (eller skanna den igen).`, en: `Check the components of ${state.device.number} and confirm (or scan it again).` }
      : { sv: 'Skanna den returnerade individen.', en: 'Scan the returned individual.' },
};
