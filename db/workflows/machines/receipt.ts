/**
 * Goods receipt (Inleverans): scan the purchase order, then every item. A rentable article comes
 * in one device at a time, each a new individual; an article tracked by lot needs the code that
 * carries its lot. `KLAR` or `AVBRYT` closes the order.
 */
import type { UserMessage } from '../../../vocabulary/errors';
import type { PurchaseOrderView } from '../receiving';
import { fail, ok, refused, undoMovements, warn, type Machine } from './machine';
import { STAFF_ROLES } from '../../../vocabulary/domain';

export interface ReceiptState {
  order: PurchaseOrderView | null;
  /** Units one scan of an article stands for (a code with a count in it says its own). */
  quantity: number;
  /** The individuals this order has brought in so far, newest first. */
  newIndividuals: string[];
}

export const MAX_QUANTITY = 10_000;

export const receipt: Machine<ReceiptState> = {
  version: 1,
  access: STAFF_ROLES,
  undoes: ['undo'],
  initial: () => ({ order: null, quantity: 1, newIndividuals: [] }),

  input(state, input) {
    switch (input.kind) {
      case 'quantity':
        return { state: { ...state, quantity: Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(input.quantity ?? 1) || 1)) } };
      case 'command':
        if (input.command === 'confirm') return { state };
        return { state: receipt.initial(), feedback: ok('Inleveransen är avslutad.', 'The receipt is closed.') };
      case 'scan': {
        const r = input.resolution;
        if (r.kind === 'order' && r.ref.startsWith('IO-')) return { state, effect: { kind: 'purchaseOrder', poNumber: r.ref } };
        if (!state.order) return { state, feedback: fail('Skanna inköpsordern först.', 'Scan the purchase order first.') };
        if (r.kind !== 'article') return { state, feedback: fail('Det där är ingen vara. Skanna varans streckkod.', 'That is not an item. Scan the barcode of the goods.') };
        const line = state.order.lines.find((l) => l.articleId === r.id);
        if (line && line.tracking !== 'none' && !r.details.lot)
          return {
            state,
            feedback: fail(
              `${line.articleNumber} följs per batch: skanna koden som har batchnummer.`,
              `${line.articleNumber} is tracked by lot: scan the code that carries the lot number.`,
            ),
          };
        return {
          state,
          effect: {
            kind: 'receive',
            poNumber: state.order.poNumber,
            articleId: r.id,
            quantity: r.details.quantity ?? (line?.rentable ? 1 : state.quantity),
            lot: r.details.lot ?? null,
            expiresOn: r.details.expiry ?? null,
            serialNumber: r.details.serial ?? null,
            udi: r.details.serial ? input.text : null,
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
      case 'purchaseOrder':
        if (s.effect.quiet) return { state: state.order?.poNumber === s.value.poNumber ? { ...state, order: s.value } : state };
        return { state: { ...state, order: s.value, newIndividuals: [] }, feedback: ok(`Order ${s.value.poNumber} öppnad.`, `Order ${s.value.poNumber} opened.`) };
      case 'receive': {
        const { order, individuals, over, movementIds } = s.value;
        const line = order.lines.find((l) => l.articleId === s.effect.articleId);
        const numbers = individuals.map((i) => i.individualNumber);
        const article = line?.articleNumber ?? '';
        const text: UserMessage = numbers.length
          ? {
              sv: `${article} mottagen som ny individ ${numbers.join(', ')}: ${line?.received ?? 0} av ${line?.ordered ?? 0}. Etikett köad.`,
              en: `${article} received as new individual ${numbers.join(', ')}: ${line?.received ?? 0} of ${line?.ordered ?? 0}. Label queued.`,
            }
          : { sv: `${article} mottagen: ${line?.received ?? 0} av ${line?.ordered ?? 0}.`, en: `${article} received: ${line?.received ?? 0} of ${line?.ordered ?? 0}.` };
        const next = { ...state, order, newIndividuals: [...numbers, ...state.newIndividuals].slice(0, 200) };
        const feedback =
          over && line
            ? warn(
                `${text.sv} Överleverans: ${line.received} mottagna men ${line.ordered} beställda.`,
                `${text.en} Over-delivery: ${line.received} received but ${line.ordered} ordered.`,
              )
            : { kind: 'ok' as const, message: text };
        return { state: next, feedback, undo: undoMovements(movementIds) };
      }
      default:
        return { state };
    }
  },

  // An undone receipt's new individuals are no longer new: they leave the list (the order's lines are read again by `refresh`).
  undone: (state, s) => (s.kind === 'undo' && s.value.gone.length ? { ...state, newIndividuals: state.newIndividuals.filter((n) => !s.value.gone.includes(n)) } : state),

  refresh: (state) => (state.order ? { kind: 'purchaseOrder', poNumber: state.order.poNumber, quiet: true } : null),

  prompt: (state) =>
    state.order
      ? { sv: `Order ${state.order.poNumber}: skanna varje vara. Skanna KLAR när du är färdig.`, en: `Order ${state.order.poNumber}: scan every item. Scan DONE when you are finished.` }
      : { sv: 'Skanna inköpsordern (IO-…) på följesedeln.', en: 'Scan the purchase order (IO-…) on the delivery note.' },
};
