/** Moving everything (Flytta allt): scan the location to empty, then where it all goes. */
import { fail, ok, refused, undoMovements, warn, type Machine, type Place } from './machine';
import { STAFF_ROLES } from '../../../vocabulary/domain';
import { plural } from '../../../vocabulary/language';

export interface MoveAllState {
  from: Place | null;
  /** The target, while everything moves there. */
  to: Place | null;
}

export const moveAll: Machine<MoveAllState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: ['undo'],
  initial: () => ({ from: null, to: null }),

  input(state, input) {
    switch (input.kind) {
      case 'command':
        if (input.command === 'confirm') return { state };
        return { state: moveAll.initial(), feedback: warn('Avbrutet. Skanna platsen som ska tömmas.', 'Cancelled. Scan the location to empty.') };
      case 'scan': {
        const r = input.resolution;
        if (r.kind !== 'location') return { state, feedback: fail('Skanna en lagerplats.', 'Scan a storage location.') };
        if (!state.from || state.from.id === r.id)
          return { state: { from: { id: r.id, code: r.code }, to: null }, feedback: ok(`Från ${r.code}: skanna platsen det ska till.`, `From ${r.code}: scan where it goes.`) };
        return { state: { ...state, to: { id: r.id, code: r.code } }, effect: { kind: 'moveEverything', fromLocationId: state.from.id, toLocationId: r.id } };
      }
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) return { state: { ...state, to: null }, feedback: refused(s) };
    if (s.kind !== 'moveEverything') return { state };
    const from = state.from?.code ?? '';
    const to = state.to?.code ?? '';
    const count = s.value.movementIds.length;
    return {
      state: moveAll.initial(),
      feedback: ok(`Allt på ${from} är flyttat till ${to} (${plural(count, 'rörelse', 'rörelser')}).`, `Everything at ${from} has moved to ${to} (${plural(count, 'movement', 'movements')}).`),
      undo: undoMovements(s.value.movementIds),
    };
  },

  refresh: () => null,

  prompt: (state) =>
    state.from
      ? { sv: `Skanna platsen allt på ${state.from.code} ska flyttas till.`, en: `Scan the location everything at ${state.from.code} goes to.` }
      : { sv: 'Skanna platsen som ska tömmas.', en: 'Scan the location to empty.' },
};
