/**
 * Putaway (Inlagring) and stock moves (Lagerflytt), one machine with two faces.
 *
 * Putaway: scan the item; the station suggests where it goes; scan that location to put it there.
 * Another location asks for `BEKRÄFTA` first, once the core has checked it is at this site (a
 * location at another site is refused at that first scan, and nothing waits for confirmation).
 * Goods without a location of their own come from goods in.
 *
 * Stock move: scan an individual, or a location and then an article on it, then where it goes.
 */
import type { Suggestion } from '../putaway';
import { CLEARED, fail, ok, refused, undoMovements, warn, type Effect, type Machine, type Place } from './machine';
import { MAX_QUANTITY } from './receipt';
import { STAFF_ROLES } from '../../../vocabulary/domain';

export interface PutawayItem {
  articleId: string;
  individualId: string | null;
  /** How the worker knows it: the individual's or the article's number. */
  label: string;
  lot: string | null;
}

export interface PutawayState {
  item: PutawayItem | null;
  /** Where the goods are (a stock move scans it first). */
  from: Place | null;
  suggestion: Suggestion | null;
  /** A location other than the suggested one, waiting for `BEKRÄFTA`. */
  pending: Place | null;
  /** Units of an article (an individual is always one). */
  quantity: number;
}


function placeIt(state: PutawayState, to: Place, move: boolean): Effect | null {
  const item = state.item;
  if (!item) return null;
  const input = {
    articleId: item.articleId,
    individualId: item.individualId,
    lot: item.lot,
    quantity: item.individualId ? 1 : state.quantity,
    fromLocationId: state.from?.id ?? null,
    toLocationId: to.id,
    toCode: to.code,
  };
  return move ? { kind: 'move', ...input } : { kind: 'putAway', ...input };
}

function placing(move: boolean): Machine<PutawayState> {
  const initial = (): PutawayState => ({ item: null, from: null, suggestion: null, pending: null, quantity: 1 });
  const self: Machine<PutawayState> = {
    version: 1,
    access: STAFF_ROLES,
    undoes: ['undo'],
    initial,

    input(state, input) {
      switch (input.kind) {
        case 'quantity':
          return { state: { ...state, quantity: Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(input.quantity ?? 1) || 1)) } };
        case 'command':
          if (input.command === 'confirm') {
            // Only a location waiting for confirmation is confirmed; otherwise the worker hears there is nothing to confirm.
            if (!state.pending || !state.item)
              return { state, feedback: fail('Inget väntar på bekräftelse. Skanna varan, sedan platsen.', 'Nothing is waiting for confirmation. Scan the goods, then the location.') };
            return { state, effect: placeIt(state, state.pending, move) };
          }
          return { state: initial(), feedback: CLEARED };
        case 'scan': {
          const r = input.resolution;
          if (r.kind === 'individual') {
            const item = { articleId: r.articleId, individualId: r.id, label: r.individualNumber, lot: null };
            const next = { ...state, item, pending: null, suggestion: null };
            if (move) return { state: next, feedback: ok(`Skanna platsen dit ${r.individualNumber} flyttas.`, `Scan the location ${r.individualNumber} moves to.`) };
            return { state: next, effect: { kind: 'suggest', articleId: r.articleId } };
          }
          if (r.kind === 'article') {
            if (move && !state.from) return { state, feedback: fail('Skanna platsen du flyttar från först.', 'Scan the location you move from first.') };
            const item = { articleId: r.id, individualId: null, label: r.articleNumber, lot: r.details.lot ?? null };
            const next = { ...state, item, pending: null, suggestion: null, quantity: r.details.quantity ?? state.quantity };
            if (move) return { state: next, feedback: ok(`Skanna platsen dit ${r.articleNumber} flyttas.`, `Scan the location ${r.articleNumber} moves to.`) };
            return { state: next, effect: { kind: 'suggest', articleId: r.id } };
          }
          if (r.kind === 'location') {
            const at = { id: r.id, code: r.code };
            if (!state.item) {
              // Where goods are moved from: the core checks it is at this site before anything is scanned from it.
              if (move) return { state: { ...state, from: null }, effect: { kind: 'place', locationId: r.id, code: r.code } };
              return { state, feedback: fail('Skanna varan först, sedan platsen.', 'Scan the goods first, then the location.') };
            }
            // Another location than the suggested one: the core checks it may take goods here before the worker is asked to confirm it.
            if (!move && state.suggestion && state.suggestion.locationId !== r.id) return { state: { ...state, pending: null }, effect: { kind: 'place', locationId: r.id, code: r.code } };
            return { state: { ...state, pending: null }, effect: placeIt(state, at, move) };
          }
          return { state, feedback: fail('Skanna en vara eller en plats.', 'Scan goods or a location.') };
        }
        default:
          return { state };
      }
    },

    settle(state, s) {
      // Refused: nothing waits for confirmation.
      if (!s.ok) return { state: { ...state, pending: null }, feedback: refused(s) };
      switch (s.kind) {
        case 'place': {
          if (move && !state.item) return { state: { ...state, from: s.value }, feedback: ok(`Från ${s.value.code}. Skanna varan.`, `From ${s.value.code}. Scan the goods.`) };
          if (!state.item || !state.suggestion) return { state };
          const sug = state.suggestion.code;
          const code = s.value.code;
          return {
            state: { ...state, pending: s.value },
            feedback: warn(
              `Föreslagen plats är ${sug}. Skanna ${sug}, eller skanna BEKRÄFTA för att lägga på ${code}.`,
              `The suggested location is ${sug}. Scan ${sug}, or scan CONFIRM to put it on ${code}.`,
            ),
          };
        }
        case 'suggest': {
          if (!state.item || state.item.articleId !== s.effect.articleId) return { state };
          const label = state.item.label;
          return {
            state: { ...state, suggestion: s.value },
            feedback: s.value
              ? ok(`${label}: lägg på ${s.value.code}.`, `${label}: put it on ${s.value.code}.`)
              : ok(`${label}: ingen ledig plats att föreslå. Skanna en plats.`, `${label}: no free location to suggest. Scan a location.`),
          };
        }
        case 'putAway':
        case 'move': {
          const label = state.item?.label ?? '';
          const to = s.effect.toCode;
          return {
            state: { ...initial(), quantity: state.quantity },
            feedback: move ? ok(`${label} flyttad till ${to}.`, `${label} moved to ${to}.`) : ok(`${label} ligger nu på ${to}.`, `${label} is now on ${to}.`),
            undo: undoMovements(s.value.movementIds),
          };
        }
        default:
          return { state };
      }
    },

    refresh: () => null,

    prompt(state) {
      if (!state.item) {
        if (!move) return { sv: 'Skanna varan som ska läggas in.', en: 'Scan the goods to put away.' };
        return state.from
          ? { sv: `Skanna varan på ${state.from.code}.`, en: `Scan the goods at ${state.from.code}.` }
          : { sv: 'Skanna en individ, eller platsen du flyttar från.', en: 'Scan an individual, or the location you move from.' };
      }
      if (state.pending)
        return { sv: `Skanna BEKRÄFTA för att lägga på ${state.pending.code}, eller skanna föreslagen plats.`, en: `Scan CONFIRM to put it on ${state.pending.code}, or scan the suggested location.` };
      return { sv: `Skanna platsen där ${state.item.label} läggs.`, en: `Scan the location where ${state.item.label} goes.` };
    },
  };
  return self;
}

export const putaway = placing(false);
export const move = placing(true);
