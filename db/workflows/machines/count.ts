/**
 * Counting (Inventering) by scanning: the count the worker has open, the location they are
 * counting, and what they have counted there. Scan a location to begin it (the one being counted
 * is finished first), then each individual and article there; a typed quantity stands for the next
 * article scan only. `CMD-CONFIRM` or `CMD-DONE` finishes the location; `CMD-UNDO` takes back the
 * last scan while the location is still being counted. Who may count which location (a recount by
 * another counter) is the core's rule (db/counts/counting.ts), not the machine's.
 */
import { STAFF_ROLES } from '../../../vocabulary/domain';
import type { CountAt } from '../../counts/counting';
import { fail, ok, refused, warn, type Machine, type Step } from './machine';

export interface CountState {
  count: { id: string; number: string } | null;
  /** The location being counted, with what is counted there so far. */
  at: CountAt | null;
  /** Units the next article scan stands for, when typed; else the code's own count, or one. */
  quantity: number | null;
  /** The location to begin once the one being counted is finished. */
  next: string | null;
}

const initial = (): CountState => ({ count: null, at: null, quantity: null, next: null });

const start = (state: CountState, locationId: string): Step<CountState> =>
  !state.count
    ? { state, feedback: fail('Öppna en inventering först.', 'Open a count first.') }
    : state.at && state.at.locationId !== locationId
      ? { state: { ...state, next: locationId }, effect: { kind: 'countFinish', countId: state.count.id, locationId: state.at.locationId } }
      : { state: { ...state, next: null }, effect: { kind: 'countStart', countId: state.count.id, locationId } };

const finished = (l: { code: string; state: string; recountReason: string | null }) =>
  l.recountReason === 'moved' && (l.state === 'open' || l.state === 'recount')
    ? warn(`Lager flyttades på ${l.code} medan den räknades: räkna den igen.`, `Stock moved at ${l.code} while it was counted: count it again.`)
    : l.state === 'recount'
      ? warn(`${l.code} har avvikelser: en annan räknare räknar om den.`, `${l.code} has variances: another counter will recount it.`)
      : ok(`${l.code} räknad.`, `${l.code} counted.`);

export const count: Machine<CountState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: ['countUndoScan'],
  initial,

  input(state, input) {
    switch (input.kind) {
      case 'count':
        if (state.count?.id === input.countId) return { state };
        // The count worked in so far stays until the other one is found.
        return { state, effect: { kind: 'countOpen', countId: input.countId } };
      case 'start':
        return start(state, input.locationId);
      case 'quantity':
        return { state: { ...state, quantity: input.quantity } };
      case 'command':
        if (input.command === 'cancel') return { state: { ...state, at: null, quantity: null, next: null }, feedback: warn('Avbrutet. Skanna en plats att räkna.', 'Cancelled. Scan a location to count.') };
        if (!state.count || !state.at) return { state, feedback: fail('Skanna platsen du räknar först.', 'Scan the location you are counting first.') };
        return { state: { ...state, next: null }, effect: { kind: 'countFinish', countId: state.count.id, locationId: state.at.locationId } };
      case 'scan': {
        const r = input.resolution;
        if (r.kind === 'location') return start(state, r.id);
        if (!state.count || !state.at) return { state, feedback: fail('Skanna platsen du räknar först.', 'Scan the location you are counting first.') };
        const where = { countId: state.count.id, locationId: state.at.locationId };
        if (r.kind === 'individual') return { state, effect: { kind: 'countIndividual', ...where, individualId: r.id } };
        if (r.kind === 'article')
          return { state, effect: { kind: 'countArticle', ...where, articleId: r.id, quantity: state.quantity ?? r.details.quantity ?? 1, lot: r.details.lot ?? null, expiry: r.details.expiry ?? null } };
        return { state, feedback: fail('Skanna en individ, en artikel eller nästa plats.', 'Scan an individual, an article or the next location.') };
      }
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) return { state: { ...state, next: null }, feedback: refused(s) };
    switch (s.kind) {
      case 'countOpen':
        return { state: { ...initial(), count: { id: s.value.id, number: s.value.number } } };
      case 'countAt':
        // Finished meanwhile (at another screen, or the count closed): nothing is being counted here now.
        return { state: { ...state, at: s.value.state === 'counting' || s.value.state === 'recounting' ? s.value : null } };
      case 'countStart': {
        const at = s.value;
        const recount = at.state === 'recounting';
        return {
          state: { ...state, at, quantity: null },
          feedback: recount ? ok(`Räknar om ${at.code}.`, `Recounting ${at.code}.`) : ok(`Räknar ${at.code}.`, `Counting ${at.code}.`),
        };
      }
      case 'countIndividual':
      case 'countArticle': {
        const { scan, at } = s.value;
        const what = scan.individualNumber ? scan.individualNumber : `${scan.quantity} × ${scan.articleName}`;
        return {
          state: { ...state, at, quantity: null },
          feedback: ok(`${what} räknad.`, `${what} counted.`),
          undo: {
            effect: { kind: 'countUndoScan', countId: at.countId, scanId: scan.id },
            what: {
              sv: `${scan.individualNumber ?? `${scan.quantity} st ${scan.articleName}`} räknas inte på ${at.code}`,
              en: `${scan.individualNumber ?? `${scan.quantity} × ${scan.articleName}`} not counted at ${at.code}`,
            },
          },
        };
      }
      case 'countFinish': {
        const after: CountState = { ...state, at: null, quantity: null, next: null };
        // The location's scans are now part of the count: they are no longer the counter's to take back.
        if (state.next && state.count) return { state: after, feedback: finished(s.value), forget: true, effect: { kind: 'countStart', countId: state.count.id, locationId: state.next } };
        return { state: after, feedback: finished(s.value), forget: true };
      }
      default:
        return { state };
    }
  },

  refresh: (state) => (state.count && state.at ? { kind: 'countAt', countId: state.count.id, locationId: state.at.locationId } : null),

  prompt: (state) =>
    !state.count
      ? { sv: 'Öppna en inventering.', en: 'Open a count.' }
      : state.at
        ? { sv: `Räkna ${state.at.code}: skanna allt som finns där. Skanna nästa plats eller Klar när du är färdig.`, en: `Counting ${state.at.code}: scan everything there. Scan the next location, or Done when finished.` }
        : { sv: 'Skanna en plats att räkna.', en: 'Scan a location to count.' },
};
