/**
 * The way of one returned individual through reconditioning, as a pure state machine:
 *
 *   returned → awaiting_cleaning → cleaned → (inspection passed) → inspected → ready
 *                                          ↘ (inspection failed) → needs_repair → in_repair → inspected
 *   needs_repair / in_repair → at_supplier (warranty claim) → back: cleaned (to be inspected again)
 *   any step before ready → scrapped
 *
 * Every action either follows the flow or is refused with a message that says what must happen first.
 */
import { DepotError, type UserMessage } from '../../vocabulary/errors';

export const SERVICE_STATES = ['returned', 'awaiting_cleaning', 'cleaned', 'inspected', 'needs_repair', 'in_repair', 'at_supplier', 'ready', 'scrapped'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export type ServiceAction =
  | { kind: 'send_to_cleaning' }
  | { kind: 'clean' }
  | { kind: 'inspect'; passed: boolean }
  | { kind: 'start_repair' }
  | { kind: 'finish_repair' }
  | { kind: 'send_to_supplier' }
  | { kind: 'back_from_supplier' }
  | { kind: 'release' }
  | { kind: 'scrap' };

/** Every action there is, in the order the workshop's screen offers them. */
export const SERVICE_ACTIONS: readonly ServiceAction[] = [
  { kind: 'send_to_cleaning' },
  { kind: 'clean' },
  { kind: 'inspect', passed: true },
  { kind: 'inspect', passed: false },
  { kind: 'start_repair' },
  { kind: 'finish_repair' },
  { kind: 'send_to_supplier' },
  { kind: 'back_from_supplier' },
  { kind: 'release' },
  { kind: 'scrap' },
];

const FINAL: readonly ServiceState[] = ['ready', 'scrapped'];

/** What the individual's next step is from each state, in the words a technician reads. */
const NEXT: Record<ServiceState, UserMessage> = {
  returned: { sv: 'Den ska först till disken (rengöringskön).', en: 'It goes to the washing queue first.' },
  awaiting_cleaning: { sv: 'Den ska rengöras först.', en: 'It must be cleaned first.' },
  cleaned: { sv: 'Den ska kontrolleras (inspektion) först.', en: 'It must be inspected first.' },
  inspected: { sv: 'Den är kontrollerad och ska friklassas (klar) eller kasseras.', en: 'It is inspected: release it as ready, or scrap it.' },
  needs_repair: { sv: 'Den ska repareras först (starta en reparation).', en: 'It must be repaired first (start a repair).' },
  in_repair: { sv: 'Reparationen ska avslutas först.', en: 'The repair must be finished first.' },
  at_supplier: { sv: 'Den är hos leverantören: ta emot den tillbaka först.', en: 'It is at the supplier: receive it back first.' },
  ready: { sv: 'Den är redan klar för utlåning.', en: 'It is already ready for loan.' },
  scrapped: { sv: 'Den är kasserad.', en: 'It is scrapped.' },
};

/** The state an action leads to, or null when the action does not apply from `state`. */
export function transition(state: ServiceState, action: ServiceAction): ServiceState | null {
  switch (action.kind) {
    case 'send_to_cleaning':
      return state === 'returned' ? 'awaiting_cleaning' : null;
    case 'clean':
      return state === 'awaiting_cleaning' ? 'cleaned' : null;
    case 'inspect':
      return state === 'cleaned' ? (action.passed ? 'inspected' : 'needs_repair') : null;
    case 'start_repair':
      return state === 'needs_repair' ? 'in_repair' : null;
    case 'finish_repair':
      return state === 'in_repair' ? 'inspected' : null;
    case 'send_to_supplier':
      return state === 'needs_repair' || state === 'in_repair' ? 'at_supplier' : null;
    case 'back_from_supplier':
      return state === 'at_supplier' ? 'cleaned' : null;
    case 'release':
      return state === 'inspected' ? 'ready' : null;
    case 'scrap':
      return FINAL.includes(state) ? null : 'scrapped';
  }
}

/** Applies an action or refuses it, saying what must happen first. */
export function step(state: ServiceState, action: ServiceAction, individualNumber: string): ServiceState {
  const next = transition(state, action);
  if (next === null) {
    const why = NEXT[state];
    throw new DepotError('service.out_of_order', {
      sv: `${individualNumber} kan inte ${VERB[action.kind].sv} nu. ${why.sv}`,
      en: `${individualNumber} cannot be ${VERB[action.kind].en} now. ${why.en}`,
    });
  }
  return next;
}

const VERB: Record<ServiceAction['kind'], UserMessage> = {
  send_to_cleaning: { sv: 'skickas till disk', en: 'sent to washing' },
  clean: { sv: 'rengöras', en: 'cleaned' },
  inspect: { sv: 'kontrolleras', en: 'inspected' },
  start_repair: { sv: 'repareras', en: 'repaired' },
  finish_repair: { sv: 'klarmarkeras från reparation', en: 'finished from repair' },
  send_to_supplier: { sv: 'skickas till leverantören', en: 'sent to the supplier' },
  back_from_supplier: { sv: 'tas emot från leverantören', en: 'received back from the supplier' },
  release: { sv: 'friklassas', en: 'released' },
  scrap: { sv: 'kasseras', en: 'scrapped' },
};
