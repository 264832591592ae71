/**
 * The workshop's scanning session (db/workflows/machines/service.ts). Pure, against a small
 * workshop of the test's own that follows the reconditioning flow and refuses at random: no
 * sequence of scans, commands and screen inputs throws; the undo stack only ever holds spare
 * parts to put back, exactly those taken and not yet put back, the last on top; a scan changes
 * nothing unless the core carried out what it asked for; what the session holds open (a wash
 * batch, a work order) is open in the workshop. Then on a real station database through the
 * runner: a device chosen, stepped and released by scanning its shelf; a part taken out and put
 * back by CMD-UNDO after a restart of the station; a scanner with no screen feeding the session.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { SERVICE_ACTIONS, transition, type ServiceAction, type ServiceState } from '../../db/service/flow';
import type { ServiceJob } from '../../db/service/jobs';
import type { ServiceJobView, WorkOrderView } from '../../db/service/views';
import type { WashBatch } from '../../db/service/wash';
import { openWorkOrder } from '../../db/service/workorders';
import type { StationDb } from '../../db/open';
import type { Resolution } from '../../db/stock/resolve';
import { returnIndividual } from '../../db/workflows/returns';
import type { Effect, Settled } from '../../db/workflows/machines/machine';
import { service, type ServiceSessionState } from '../../db/workflows/machines/service';
import { sessionInput, sessionSettle, startSession, UNDO_DEPTH, type Session, type SessionInput } from '../../db/workflows/machines/session';
import type { WorkflowView } from '../../db/workflows/machines/table';
import { openWorkflow, workflowInput, workflowView } from '../../db/workflows/sessions';
import { toScan } from '../../vocabulary/codes/scan';
import { atTinyStation, queries, signedIn, tinyStore, scanOf, restarted } from '../helpers';

type State = ServiceSessionState;


const DEVICES: Extract<Resolution, { kind: 'individual' }>[] = ['i-1', 'i-2', 'i-3'].map((id, n) => ({
  kind: 'individual',
  id,
  individualNumber: `I010000${n + 1}`,
  articleId: 'a-bed',
  articleName: 'Säng',
  status: 'returned',
  locationCode: null,
}));
const SHELVES: Resolution[] = [
  { kind: 'location', id: 'l-1', code: 'BOD-H-01-01-1', name: 'Hylla 1', siteName: 'Boden' },
  { kind: 'location', id: 'l-2', code: 'BOD-H-01-01-2', name: 'Hylla 2', siteName: 'Boden' },
];
const PART: Resolution = { kind: 'article', id: 'a-pad', articleNumber: 'A100002', name: 'Bromsvajer', rentable: false, details: {} };
const PARTS: Resolution = { kind: 'article', id: 'a-pad', articleNumber: 'A100002', name: 'Bromsvajer', rentable: false, details: { quantity: 3, lot: 'L1' } };
const BED: Resolution = { kind: 'article', id: 'a-bed', articleNumber: 'A100001', name: 'Säng', rentable: true, details: {} };
const OTHER: Resolution[] = [{ kind: 'pallet', sscc: '373500000000000018' }, { kind: 'order', ref: 'KO-0000001' }, { kind: 'user', id: 'u-1', name: 'Lena', role: 'technician' }];

const scan = (r: Resolution): SessionInput => ({ kind: 'scan', text: 'X', resolution: r, error: null });
const command = (c: 'confirm' | 'cancel' | 'done' | 'undo'): SessionInput => ({ kind: 'command', command: c });

const input: fc.Arbitrary<SessionInput> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...DEVICES).map(scan) },
  { weight: 2, arbitrary: fc.constantFrom(...SHELVES).map(scan) },
  { weight: 3, arbitrary: fc.constantFrom(PART, PART, PARTS, BED).map(scan) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER).map(scan) },
  { weight: 1, arbitrary: fc.constant<SessionInput>({ kind: 'scan', text: '\u0007', resolution: null, error: { code: 'scan.garbage', message: { sv: 'Oläsbart.', en: 'Unreadable.' } } }) },
  { weight: 3, arbitrary: fc.constantFrom<'confirm' | 'cancel' | 'done' | 'undo'>('confirm', 'cancel', 'done', 'undo', 'undo').map(command) },
  { weight: 2, arbitrary: fc.constantFrom(...DEVICES).map((d): SessionInput => ({ kind: 'serviceSelect', individualId: d.id })) },
  {
    weight: 6,
    arbitrary: fc.record({ action: fc.constantFrom(...SERVICE_ACTIONS), reason: fc.boolean() }).map(({ action, reason }): SessionInput =>
      action.kind === 'scrap' && reason ? { kind: 'serviceStep', action, scrap: { reason: 'Ramen sprucken', disposal: 'metal_recycling' } } : { kind: 'serviceStep', action },
    ),
  },
  { weight: 1, arbitrary: fc.constant<SessionInput>({ kind: 'serviceWorkOrder', workOrderId: 'wo-f' }) },
  { weight: 2, arbitrary: fc.constantFrom<SessionInput>({ kind: 'washOpen', cabinet: 'Disk 1', method: 'Termisk' }, { kind: 'washClose' }) },
  { weight: 1, arbitrary: fc.constantFrom<SessionInput>({ kind: 'refresh' }, { kind: 'quantity', quantity: 3 }) },
);

/** Each step: an input, and whether the core is let to agree to each effect that follows from it. */
const steps = fc.array(fc.record({ input, agree: fc.array(fc.integer({ min: 0, max: 9 }).map((n) => n < 8), { minLength: 4, maxLength: 4 }) }), { maxLength: 50 });

class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** A small workshop: jobs that follow the reconditioning flow, work orders with their parts, wash batches. */
function workshop() {
  let n = 0;
  const fresh = (p: string) => `${p}-${++n}`;
  const jobs = new Map<string, ServiceJob>();
  const orders = new Map<string, WorkOrderView>();
  const batches = new Map<string, WashBatch>();
  const job = (individualId: string, state: ServiceState): ServiceJob => ({
    id: `job-${individualId}`,
    individualId,
    siteId: 's-1',
    state,
    priority: 'urgent',
    arrivedAt: 0,
    dueAt: 1,
    startedAt: null,
    doneAt: null,
    takenBy: null,
    closedAt: null,
  });
  jobs.set('i-1', job('i-1', 'returned'));
  jobs.set('i-2', job('i-2', 'awaiting_cleaning'));
  const order = (id: string, individualId: string | null): WorkOrderView => ({
    id,
    number: `AO-${id}`,
    siteId: 's-1',
    origin: individualId ? 'reconditioning' : 'municipality',
    individualId,
    jobId: individualId ? `job-${individualId}` : null,
    device: individualId ? null : 'Duschpall',
    owner: null,
    place: null,
    priority: 'urgent',
    dueAt: 1,
    fault: 'Ett ben glappar',
    actions: null,
    minutes: 0,
    state: 'open',
    openedAt: 0,
    startedAt: null,
    closedAt: null,
    parts: [],
  });
  orders.set('wo-f', order('wo-f', null));

  const numberOf = (individualId: string) => DEVICES.find((d) => d.id === individualId)!.individualNumber;
  const openJob = (individualId: string) => {
    const j = jobs.get(individualId);
    return j && j.closedAt === null ? j : null;
  };
  const repairOf = (individualId: string) => [...orders.values()].find((o) => o.individualId === individualId && o.state === 'open') ?? null;
  const view = (individualId: string): ServiceJobView => {
    const j = openJob(individualId);
    return {
      individualNumber: numberOf(individualId),
      missing: [],
      job: j,
      actions: j ? SERVICE_ACTIONS.filter((a) => transition(j.state, a) !== null) : [],
      checklist: j?.state === 'cleaned' ? { id: 'c-1', name: 'Säng', questions: [] } : null,
      workOrder: repairOf(individualId),
    };
  };
  const openOrder = (id: string) => {
    const o = orders.get(id);
    if (!o) throw new Refused('workorder.unknown');
    if (o.state !== 'open') throw new Refused('workorder.closed');
    return o;
  };
  const openBatch = (id: string) => {
    const b = batches.get(id);
    if (!b) throw new Refused('wash.unknown');
    if (b.closedAt !== null) throw new Refused('wash.closed');
    return b;
  };
  const step = (individualId: string, action: ServiceAction, extra: { toLocationId?: string | null; scrap?: unknown }) => {
    const j = openJob(individualId);
    if (!j) throw new Refused('service.no_job');
    const to = transition(j.state, action);
    if (!to) throw new Refused('service.out_of_order');
    if (action.kind === 'release' && !extra.toLocationId) throw new Refused('service.shelf');
    if (action.kind === 'scrap' && !extra.scrap) throw new Refused('service.scrap_reason');
    const repair = repairOf(individualId);
    if (action.kind === 'start_repair') orders.set(`wo-${individualId}-${++n}`, order(`wo-${individualId}-${n}`, individualId));
    if (repair && (action.kind === 'finish_repair' || action.kind === 'send_to_supplier' || action.kind === 'scrap'))
      orders.set(repair.id, { ...repair, state: action.kind === 'finish_repair' ? 'done' : 'cancelled' });
    const closed = to === 'ready' || to === 'scrapped' ? 1 : null;
    const next = { ...j, state: to, closedAt: closed, doneAt: closed };
    jobs.set(individualId, next);
    return next;
  };

  function carry(effect: Effect): unknown {
    switch (effect.kind) {
      case 'serviceJob':
        return view(effect.individualId);
      case 'serviceStep':
        return { job: step(effect.individualId, effect.action, effect), view: view(effect.individualId) };
      case 'workOrder': {
        const o = orders.get(effect.workOrderId);
        if (!o) throw new Refused('workorder.unknown');
        return o;
      }
      case 'usePart': {
        const o = openOrder(effect.workOrderId);
        if (effect.articleId === 'a-bed') throw new Refused('workorder.not_a_part');
        const part = { movementId: fresh('m'), articleId: effect.articleId, articleNumber: 'A100002', articleName: 'Bromsvajer', lot: effect.lot, quantity: effect.quantity, locationCode: 'BOD-R-01', at: n };
        const next = { ...o, parts: [...o.parts, part] };
        orders.set(o.id, next);
        return { part, order: next };
      }
      case 'returnPart': {
        const o = openOrder(effect.workOrderId);
        if (!o.parts.some((p) => p.movementId === effect.movementId)) throw new Refused('workorder.no_such_part');
        const next = { ...o, parts: o.parts.filter((p) => p.movementId !== effect.movementId) };
        orders.set(o.id, next);
        return next;
      }
      case 'washOpen': {
        const b: WashBatch = { id: fresh('b'), cabinet: effect.cabinet, method: effect.method, openedAt: n, closedAt: null, items: [] };
        batches.set(b.id, b);
        return b;
      }
      case 'washAdd': {
        const b = openBatch(effect.batchId);
        if (openJob(effect.individualId)?.state !== 'awaiting_cleaning') throw new Refused('wash.not_waiting');
        const next = b.items.some((i) => i.individualId === effect.individualId)
          ? b
          : { ...b, items: [...b.items, { individualId: effect.individualId, individualNumber: numberOf(effect.individualId), articleName: 'Säng' }] };
        batches.set(b.id, next);
        return next;
      }
      case 'washClose': {
        const b = openBatch(effect.batchId);
        if (b.items.length === 0) throw new Refused('wash.empty');
        for (const i of b.items) step(i.individualId, { kind: 'clean' }, {});
        const next = { ...b, closedAt: ++n };
        batches.set(b.id, next);
        return next;
      }
      case 'serviceViews':
        return {
          job: effect.individualId ? view(effect.individualId) : null,
          batch: effect.batchId ? batches.get(effect.batchId)! : null,
          workOrder: effect.workOrderId ? orders.get(effect.workOrderId)! : null,
        };
      default:
        throw new Error(`the workshop has no ${effect.kind}`);
    }
  }

  /** The core as the session meets it: refused when told to (nothing changes), else carried out by the workshop's rules. */
  const answer = (effect: Effect, agree: boolean): Settled => {
    const no = (code: string): Settled => ({ kind: effect.kind, effect, ok: false, error: { code, message: { sv: 'Nej.', en: 'No.' } } });
    if (!agree) return no('test.refused');
    const before = { jobs: new Map(jobs), orders: new Map(orders), batches: new Map(batches) };
    try {
      return { kind: effect.kind, effect, ok: true, value: carry(effect) } as Settled;
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      // A refused step keeps nothing.
      for (const [m, was] of [[jobs, before.jobs], [orders, before.orders], [batches, before.batches]] as const) {
        m.clear();
        for (const [k, v] of was as Map<string, never>) (m as Map<string, never>).set(k, v);
      }
      return no(e.code);
    }
  };
  return { answer, orders, batches, openJob };
}

describe('the workshop session, against a workshop of its own', () => {
  it('never throws, keeps only parts to put back on its undo stack, changes nothing on a scan the core did not carry out, and holds open only what is open', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const w = workshop();
        let session: Session<State> = startSession(service);
        /** The parts taken and not put back by undo, in order: what the undo stack must be. */
        const model: Effect[] = [];
        for (const { input: inp, agree } of list) {
          const before = session;
          let a = sessionInput(service, session, inp);
          const given = inp.kind === 'command' ? inp.command : null;
          if (given === 'undo') expect(a.effect).toEqual(model.at(-1) ?? null);
          let carried = false;
          for (let i = 0; a.effect; i++) {
            expect(i).toBeLessThan(4);
            const effect = a.effect;
            const settled = w.answer(effect, agree[i] ?? true);
            carried ||= settled.ok;
            const undoing = a.session.pending?.by === 'undo';
            const depth = a.session.undo.length;
            a = sessionSettle(service, a.session, settled);
            if (undoing) {
              // Put back, or refused by the core: either way the step leaves the stack.
              model.pop();
              expect(a.session.undo.length).toBe(depth - 1);
            } else if (settled.ok && settled.kind === 'usePart') {
              model.push({ kind: 'returnPart', workOrderId: settled.value.order.id, movementId: settled.value.part.movementId });
              if (model.length > UNDO_DEPTH) model.shift();
            } else expect(a.session.undo.length).toBe(depth);
          }
          session = a.session;
          const s = session.state;
          // The undo stack: parts to put back, exactly those taken and not yet put back by undo, the last on top.
          expect(session.undo.map((u) => u.effect)).toEqual(model);
          for (const u of session.undo) expect(u.effect.kind).toBe('returnPart');
          expect(session.pending).toBeNull();
          expect(JSON.parse(JSON.stringify(session))).toEqual(session);
          // A scan changes the step only when the core carried out what it asked for.
          if (inp.kind === 'scan' && !carried) expect(s).toEqual(before.state);
          // What the session holds open is open in the workshop; a shelf is awaited only for a device in the step before it.
          if (s.batch) expect(w.batches.get(s.batch.id)?.closedAt).toBeNull();
          if (s.batch) expect(s.batchView?.id).toBe(s.batch.id);
          if (s.workOrder) expect(w.orders.get(s.workOrder.id)?.state).toBe('open');
          if (s.workOrder) expect(s.workOrderView?.id).toBe(s.workOrder.id);
          if (s.awaitingShelf) expect(s.individual && w.openJob(s.individual.id)).toBeTruthy();
          if (s.individual) expect(s.job?.individualNumber).toBe(s.individual.individualNumber);
          // Cancel leaves the device and the work order; an open wash batch stays open, and takes the next scan.
          if (given === 'cancel') expect({ ...s, batch: null, batchView: null }).toEqual(service.initial());
          if (given === 'cancel') expect(s.batch).toEqual(before.state.batch);
          expect(service.prompt(s).sv.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('a location scanned while a released device awaits its shelf puts it there; anything else is refused in words for the worker', () => {
    const w = workshop();
    const settleAll = (a: { session: Session<State>; effect: Effect | null }) => {
      while (a.effect) a = sessionSettle(service, a.session, w.answer(a.effect, true));
      return a.session;
    };
    let s = settleAll(sessionInput(service, startSession(service), scan(SHELVES[0]!)));
    expect(s.feedback).toMatchObject({ kind: 'error', message: { sv: 'Skanna en individ.', en: 'Scan an individual.' } });
    s = settleAll(sessionInput(service, s, scan(PART)));
    expect(s.feedback?.message.sv).toBe('Skanna en individ. En reservdel tas ut när en arbetsorder är öppen.');
    s = settleAll(sessionInput(service, s, scan(DEVICES[0]!)));
    expect(s.feedback?.message.sv).toBe('I0100001: Returnerad.');
    for (const action of [{ kind: 'send_to_cleaning' }, { kind: 'scrap' }] as const) s = settleAll(sessionInput(service, s, { kind: 'serviceStep', action }));
    expect(s.feedback?.message.sv).toBe('Nej.');
    expect(s.state.job?.job?.state).toBe('awaiting_cleaning');
    // Washed in a batch: the device scanned goes into it, DONE closes it.
    s = settleAll(sessionInput(service, s, { kind: 'washOpen', cabinet: 'Disk 2', method: 'Termisk' }));
    expect(service.prompt(s.state).sv).toBe('Skanna individerna som går in i Disk 2. KLAR stänger diskomgången.');
    s = settleAll(sessionInput(service, s, scan(DEVICES[0]!)));
    expect(s.feedback?.message.sv).toBe('I0100001 lagd i Disk 2.');
    s = settleAll(sessionInput(service, s, command('done')));
    expect(s.feedback?.message.sv).toBe('1 individ rengjord.');
    expect(s.state).toMatchObject({ batch: null, job: { job: { state: 'cleaned' } } });
    s = settleAll(sessionInput(service, s, { kind: 'serviceStep', action: { kind: 'inspect', passed: true }, answers: [] }));
    expect(s.feedback?.message.sv).toBe('I0100001: nu Kontrollerad.');
    s = settleAll(sessionInput(service, s, { kind: 'serviceStep', action: { kind: 'release' } }));
    expect(s.state.awaitingShelf).toBe(true);
    expect(service.prompt(s.state)).toEqual({ sv: 'Skanna hyllplatsen den ställs på.', en: 'Scan the shelf it goes on.' });
    let a = sessionInput(service, s, scan(PART));
    expect(a.effect).toBeNull();
    expect(a.session.feedback?.message.sv).toBe('Skanna hyllplatsen I0100001 ställs på (eller en annan individ).');
    a = sessionInput(service, a.session, scan(SHELVES[1]!));
    expect(a.effect).toEqual({ kind: 'serviceStep', individualId: 'i-1', action: { kind: 'release' }, toLocationId: 'l-2' });
    s = settleAll(a);
    expect(s.feedback?.message).toEqual({ sv: 'I0100001: nu Klar.', en: 'I0100001: now Ready.' });
    expect(s.state).toEqual(service.initial());
  });
});

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

type V = WorkflowView<'service'>;

/** A tiny station with a technician, a device just back from a patient (its job open), a shelf and a spare part in the spare-parts store. */
function workshopStation() {
  const { s, one, actor: worker } = atTinyStation();
  stores.push(s);
  const technician = one<{ id: string }>("select id from users where role = 'technician' limit 1").id;
  const actor = { ...worker, userId: technician };
  const ind = one<{ id: string; n: string }>("select i.id, i.individual_number as n from individuals i where i.status = 'on_loan' and i.location_id is null order by i.individual_number limit 1");
  returnIndividual(s, worker, { individualId: ind.id, missing: [], priority: 'urgent' });
  const shelf = one<{ id: string; code: string }>("select l.id, l.code from locations l where l.kind = 'shelf' and l.level = 'bin' and l.site_id = ? order by l.code limit 1", actor.siteId);
  const part = one<{ id: string; gtin: string; locationId: string; name: string }>(
    `select a.id, g.gtin, b.location_id as locationId, a.name from articles a join article_gtins g on g.article_id = a.id join balances b on b.article_id = a.id
     join locations l on l.id = b.location_id where l.kind = 'spare_parts' and l.site_id = ? order by b.quantity desc limit 1`,
    actor.siteId,
  );
  return { s, one, actor, ind, shelf, part };
}

describe('the workshop session on a station database', () => {
  it('a device chosen, washed, inspected and released by scanning its shelf, each step on the record; it resumes awaiting the shelf after a restart', () => {
    const st = workshopStation();
    let store = st.s;
    const { actor, ind, shelf } = st;
    const one = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).get(...args) as T;
    const now = Date.now();
    const send = (i: SessionInput) => workflowInput(store, actor, 'service', i, now).view as V;
    let view = openWorkflow(store, actor, 'service', now).view as V;
    expect(view.prompt.sv).toBe('Skanna en individ, eller välj en i arbetskön.');
    view = send(scanOf(store, ind.n));
    expect(view.feedback?.message.sv).toBe(`${ind.n}: Returnerad.`);
    expect(view.state.job?.actions.map((a) => a.kind)).toEqual(['send_to_cleaning', 'scrap']);
    view = send({ kind: 'serviceStep', action: { kind: 'send_to_cleaning' } });
    expect(view.feedback?.message.sv).toBe(`${ind.n}: nu Väntar på disk.`);
    view = send({ kind: 'washOpen', cabinet: 'Disk 1', method: 'Termisk desinfektion 90 °C' });
    expect(view.prompt.sv).toBe('Skanna individerna som går in i Disk 1. KLAR stänger diskomgången.');
    view = send(scanOf(store, ind.n));
    expect(view.state.batchView?.items.map((i) => i.individualNumber)).toEqual([ind.n]);
    const ran = workflowInput(store, actor, 'service', scanOf(store, 'CMD-DONE'), now);
    expect(ran.posted.map((m) => m.reason)).toEqual(['to_reconditioning']);
    view = ran.view as V;
    expect(view.feedback?.message.sv).toBe('1 individ rengjord.');
    expect(view.state.job?.job?.state).toBe('cleaned');
    const checklist = view.state.job?.checklist;
    view = send({ kind: 'serviceStep', action: { kind: 'inspect', passed: true }, answers: (checklist?.questions ?? []).map((q) => ({ questionId: q.id, ok: true })) });
    expect(view.feedback?.message.sv).toBe(`${ind.n}: nu Kontrollerad.`);
    view = send({ kind: 'serviceStep', action: { kind: 'release' } });
    expect(view.prompt.sv).toBe('Skanna hyllplatsen den ställs på.');

    // The station restarts in the middle of the step: the device still awaits its shelf.
    store = restarted(store, stores);
    view = openWorkflow(store, actor, 'service', now + 1).view as V;
    expect(view).toMatchObject({ open: true, state: { awaitingShelf: true, individual: { id: ind.id }, job: { job: { state: 'inspected' } } } });
    expect(view.prompt.sv).toBe('Skanna hyllplatsen den ställs på.');
    const released = workflowInput(store, actor, 'service', scanOf(store, shelf.code), now + 2);
    view = released.view as V;
    expect(view.feedback?.message.sv).toBe(`${ind.n}: nu Klar.`);
    expect(view.state.individual).toBeNull();
    expect(released.posted).toMatchObject([{ individualId: ind.id, toLocationId: shelf.id, reason: 'ready' }]);
    expect(one('select location_id as at, status from individuals where id = ?', ind.id)).toEqual({ at: shelf.id, status: 'in_stock' });
    const steps = store.sqlite.prepare("select e.action from service_events e join service_jobs j on j.id = e.job_id where j.individual_id = ? order by e.at, e.rowid").all(ind.id) as { action: string }[];
    expect(steps.map((e) => e.action)).toEqual(['open', 'send_to_cleaning', 'clean', 'inspect', 'release']);
    const audited = store.sqlite.prepare("select action from audit_log where entity = 'workflow' and entity_id = 'service' and user_id = ? order by rowid").all(actor.userId) as { action: string }[];
    expect(audited.map((a) => a.action)).toEqual(['service.step', 'wash.open', 'wash.add', 'wash.close', 'service.step', 'service.step']);
  });

  it('a spare part taken out for a work order is put back by CMD-UNDO, after a restart too; a saved undo of another shape is never carried out', () => {
    const st = workshopStation();
    let store = st.s;
    const { actor, part } = st;
    const q = queries(() => store);
    const balance = () => q.one<{ n: number }>('select quantity as n from balances where article_id = ? and location_id = ?', part.id, part.locationId).n;
    const wo = openWorkOrder(store, actor, { origin: 'municipality', device: 'Duschpall, kommunens', owner: 'Luleå kommun', priority: 'urgent', fault: 'Ett ben glappar' });
    const now = Date.now();
    const send = (i: SessionInput) => workflowInput(store, actor, 'service', i, now).view as V;
    const start = balance();
    openWorkflow(store, actor, 'service', now);
    let view = send({ kind: 'serviceWorkOrder', workOrderId: wo.id });
    expect(view.prompt.sv).toBe(`Skanna reservdelens streckkod för att ta ut en till ${wo.number}.`);
    view = send(scanOf(store, part.gtin));
    expect(view.state.workOrderView?.parts).toHaveLength(1);
    view = send(scanOf(store, part.gtin));
    expect(view.feedback?.message.sv).toBe(`${part.name} uttagen till ${wo.number}.`);
    expect(view.state.workOrderView?.parts).toHaveLength(2);
    expect(balance()).toBe(start - 2);
    expect(view.canUndo).toBe(true);
    const saved = () => JSON.parse(q.one<{ session: string }>("select session from workflow_sessions where user_id = ? and workflow = 'service'", actor.userId).session) as Session<State>;
    expect(saved().undo.map((u) => u.effect)).toEqual(view.state.workOrderView!.parts.map((p) => ({ kind: 'returnPart', workOrderId: wo.id, movementId: p.movementId })));

    // The station restarts: the work order is on the screen with its parts, and undo puts the last one back.
    store = restarted(store, stores);
    expect(workflowView(store, actor.userId, 'service')).toMatchObject({ canUndo: true, state: { workOrder: { id: wo.id } } });
    view = openWorkflow(store, actor, 'service', now + 1).view as V;
    expect(view.state.workOrderView?.parts).toHaveLength(2);
    view = send(scanOf(store, 'CMD-UNDO'));
    // It says what went back where, from which order.
    expect(view.feedback?.message.sv).toMatch(new RegExp(`^Ångrat: 1 st \\S+ tillbaka till \\S+ från ${wo.number}\\.$`));
    expect(view.state.workOrderView?.parts).toHaveLength(1);
    expect(balance()).toBe(start - 1);
    expect(q.one("select count(*) as n from audit_log where action = 'workorder.returnPart' and entity = 'workflow' and user_id = ?", actor.userId)).toEqual({ n: 1 });
    expect(q.one("select count(*) as n from work_order_events where work_order_id = ? and kind = 'part_returned'", wo.id)).toEqual({ n: 1 });

    // A saved undo entry of the part's shape with anything more in it (a tampered row) is not carried out: the session starts afresh.
    const row = saved();
    row.undo = [{ effect: { kind: 'returnPart', workOrderId: wo.id, movementId: view.state.workOrderView!.parts[0]!.movementId, quantity: 5 } as unknown as Effect }];
    store.sqlite.prepare("update workflow_sessions set session = ? where user_id = ? and workflow = 'service'").run(JSON.stringify(row), actor.userId);
    expect(workflowView(store, actor.userId, 'service')).toMatchObject({ canUndo: false, state: { workOrder: null } });
    view = send(scanOf(store, 'CMD-UNDO'));
    expect(view.feedback?.message.sv).toBe('Det finns inget att ångra.');
    expect(balance()).toBe(start - 1);
  });

  it('a scanner with no screen feeds a technician’s open workshop session; a role outside the workshop cannot open it, and the screen’s inputs are held to their bounds', async () => {
    const store = tinyStore();
    stores.push(store);
    const api = createApi(store);
    const { one } = queries(store);
    const worker = await signedIn(api, 'warehouse_worker');
    const ind = one<{ id: string; n: string }>("select i.id, i.individual_number as n from individuals i where i.status = 'on_loan' and i.location_id is null order by i.individual_number limit 1");
    expect((await worker.call('returns.receive', { individualId: ind.id, missing: [], priority: 'urgent' })).ok).toBe(true);
    await worker.call('auth.signOut', {});

    const tech = await signedIn(api, 'technician');
    expect(await tech.call('workflow.open', { workflow: 'service' })).toMatchObject({ ok: true, value: { workflow: 'service', open: true } });
    expect(api.scanning.accept(toScan(ind.n, 'serial', '/dev/ttyS0')).workflow).toBe('service');
    expect(await tech.call('workflow.state', { workflow: 'service' })).toMatchObject({ ok: true, value: { state: { individual: { id: ind.id } }, feedback: { message: { sv: `${ind.n}: Returnerad.` } } } });
    expect(await tech.call('workflow.input', { workflow: 'service', input: { kind: 'serviceStep', action: { kind: 'send_to_cleaning' } } })).toMatchObject({
      ok: true,
      value: { state: { job: { job: { state: 'awaiting_cleaning' } } } },
    });
    for (const input of [
      { kind: 'serviceStep', action: { kind: 'release' }, toLocationId: 'x' },
      { kind: 'serviceStep', action: { kind: 'polish' } },
      { kind: 'washOpen', cabinet: 'D'.repeat(41), method: 'Termisk' },
      { kind: 'serviceSelect', individualId: 'x'.repeat(65) },
      { kind: 'serviceStep', action: { kind: 'scrap' }, scrap: { reason: 'R'.repeat(301), disposal: 'metal_recycling' } },
    ])
      expect(await tech.call('workflow.input', { workflow: 'service', input } as never)).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });

    const depot = await signedIn(api, 'depot_staff');
    expect(await depot.call('workflow.open', { workflow: 'service' })).toMatchObject({ ok: false, error: { code: 'workflow.forbidden' } });
  });
});
