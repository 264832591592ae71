/**
 * The workflow machines, pure: any sequence of scans, commands and screen inputs, with the core
 * agreeing to or refusing each effect at random. No sequence throws; a session always survives a
 * trip through JSON (it is kept in SQLite); undo always asks to take back exactly what the last
 * step still standing posted; cancel (and done, once what it asks for has gone through) always
 * brings the machine back to its start; a refused effect never leaves anything to undo.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Resolution } from '../../db/stock/resolve';
import type { PalletView } from '../../db/workflows/pallets';
import type { PickOrder } from '../../db/workflows/picking';
import type { RestockReport } from '../../db/workflows/restock';
import type { PurchaseOrderView } from '../../db/workflows/receiving';
import type { Effect, Machine, Settled } from '../../db/workflows/machines/machine';
import { sessionInput, sessionSettle, startSession, UNDO_DEPTH, type Session, type SessionInput } from '../../db/workflows/machines/session';
import { MACHINES, type WorkflowName } from '../../db/workflows/machines/table';

const ARTICLES = [
  { id: 'a-bed', articleNumber: 'A100001', name: 'Säng', rentable: true, tracking: 'none' },
  { id: 'a-pad', articleNumber: 'A100002', name: 'Dyna', rentable: false, tracking: 'none' },
  { id: 'a-gel', articleNumber: 'A100003', name: 'Gel', rentable: false, tracking: 'lot' },
];
const LOCATIONS = [
  { kind: 'location' as const, id: 'l-1', code: 'BOD-H-01-01-1', name: 'Hylla 1', siteName: 'Boden' },
  { kind: 'location' as const, id: 'l-2', code: 'BOD-H-01-01-2', name: 'Hylla 2', siteName: 'Boden' },
  { kind: 'location' as const, id: 'l-x', code: 'KIR-H-01-01-1', name: 'Hylla', siteName: 'Kiruna' },
];

const resolution: fc.Arbitrary<Resolution> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom<Resolution>({ kind: 'order', ref: 'IO-0000001' }, { kind: 'order', ref: 'IO-0000002' }, { kind: 'order', ref: 'KO-0000001' }) },
  { weight: 4, arbitrary: fc.record({
    a: fc.constantFrom(...ARTICLES),
    lot: fc.option(fc.constantFrom('L1', 'L2'), { nil: undefined }),
    quantity: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    serial: fc.option(fc.constantFrom('SN1', 'SN2'), { nil: undefined }),
  }).map(({ a, lot, quantity, serial }): Resolution => ({
    kind: 'article',
    id: a.id,
    articleNumber: a.articleNumber,
    name: a.name,
    rentable: a.rentable,
    details: { ...(lot ? { lot } : {}), ...(quantity ? { quantity } : {}), ...(serial ? { serial } : {}) },
  })) },
  { weight: 3, arbitrary: fc.constantFrom<Resolution>(
    { kind: 'individual', id: 'i-1', individualNumber: 'I0100001', articleId: 'a-bed', articleName: 'Säng', status: 'in_stock', locationCode: 'BOD-H-01-01-1' },
    { kind: 'individual', id: 'i-2', individualNumber: 'I0100002', articleId: 'a-bed', articleName: 'Säng', status: 'on_loan', locationCode: null },
  ) },
  { weight: 3, arbitrary: fc.constantFrom<Resolution>(...LOCATIONS) },
  { weight: 1, arbitrary: fc.constantFrom<Resolution>(
    { kind: 'pallet', sscc: '373500000000000018' },
    { kind: 'user', id: 'u-1', name: 'Lena', role: 'warehouse_worker' },
    { kind: 'unknown', text: 'XX', message: { sv: 'Okänd.', en: 'Unknown.' } },
    { kind: 'command', command: 'confirm' },
    { kind: 'command', command: 'cancel' },
    { kind: 'command', command: 'undo' },
    { kind: 'command', command: 'done' },
  ) },
);

const asScan = (r: Resolution): SessionInput => ({ kind: 'scan', text: 'X', resolution: r, error: null });
const IO: Resolution = { kind: 'order', ref: 'IO-0000001' };
const KO: Resolution = { kind: 'order', ref: 'KO-0000001' };
const PAD: Resolution = { kind: 'article', id: 'a-pad', articleNumber: 'A100002', name: 'Dyna', rentable: false, details: {} };
const BED: Resolution = { kind: 'individual', id: 'i-1', individualNumber: 'I0100001', articleId: 'a-bed', articleName: 'Säng', status: 'in_stock', locationCode: 'BOD-H-01-01-1' };
const LENT: Resolution = { kind: 'individual', id: 'i-2', individualNumber: 'I0100002', articleId: 'a-bed', articleName: 'Säng', status: 'on_loan', locationCode: null };
const PALLET: Resolution = { kind: 'pallet', sscc: '373500000000000018' };
const command = (c: string): SessionInput => ({ kind: 'command', command: c as 'confirm' });

/** What moves each workflow along, so that sequences often hold several steps to undo. */
/** The workshop's machine keeps its open wash batch through CANCEL: it has a property of its own (workflow-service.test.ts). */
type Tested = Exclude<WorkflowName, 'service'>;
const FOCUS: Record<Tested, SessionInput[]> = {
  receipt: [asScan(IO), asScan(PAD), asScan(PAD)],
  putaway: [asScan(BED), asScan(PAD), asScan(LOCATIONS[0]!), asScan(LOCATIONS[1]!), command('confirm')],
  move: [asScan(BED), asScan(LOCATIONS[0]!), asScan(LOCATIONS[1]!), asScan(PAD)],
  pick: [asScan(KO), asScan(BED), asScan(LOCATIONS[0]!), asScan(PAD)],
  return: [asScan(LENT), command('confirm'), command('done')],
  'move-all': [asScan(LOCATIONS[0]!), asScan(LOCATIONS[1]!)],
  'pallet-receipt': [asScan(PALLET), { kind: 'missing', itemId: 'pi-1' }, { kind: 'missing', itemId: 'pi-9' }],
  restock: [asScan(PALLET), asScan(LOCATIONS[0]!), asScan(PAD), asScan(BED), command('done')],
  pallet: [command('confirm'), asScan(PAD), asScan(BED), asScan(PAD), command('done'), { kind: 'deliveryPoint', deliveryPoint: 'Kalix', municipality: 'Kalix' }],
  kiosk: [asScan(PAD), asScan(BED), asScan(PAD), asScan(KO), { kind: 'direction', direction: 'return' }, { kind: 'line', key: 'a-pad', quantity: 5 }, { kind: 'orderRef', ref: 'KST-1' }, command('done')],
  count: [{ kind: 'start', locationId: 'l-1' }, asScan(LOCATIONS[0]!), asScan(PAD), asScan(BED), asScan(PAD), asScan(LOCATIONS[1]!), command('confirm'), { kind: 'count', countId: 'c-2' }],
};

/** What a screen sends first, where a workflow works on something it names (a count): the start is after it. */
const OPENING: Partial<Record<WorkflowName, SessionInput>> = { count: { kind: 'count', countId: 'c-1' } };

const inputFor = (name: Tested): fc.Arbitrary<SessionInput> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...FOCUS[name]) },
    { weight: 4, arbitrary: resolution.map(asScan) },
    { weight: 1, arbitrary: fc.constant<SessionInput>({ kind: 'scan', text: '\u0007', resolution: null, error: { code: 'scan.garbage', message: { sv: 'Oläsbart.', en: 'Unreadable.' } } }) },
    { weight: 3, arbitrary: fc.constantFrom('confirm', 'cancel', 'undo', 'done', 'undo', 'open-pick').map(command) },
    { weight: 1, arbitrary: fc.option(fc.integer({ min: -5, max: 200_000 }), { nil: null }).map((quantity): SessionInput => ({ kind: 'quantity', quantity })) },
    { weight: 1, arbitrary: fc.constantFrom<SessionInput>({ kind: 'route', route: 'Rutt 1', deliveryDay: '2030-01-07' }, { kind: 'route', route: 'Rutt 2', deliveryDay: '2030-01-08' }) },
    { weight: 1, arbitrary: fc.record({ name: fc.constantFrom('Madrass', 'Fjärrkontroll', 'Okänd del'), present: fc.boolean() }).map((c): SessionInput => ({ kind: 'component', ...c })) },
    { weight: 1, arbitrary: fc.constantFrom<SessionInput>({ kind: 'returnedOn', day: '2030-01-02' }, { kind: 'returnedOn', day: null }) },
    { weight: 1, arbitrary: fc.constantFrom<SessionInput>({ kind: 'count', countId: 'c-1' }, { kind: 'count', countId: 'c-2' }, { kind: 'start', locationId: 'l-2' }) },
    { weight: 1, arbitrary: fc.constantFrom<SessionInput>({ kind: 'direction', direction: 'take' }, { kind: 'orderRef', ref: '' }, { kind: 'line', key: 'i-1', quantity: 3 }, { kind: 'line', key: 'a-pad', quantity: 0 }) },
  );

/** Each step: an input, and whether the core agrees to each effect that follows from it (mostly it does). */
const agrees = fc.integer({ min: 0, max: 9 }).map((n) => n < 8);
const stepsFor = (name: Tested) => fc.array(fc.record({ input: inputFor(name), agree: fc.array(agrees, { minLength: 4, maxLength: 4 }) }), { maxLength: 40 });

/** The steps that can be taken back (a pallet received is received: what was not on it is reported, not undone). */
const UNDOABLE = new Set(['receive', 'putAway', 'move', 'pick', 'returnIndividual', 'moveEverything', 'restockScan']);
/** Steps whose undo is not a reversal of movements: what they leave on the stack. */
const countScanUndone = (s: Settled): Effect => ({ kind: 'countUndoScan', countId: (s.effect as { countId: string }).countId, scanId: (s as { value: { scan: { id: string } } }).value.scan.id });
const UNDONE_BY: Partial<Record<string, (s: Settled) => Effect>> = { countIndividual: countScanUndone, countArticle: countScanUndone };
/** Steps after which nothing before can be taken back: a pallet closed and sent, a location's count finished. */
const FORGETS = new Set(['closePallet', 'countFinish']);

function countAt(countId: string, locationId: string, state: 'counting' | 'recounting' | 'counted' | 'recount' = 'counting', scans = 0) {
  const code = LOCATIONS.find((l) => l.id === locationId)?.code ?? 'BOD-X';
  return {
    countId,
    locationId,
    code,
    state,
    round: 1,
    assignee: null,
    countedBy: null,
    recountReason: null,
    scans: Array.from({ length: scans }, (_, i) => ({ id: `cs-${i}`, articleId: 'a-pad', articleName: 'Dyna', lot: '', individualId: null, individualNumber: null, quantity: 1 })),
    expected: null,
  };
}

function palletView(sscc: string, state: PalletView['state'] = 'closed'): PalletView {
  return {
    id: `p-${sscc}`,
    sscc,
    route: 'Rutt 1',
    deliveryDay: '2030-01-07',
    deliveredAt: null,
    deliveredBy: null,
    deliveryPoint: 'Kiruna förråd',
    municipality: 'Kiruna',
    toSiteId: 's-kir',
    state,
    items: [{ id: 'pi-1', articleId: 'a-pad', articleNumber: 'A100002', name: 'Dyna', individualNumber: null, quantity: 2, orderRef: null, receivedState: state === 'received' ? 'received' : 'pending' }],
  };
}

const report = (sscc: string, received: number, state: PalletView['state'] = 'closed'): RestockReport => ({
  pallet: palletView(sscc, state),
  lines: [{ articleId: 'a-pad', articleNumber: 'A100002', name: 'Dyna', individualId: null, individualNumber: null, expected: 2, received }],
  extra: [],
  complete: received === 2,
});

function order(poNumber: string, received = 0): PurchaseOrderView {
  return {
    id: `po-${poNumber}`,
    poNumber,
    supplier: 'Leverantör',
    expectedOn: '2030-01-01',
    lines: ARTICLES.map((a, i) => ({ lineNo: i + 1, articleId: a.id, articleNumber: a.articleNumber, name: a.name, rentable: a.rentable, tracking: a.tracking, ordered: 3, received })),
  };
}

function orders(route: string): PickOrder[] {
  return [
    {
      orderRef: 'KO-0000001',
      customerRef: 'KST-1',
      deliveryPoint: 'Kalix',
      municipality: 'Kalix',
      placedAt: 0,
      late: false,
      askedFor: '2030-01-07',
      lines: ARTICLES.map((a, i) => ({
        lineNo: i + 1,
        articleId: a.id,
        articleNumber: a.articleNumber,
        name: `${a.name} (${route})`,
        rentable: a.rentable,
        ordered: 2,
        picked: 0,
        equivalents: [],
        proposal: a.rentable
          ? { individualId: 'i-1', individualNumber: 'I0100001', locationId: 'l-1', locationCode: 'BOD-H-01-01-1', articleId: a.id, articleNumber: a.articleNumber, readySince: 0, substitute: false }
          : null,
        fromLocation: a.rentable ? null : { locationId: 'l-1', code: 'BOD-H-01-01-1', quantity: 9 },
      })),
    },
  ];
}

/** The core as the machines meet it: each effect agreed to with a plausible result, or refused. */
function core() {
  let n = 0;
  let building: PalletView = { ...palletView('373500000000000018', 'open'), items: [] };
  const fresh = () => `m-${++n}`;
  return (effect: Effect, agree: boolean): Settled => {
    if (!agree) return { kind: effect.kind, effect, ok: false, error: { code: 'test.refused', message: { sv: 'Nej.', en: 'No.' } } };
    const okWith = (value: unknown) => ({ kind: effect.kind, effect, ok: true, value }) as Settled;
    switch (effect.kind) {
      case 'purchaseOrder':
        return okWith(order(effect.poNumber));
      case 'receive':
        return okWith({ movementIds: [fresh()], individuals: effect.articleId === 'a-bed' ? [{ id: fresh(), individualNumber: 'I0900001' }] : [], over: n % 3 === 0, order: order(effect.poNumber, 1) });
      case 'suggest':
        return okWith(n++ % 2 ? null : { locationId: 'l-1', code: 'BOD-H-01-01-1', why: 'free' });
      case 'place':
        return okWith({ id: effect.locationId, code: effect.code });
      case 'pickList': {
        const route = effect.orderRef ? 'Rutt 1' : (effect.route ?? 'Rutt 1');
        return okWith({ route, deliveryDay: '2030-01-07', routes: [{ route: 'Rutt 1', deliveryDay: '2030-01-07', orders: 1 }], orders: orders(route) });
      }
      case 'pick':
        return okWith({ movementIds: [fresh()], notProposed: n % 2 ? 'I0100001' : null, orders: orders(effect.route) });
      case 'components':
        return okWith([{ name: 'Madrass', quantity: 1 }, { name: 'Fjärrkontroll', quantity: 1 }]);
      case 'putAway':
      case 'move':
      case 'returnIndividual':
        return okWith({ movementIds: [fresh()] });
      case 'moveEverything':
        return okWith({ movementIds: [fresh(), fresh()] });
      case 'undo':
        return okWith({ movementIds: effect.movementIds.map((id) => `undo-${id}`), said: n++ % 2 ? null : { sv: 'I0100001 tillbaka till BOD-H-01-01-1', en: 'I0100001 back to BOD-H-01-01-1' }, gone: [] });
      case 'pallet':
        return okWith(palletView(effect.sscc, 'received'));
      case 'receivePallet':
        return okWith({ pallet: palletView(effect.sscc, 'received'), movementIds: [fresh()] });
      case 'reportMissing':
        return okWith({ pallet: palletView('373500000000000018', 'received'), movementIds: [fresh()] });
      case 'restockReport':
        return okWith(report(effect.sscc, 0));
      case 'restockScan':
        return okWith({ movementIds: [fresh()], report: report(effect.sscc, 1) });
      case 'restockFinish':
        return okWith(report(effect.sscc, 1, 'received'));
      case 'palletRoute':
        return okWith({
          route: effect.route ?? 'Rutt 1',
          deliveryDay: effect.deliveryDay ?? '2030-01-07',
          routes: [{ route: 'Rutt 1', deliveryDay: '2030-01-07', orders: 1 }],
          points: [{ deliveryPoint: 'Kalix', municipality: 'Kalix' }],
          loads: [],
          pallet: effect.palletId ? { ...building, id: effect.palletId } : null,
          loading: [],
        });
      case 'openPallet':
        building = { ...palletView(`3735000000000${String(++n).padStart(5, '0')}`, 'open'), items: [] };
        return okWith(building);
      case 'palletAdd':
        building = { ...building, items: [...building.items, { id: fresh(), articleId: effect.articleId, articleNumber: 'A1', name: 'X', individualNumber: null, quantity: effect.quantity, orderRef: null, receivedState: 'pending' }] };
        return okWith({ ...building, count: n % 2 ? { loaded: 1, picked: 2 } : null, loading: [] });
      case 'palletRemove':
        building = { ...building, items: building.items.filter((i) => i.id !== effect.itemId) };
        return okWith(building);
      case 'closePallet':
        building = { ...building, state: 'closed' };
        return okWith({ pallet: building, movementIds: [fresh()], loads: [], loading: [], labelZpl: '^XA^XZ', printed: n % 2 === 0 });
      case 'countOpen':
        return okWith({ id: effect.countId, number: `INV-${effect.countId}` });
      case 'countAt':
        return okWith(countAt(effect.countId, effect.locationId, n++ % 4 === 0 ? 'counted' : 'counting'));
      case 'countStart':
        return okWith(countAt(effect.countId, effect.locationId, n++ % 3 === 0 ? 'recounting' : 'counting'));
      case 'countIndividual':
      case 'countArticle': {
        const id = fresh();
        return okWith({ scan: { id, articleId: 'a-pad', articleName: 'Dyna', lot: '', individualId: null, individualNumber: effect.kind === 'countIndividual' ? 'I0100001' : null, quantity: 1 }, at: countAt(effect.countId, effect.locationId, 'counting', 1) });
      }
      case 'countFinish': {
        const { scans: _s, expected: _e, ...l } = countAt(effect.countId, effect.locationId, n++ % 2 ? 'counted' : 'recount');
        return okWith(l);
      }
      case 'countUndoScan':
        return okWith({ undone: true });
      case 'kioskWithdraw':
        return okWith({ movementIds: effect.lines.map(() => fresh()) });
      case 'serviceJob':
      case 'serviceStep':
      case 'workOrder':
      case 'usePart':
      case 'returnPart':
      case 'washOpen':
      case 'washAdd':
      case 'washClose':
      case 'serviceViews':
        throw new Error(`the workshop's ${effect.kind} is answered in workflow-service.test.ts`);
    }
  };
}

type Step = { input: SessionInput; agree: boolean[] };

/**
 * Runs the steps through a session, checking after each what must always hold, with a model of
 * the undo stack kept by the test from the effects it agreed to.
 */
function run(name: WorkflowName, list: Step[]): void {
  const machine = MACHINES[name] as Machine<unknown>;
  const answer = core();
  let session: Session = startSession(machine);
  const opening = OPENING[name];
  if (opening) {
    let a = sessionInput(machine, session, opening);
    while (a.effect) a = sessionSettle(machine, a.session, answer(a.effect, true));
    session = a.session;
  }
  const startPrompt = machine.prompt(session.state);
  const model: Effect[] = [];
  for (const { input: inp, agree } of list) {
    const before = session;
    let a = sessionInput(machine, session, inp);
    const given = inp.kind === 'command' ? inp.command : inp.kind === 'scan' && inp.resolution?.kind === 'command' ? inp.resolution.command : null;
    if (given === 'undo') {
      // Undo asks for exactly the reversal of the last step still standing, or says there is nothing.
      const takesBack = machine.takeBack?.(session.state) ?? null;
      if (model.length === 0 && takesBack) {
        // Nothing posted to take back, but a step of the session's own (a line in the kiosk's basket).
        expect(a.effect).toBeNull();
        expect(a.session.state).toEqual(takesBack.state);
      } else if (model.length === 0) {
        expect(a.effect).toBeNull();
        expect(a.session.feedback?.kind).toBe('error');
      } else expect(a.effect).toEqual(model.at(-1));
    }
    let agreedAll = true;
    for (let i = 0; a.effect; i++) {
      expect(i).toBeLessThan(4);
      const effect = a.effect;
      const ok = agree[i] ?? true;
      agreedAll &&= ok;
      const settled = answer(effect, ok);
      const depth = a.session.undo.length;
      const wasOnPallet = new Set(((a.session.state as { pallet?: PalletView | null }).pallet?.items ?? []).map((i) => i.id));
      const undoing = a.session.pending?.by === 'undo';
      a = sessionSettle(machine, a.session, settled);
      if (undoing) {
        // Taken back, or refused by the core: either way the step leaves the stack.
        model.pop();
        expect(a.session.undo.length).toBe(depth - 1);
      } else if (FORGETS.has(effect.kind) && ok) {
        // A pallet closed and sent, a location's count finished: what came before can no longer be taken back.
        model.length = 0;
        expect(a.session.undo).toEqual([]);
      } else if (effect.kind === 'palletAdd' && ok) {
        const added = (settled as { value: PalletView }).value;
        model.push({ kind: 'palletRemove', palletId: added.id, itemId: added.items.find((i) => !wasOnPallet.has(i.id))!.id });
        if (model.length > UNDO_DEPTH) model.shift();
      } else if (UNDONE_BY[effect.kind] && ok) {
        model.push(UNDONE_BY[effect.kind]!(settled));
        if (model.length > UNDO_DEPTH) model.shift();
      } else if (UNDOABLE.has(effect.kind) && ok) {
        model.push({ kind: 'undo', movementIds: (settled as { value: { movementIds: string[] } }).value.movementIds });
        if (model.length > UNDO_DEPTH) model.shift();
      } else expect(a.session.undo.length).toBe(depth);
    }
    session = a.session;
    // The stack is the model's, step for step, and holds only what the machine says it undoes (a saved session holding more starts afresh).
    expect(session.undo.map((u) => u.effect)).toEqual(model);
    expect(session.undo.every((u) => machine.undoes.includes(u.effect.kind))).toBe(true);
    expect(session.pending).toBeNull();
    // Kept in SQLite as JSON: nothing is lost on the way.
    expect(JSON.parse(JSON.stringify(session))).toEqual(session);
    expect(session.seq).toBeGreaterThanOrEqual(before.seq);
    // Cancel is back at the start at once; done too, once what it asked for went through.
    if (given === 'cancel' || (given === 'done' && agreedAll)) expect(machine.prompt(session.state)).toEqual(startPrompt);
  }
}

describe('workflow machines', () => {
  for (const name of Object.keys(FOCUS) as Tested[]) {
    it(`${name}: no sequence of inputs throws; undo takes back the last step standing; cancel and done return to the start`, () => {
      fc.assert(fc.property(stepsFor(name), (list) => run(name, list)), { numRuns: 500 });
    });
  }

  it('receipt: an order, a rentable device, an article by lot, an over-delivery, undo, and done', () => {
    const m = MACHINES.receipt;
    let s = startSession(m);
    const scan = (r: Resolution, text = 'X'): SessionInput => ({ kind: 'scan', text, resolution: r, error: null });
    let a = sessionInput(m, s, scan({ kind: 'article', id: 'a-pad', articleNumber: 'A100002', name: 'Dyna', rentable: false, details: {} }));
    expect(a.session.feedback?.message.sv).toBe('Skanna inköpsordern först.');
    a = sessionInput(m, a.session, scan({ kind: 'order', ref: 'IO-0000001' }));
    expect(a.effect).toEqual({ kind: 'purchaseOrder', poNumber: 'IO-0000001' });
    a = sessionSettle(m, a.session, { kind: 'purchaseOrder', effect: { kind: 'purchaseOrder', poNumber: 'IO-0000001' }, ok: true, value: order('IO-0000001') });
    expect(m.prompt(a.session.state).sv).toContain('Order IO-0000001: skanna varje vara');
    // A lot-tracked article without its lot is refused before anything is asked of the core.
    a = sessionInput(m, a.session, scan({ kind: 'article', id: 'a-gel', articleNumber: 'A100003', name: 'Gel', rentable: false, details: {} }));
    expect(a.effect).toBeNull();
    expect(a.session.feedback?.message.sv).toContain('följs per batch');
    // The quantity typed goes with the next scan; a rentable article comes one at a time with its UDI.
    a = sessionInput(m, a.session, { kind: 'quantity', quantity: 4 });
    a = sessionInput(m, a.session, scan({ kind: 'article', id: 'a-pad', articleNumber: 'A100002', name: 'Dyna', rentable: false, details: {} }));
    expect(a.effect).toMatchObject({ kind: 'receive', articleId: 'a-pad', quantity: 4, lot: null });
    a = sessionInput(m, a.session, scan({ kind: 'article', id: 'a-bed', articleNumber: 'A100001', name: 'Säng', rentable: true, details: { serial: 'SN9' } }, '(01)07350000000009(21)SN9'));
    expect(a.effect).toMatchObject({ kind: 'receive', articleId: 'a-bed', quantity: 1, serialNumber: 'SN9', udi: '(01)07350000000009(21)SN9' });
    const receipt = a.effect!;
    const after = order('IO-0000001', 4);
    a = sessionSettle(m, a.session, { kind: 'receive', effect: receipt as never, ok: true, value: { movementIds: ['m1'], individuals: [{ id: 'n1', individualNumber: 'I0900001' }], over: true, order: after } });
    expect(a.session.feedback).toMatchObject({ kind: 'warn', message: { sv: 'A100001 mottagen som ny individ I0900001: 4 av 3. Etikett köad. Överleverans: 4 mottagna men 3 beställda.' } });
    expect(a.session.state.newIndividuals).toEqual(['I0900001']);
    expect(a.session.undo).toEqual([{ effect: { kind: 'undo', movementIds: ['m1'] } }]);
    // Undo, then the order's lines are read again.
    a = sessionInput(m, a.session, { kind: 'command', command: 'undo' });
    a = sessionSettle(m, a.session, {
      kind: 'undo',
      effect: { kind: 'undo', movementIds: ['m1'] },
      ok: true,
      value: { movementIds: ['c1'], said: { sv: 'I0900001 ut ur lagret', en: 'I0900001 out of stock' }, gone: ['I0900001'] },
    });
    // It says what it undid, and the device it brought in is no longer listed as new.
    expect(a.session.feedback?.message).toEqual({ sv: 'Ångrat: I0900001 ut ur lagret.', en: 'Undone: I0900001 out of stock.' });
    expect(a.session.state.newIndividuals).toEqual([]);
    expect(a.effect).toEqual({ kind: 'purchaseOrder', poNumber: 'IO-0000001', quiet: true });
    a = sessionSettle(m, a.session, { kind: 'purchaseOrder', effect: a.effect as never, ok: true, value: order('IO-0000001', 3) });
    expect(a.session.feedback?.message.sv).toBe('Ångrat: I0900001 ut ur lagret.');
    expect(a.session.state.order?.lines[0]?.received).toBe(3);
    s = sessionInput(m, a.session, { kind: 'command', command: 'done' }).session;
    expect(s.state).toEqual(m.initial());
    expect(s.feedback?.message.sv).toBe('Inleveransen är avslutad.');
  });

  it('putaway has the core check another location than the suggested one, then asks for CONFIRM; a refusal keeps the item and leaves nothing to confirm', () => {
    const m = MACHINES.putaway;
    const scan = (r: Resolution): SessionInput => ({ kind: 'scan', text: 'X', resolution: r, error: null });
    let a = sessionInput(m, startSession(m), scan({ kind: 'individual', id: 'i-1', individualNumber: 'I0100001', articleId: 'a-bed', articleName: 'Säng', status: 'in_stock', locationCode: 'BOD-A' }));
    expect(a.effect).toEqual({ kind: 'suggest', articleId: 'a-bed' });
    a = sessionSettle(m, a.session, { kind: 'suggest', effect: { kind: 'suggest', articleId: 'a-bed' }, ok: true, value: { locationId: 'l-1', code: 'BOD-H-01-01-1', why: 'free' } });
    expect(a.session.feedback?.message.sv).toBe('I0100001: lägg på BOD-H-01-01-1.');
    // Another site's location: refused at that scan, nothing waits for CONFIRM.
    a = sessionInput(m, a.session, scan(LOCATIONS[2]!));
    expect(a.effect).toEqual({ kind: 'place', locationId: 'l-x', code: 'KIR-H-01-01-1' });
    a = sessionSettle(m, a.session, { kind: 'place', effect: a.effect as never, ok: false, error: { code: 'workflow.wrong_site', message: { sv: 'Annat förråd.', en: 'Other site.' } } });
    expect(a.session.feedback).toMatchObject({ kind: 'error', message: { sv: 'Annat förråd.' } });
    expect(a.session.state.pending).toBeNull();
    expect(a.session.state.item?.label).toBe('I0100001');
    expect(sessionInput(m, a.session, { kind: 'command', command: 'confirm' }).effect).toBeNull();
    // A location here: then the worker is asked to confirm it.
    a = sessionInput(m, a.session, scan(LOCATIONS[2]!));
    a = sessionSettle(m, a.session, { kind: 'place', effect: a.effect as never, ok: true, value: { id: 'l-x', code: 'X' } });
    expect(a.effect).toBeNull();
    expect(a.session.feedback?.kind).toBe('warn');
    a = sessionInput(m, a.session, { kind: 'command', command: 'confirm' });
    expect(a.effect).toMatchObject({ kind: 'putAway', individualId: 'i-1', toLocationId: 'l-x', quantity: 1, fromLocationId: null });
    a = sessionSettle(m, a.session, { kind: 'putAway', effect: a.effect as never, ok: false, error: { code: 'workflow.wrong_site', message: { sv: 'Annat förråd.', en: 'Other site.' } } });
    expect(a.session.feedback).toMatchObject({ kind: 'error', message: { sv: 'Annat förråd.' } });
    expect(a.session.state.item?.label).toBe('I0100001');
    expect(a.session.state.pending).toBeNull();
    expect(a.session.undo).toEqual([]);
    a = sessionInput(m, a.session, scan(LOCATIONS[0]!));
    expect(a.effect).toMatchObject({ kind: 'putAway', toLocationId: 'l-1', toCode: 'BOD-H-01-01-1' });
    a = sessionSettle(m, a.session, { kind: 'putAway', effect: a.effect as never, ok: true, value: { movementIds: ['p1'] } });
    expect(a.session.feedback?.message.sv).toBe('I0100001 ligger nu på BOD-H-01-01-1.');
    expect(a.session.state.item).toBeNull();
    // A second item, then undo: the second is taken back, the first stays on the stack.
    a = sessionInput(m, a.session, scan({ kind: 'article', id: 'a-pad', articleNumber: 'A100002', name: 'Dyna', rentable: false, details: { quantity: 5 } }));
    a = sessionSettle(m, a.session, { kind: 'suggest', effect: { kind: 'suggest', articleId: 'a-pad' }, ok: true, value: null });
    a = sessionInput(m, a.session, scan(LOCATIONS[1]!));
    expect(a.effect).toMatchObject({ kind: 'putAway', articleId: 'a-pad', quantity: 5, individualId: null });
    a = sessionSettle(m, a.session, { kind: 'putAway', effect: a.effect as never, ok: true, value: { movementIds: ['p2'] } });
    a = sessionInput(m, a.session, { kind: 'command', command: 'undo' });
    expect(a.effect).toEqual({ kind: 'undo', movementIds: ['p2'] });
    a = sessionSettle(m, a.session, { kind: 'undo', effect: { kind: 'undo', movementIds: ['p2'] }, ok: true, value: { movementIds: ['c2'], said: null, gone: [] } });
    expect(a.session.undo).toEqual([{ effect: { kind: 'undo', movementIds: ['p1'] } }]);
  });

  it('the machines are pure: from outside their folder only types, or the pure vocabulary/', () => {
    const dir = join(import.meta.dirname, '..', '..', 'db', 'workflows', 'machines');
    let outside = 0;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
        if (m[2]!.startsWith('./') || /^(\.\.\/)+vocabulary\//.test(m[2]!)) continue;
        outside++;
        expect(m[1], `${file} imports ${m[2]} at run time`).toBe('type ');
      }
    }
    expect(outside).toBeGreaterThan(5);
  });
});
