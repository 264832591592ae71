import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DepotError } from '../../vocabulary/errors';
import { SERVICE_STATES, step, transition, type ServiceAction, type ServiceState } from '../../db/service/flow';
import { addWorkingDays, clockState, serviceClock } from '../../db/service/levels';

const at = (s: string) => new Date(s).getTime();
const iso = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

describe('service-level clocks', () => {
  it('gives acute jobs 24 hours, whatever the day', () => {
    expect(iso(serviceClock('acute', at('2026-12-24T09:15:00')).due)).toBe('2026-12-25 09:15');
  });

  it('counts urgent and normal jobs in Swedish working days: weekends, Easter, midsummer and Christmas skipped', () => {
    expect(iso(serviceClock('urgent', at('2026-11-20T10:00:00')).due)).toBe('2026-11-25 10:00'); // Friday → Wednesday
    expect(iso(serviceClock('urgent', at('2026-04-02T14:00:00')).due)).toBe('2026-04-09 14:00'); // Maundy Thursday → over Easter
    expect(iso(serviceClock('urgent', at('2026-06-18T08:00:00')).due)).toBe('2026-06-24 08:00'); // over midsummer
    expect(iso(serviceClock('urgent', at('2026-12-23T15:00:00')).due)).toBe('2026-12-30 15:00'); // over Christmas
    expect(iso(serviceClock('normal', at('2026-11-21T09:00:00')).due)).toBe('2026-11-26 00:00'); // a Saturday: from Monday
    expect(serviceClock('normal', at('2026-11-23T09:00:00')).measures).toBe('started');
  });

  it('says ok, due soon, breached or met', () => {
    const arrived = at('2026-11-23T08:00:00');
    expect(clockState('acute', arrived, at('2026-11-23T12:00:00'), {})).toBe('ok');
    expect(clockState('acute', arrived, at('2026-11-24T04:00:00'), {})).toBe('due_soon');
    expect(clockState('acute', arrived, at('2026-11-24T08:01:00'), {})).toBe('breached');
    expect(clockState('acute', arrived, at('2026-11-30T00:00:00'), { doneAt: at('2026-11-24T07:00:00') })).toBe('met');
    expect(clockState('normal', arrived, at('2026-11-30T00:00:00'), { startedAt: at('2026-11-27T09:00:00') })).toBe('breached');
  });

  it('always lands on a working day, later than it started, whatever the start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 6 * 24 }), fc.integer({ min: 1, max: 10 }), (hours, n) => {
        const start = at('2025-01-01T00:00:00') + hours * 3_600_000;
        const due = addWorkingDays(start, n);
        expect(due).toBeGreaterThan(start);
        const day = new Date(due).getDay();
        expect([0, 6]).not.toContain(day);
      }),
    );
  });
});

const action: fc.Arbitrary<ServiceAction> = fc.oneof(
  fc.constant({ kind: 'send_to_cleaning' as const }),
  fc.constant({ kind: 'clean' as const }),
  fc.boolean().map((passed) => ({ kind: 'inspect' as const, passed })),
  fc.constant({ kind: 'start_repair' as const }),
  fc.constant({ kind: 'finish_repair' as const }),
  fc.constant({ kind: 'send_to_supplier' as const }),
  fc.constant({ kind: 'back_from_supplier' as const }),
  fc.constant({ kind: 'release' as const }),
  fc.constant({ kind: 'scrap' as const }),
);

describe('the reconditioning flow', () => {
  it('follows the flow or refuses, saying what must happen first', () => {
    expect(() => step('returned', { kind: 'release' }, 'I0100001')).toThrowError(expect.objectContaining({ code: 'service.out_of_order' }));
    expect(() => step('awaiting_cleaning', { kind: 'inspect', passed: true }, 'I0100001')).toThrowError(
      expect.objectContaining({ userMessage: { sv: 'I0100001 kan inte kontrolleras nu. Den ska rengöras först.', en: 'I0100001 cannot be inspected now. It must be cleaned first.' } }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state: ServiceState = 'returned';
        const path: ServiceState[] = [state];
        for (const a of actions) {
          let next: ServiceState | null;
          try {
            next = step(state, a, 'I0100001');
          } catch (e) {
            expect(e).toBeInstanceOf(DepotError);
            expect((e as DepotError).code).toBe('service.out_of_order');
            expect(transition(state, a)).toBeNull();
            continue;
          }
          state = next;
          path.push(state);
        }
        // Nothing is ready without having been cleaned and passed inspection (or a repair) first, and nothing leaves a final state.
        const ready = path.indexOf('ready');
        if (ready >= 0) {
          expect(path[ready - 1]).toBe('inspected');
          expect(path.slice(0, ready)).toContain('cleaned');
        }
        for (const final of ['ready', 'scrapped'] as const) {
          const i = path.indexOf(final);
          if (i >= 0) expect(path.slice(i + 1)).toEqual([]);
        }
        for (const s of path) expect(SERVICE_STATES).toContain(s);
      }),
    );
  });
});

describe('service jobs on real individuals', () => {
  it('keeps the queues and the ledger telling the same story under any sequence of steps', async () => {
    const { queries, tinyStore } = await import('../helpers');
    const { postMovements } = await import('../../db/stock/ledger');
    const { returnIndividual } = await import('../../db/workflows/returns');
    const { openServiceJob, openJobFor, serviceStep, technicianBoard } = await import('../../db/service/jobs');
    const { checklistFor } = await import('../../db/service/checklists');
    const WHERE: Record<ServiceState, string | null> = {
      returned: 'returns',
      awaiting_cleaning: 'cleaning',
      cleaned: 'workshop',
      inspected: 'workshop',
      needs_repair: 'workshop',
      in_repair: 'workshop',
      at_supplier: null,
      ready: 'shelf',
      scrapped: null,
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ who: fc.nat(2), action }), { maxLength: 30 }), async (steps) => {
        const store = tinyStore();
        const { one } = queries(store);
        const st = one<{ id: string; site_id: string }>('select id, site_id from station');
        const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'technician' limit 1").id, siteId: st.site_id };
        const shelf = one<{ id: string }>("select id from locations where site_id = ? and kind = 'shelf' and level = 'bin' limit 1", st.site_id).id;
        // Three devices come back from patients.
        const out = store.sqlite.prepare("select id, article_id, location_id from individuals i where site_id = ? and status = 'in_stock' and not exists (select 1 from service_jobs j where j.individual_id = i.id and j.closed_at is null) limit 3").all(st.site_id) as { id: string; article_id: string; location_id: string }[];
        for (const i of out) {
          postMovements(store, actor, [{ articleId: i.article_id, individualId: i.id, fromLocationId: i.location_id, quantity: 1, reason: 'delivery' }], 'kiosk');
          returnIndividual(store, actor, { individualId: i.id, missing: [], priority: 'urgent' });
          expect(openServiceJob(store, actor, { individualId: i.id, priority: 'acute' }).priority).toBe('urgent'); // one open job per device
        }
        const state = new Map(out.map((i) => [i.id, 'returned' as ServiceState]));
        for (const s of steps) {
          const ind = out[s.who]!;
          const before = state.get(ind.id)!;
          const expected = transition(before, s.action);
          // An inspection answers the checklist (one point wrong when it fails); a repair says what was done.
          const list = checklistFor(store, ind.article_id)!;
          const answers = list.questions.map((q, n) => ({ questionId: q.id, ok: s.action.kind !== 'inspect' || s.action.passed || n > 0, note: 'Trasig' }));
          let job: ReturnType<typeof serviceStep> | null = null;
          try {
            job = serviceStep(store, actor, { individualId: ind.id, action: s.action, toLocationId: shelf, answers, actions: 'Bytt trasig del', scrap: { reason: 'Utsliten', disposal: 'metal_recycling' } });
          } catch (e) {
            // Only the refusal is caught here: an expectation that fails below is not taken for one.
            expect(e).toBeInstanceOf(DepotError);
            expect(expected === null || before === 'ready' || before === 'scrapped').toBe(true);
            expect(['service.out_of_order', 'service.no_job']).toContain((e as DepotError).code);
          }
          if (job) {
            state.set(ind.id, job.state);
            expect(job.state).toBe(expected);
          }
          // The ledger agrees with the queue, for every device.
          for (const i of out) {
            const now = state.get(i.id)!;
            const where = one<{ kind: string | null; status: string }>('select l.kind, i.status from individuals i left join locations l on l.id = i.location_id where i.id = ?', i.id);
            expect(where.kind).toBe(WHERE[now]);
            if (now === 'at_supplier') expect(where.status).toBe('in_transit');
            if (now === 'scrapped') expect(where.status).toBe('scrapped');
            if (now === 'ready') expect(where.status).toBe('in_stock');
            expect(openJobFor(store, i.id)?.state ?? (now === 'ready' || now === 'scrapped' ? now : 'no job')).toBe(now);
          }
        }
        const board = technicianBoard(store, st.site_id, Date.now(), 100_000).lines.filter((b) => out.some((i) => i.id === b.individualId));
        expect(board.map((b) => b.individualId).sort()).toEqual(out.filter((i) => !['ready', 'scrapped'].includes(state.get(i.id)!)).map((i) => i.id).sort());
        store.close();
      }),
      { numRuns: 25 },
    );
  });
});

describe('preventive maintenance', () => {
  it('lists what falls due, keeps a due device from going out by any way (picking, kiosk, pallet, a raw posting), saying why, and lets only a trained technician sign it off', async () => {
    const { queries, tinyStore } = await import('../helpers');
    const { maintenanceBlock, maintenanceDueList, signOffMaintenance } = await import('../../db/service/maintenance');
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ site_id: string }>('select site_id from station');
    // A monthly plan for the family of an individual in stock here that came in over a month ago, never done: due.
    const ind = one<{ id: string; n: string; iso: string }>(
      `select i.id, i.individual_number as n, a.iso_code as iso from individuals i join articles a on a.id = i.article_id
       where i.site_id = ? and i.status = 'in_stock' and a.iso_code not like '1223%' and (select min(m.occurred_at) from movements m where m.individual_id = i.id) < ? limit 1`,
      st.site_id,
      Date.now() - 60 * 86_400_000,
    );
    store.sqlite.prepare('delete from maintenance_records').run();
    store.sqlite.prepare("insert into maintenance_plans (id, name, iso_prefix, interval_days) values ('p1', 'Årlig kontroll', ?, 30)").run(ind.iso.slice(0, 4));
    const due = maintenanceDueList(store, st.site_id, Date.now() + 14 * 86_400_000);
    expect(due.map((d) => d.individualId)).toContain(ind.id);
    expect(maintenanceBlock(store, ind.id)?.sv).toMatch(new RegExp(`^${ind.n}: Årlig kontroll ska göras senast \\d{4}-\\d{2}-\\d{2}\\. Den lämnas inte ut`));

    // An order for that article: the due device is not proposed, and picking it anyway is refused with why.
    const { pick, pickList } = await import('../../db/workflows/picking');
    const art = one<{ article_id: string; location_id: string }>('select article_id, location_id from individuals where id = ?', ind.id);
    const worker = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
    const stationId = one<{ id: string }>('select id from station').id;
    store.sqlite.prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values ('o1', 'KO-TEST-1', 'KST-1', 'Vårdcentralen', 'Boden', 'Rutt Test', '2026-12-03', ?, ?)").run(Date.parse('2026-11-23T08:00:00'), st.site_id);
    store.sqlite.prepare("insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values ('l1', 'o1', 1, ?, 1)").run(art.article_id);
    const proposed = pickList(store, st.site_id, 'Rutt Test', '2026-12-03')[0]!.lines[0]!.proposal;
    expect(proposed?.individualId).not.toBe(ind.id);
    expect(() => pick(store, { userId: worker, stationId, siteId: st.site_id }, { orderRef: 'KO-TEST-1', articleId: art.article_id, individualId: ind.id, fromLocationId: art.location_id, quantity: 1 })).toThrowError(
      expect.objectContaining({ code: 'picking.maintenance_due' }),
    );

    // Every other way out is refused the same: the kiosk, a raw posting of a pick.
    const { kioskWithdraw } = await import('../../db/workflows/kiosk');
    const { postMovements } = await import('../../db/stock/ledger');
    const { openPallet, addToPallet } = await import('../../db/workflows/pallets');
    const actor = { userId: worker, stationId, siteId: st.site_id };
    expect(() => kioskWithdraw(store, actor, { direction: 'take', orderRef: 'KST-1', lines: [{ articleId: art.article_id, individualId: ind.id, quantity: 1 }] })).toThrowError(
      expect.objectContaining({ code: 'maintenance.due' }),
    );
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch' and level = 'zone'", st.site_id).id;
    expect(() => postMovements(store, actor, [{ articleId: art.article_id, individualId: ind.id, fromLocationId: art.location_id, toLocationId: dispatch, quantity: 1, reason: 'pick', orderRef: 'KO-TEST-1' }], 'picking')).toThrowError(
      expect.objectContaining({ code: 'maintenance.due' }),
    );
    // A device picked before its plan fell due does not go onto a pallet once it has.
    store.sqlite.prepare('update maintenance_plans set interval_days = 100000').run();
    postMovements(store, actor, [{ articleId: art.article_id, individualId: ind.id, fromLocationId: art.location_id, toLocationId: dispatch, quantity: 1, reason: 'pick', orderRef: 'KO-TEST-1' }], 'picking');
    store.sqlite.prepare('update maintenance_plans set interval_days = 30').run();
    const p = openPallet(store, actor, { route: 'Rutt Test', deliveryDay: '2026-12-03', deliveryPoint: 'Vårdcentralen', municipality: 'Boden' });
    expect(() => addToPallet(store, actor, { palletId: p.id, articleId: art.article_id, individualId: ind.id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'maintenance.due' }));

    const untrained = worker;
    expect(() => signOffMaintenance(store, { userId: untrained }, { individualId: ind.id, planId: 'p1' })).toThrowError(expect.objectContaining({ code: 'maintenance.not_trained' }));
    const tech = one<{ id: string }>("select id from users where role = 'technician' limit 1").id;
    store.sqlite.prepare('insert or ignore into technician_training (user_id, iso_prefix) values (?, ?)').run(tech, ind.iso.slice(0, 2));
    signOffMaintenance(store, { userId: tech }, { individualId: ind.id, planId: 'p1' });
    expect(maintenanceBlock(store, ind.id)).toBeNull();
    expect(maintenanceDueList(store, st.site_id, Date.now() + 14 * 86_400_000).map((d) => d.individualId)).not.toContain(ind.id);
    store.close();
  });
});

describe('the technician board', () => {
  it('puts late jobs first, then nearly late, then by priority and due time, and records each breach once', async () => {
    const { queries, tinyStore } = await import('../helpers');
    const { openServiceJob, recordBreaches, technicianBoard } = await import('../../db/service/jobs');
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'technician' limit 1").id, siteId: st.site_id };
    // The demo's own open jobs are closed, so the board holds only these three.
    store.sqlite.prepare('update service_jobs set closed_at = 1 where closed_at is null').run();
    store.sqlite.prepare("update work_orders set state = 'done'").run();
    const inds = store.sqlite.prepare('select id from individuals limit 3').all() as { id: string }[];
    const now = at('2026-11-23T10:00:00');
    openServiceJob(store, actor, { individualId: inds[0]!.id, priority: 'normal', at: now - 3_600_000 });
    openServiceJob(store, actor, { individualId: inds[1]!.id, priority: 'acute', at: now - 30 * 3_600_000 }); // 6 hours late
    openServiceJob(store, actor, { individualId: inds[2]!.id, priority: 'acute', at: now - 20 * 3_600_000 }); // 4 hours left
    const board = technicianBoard(store, st.site_id, now);
    expect(board.counts).toEqual({ breached: 1, due_soon: 1, ok: 1, met: 0 });
    expect(board.lines.map((b) => [b.individualId, b.clock])).toEqual([
      [inds[1]!.id, 'breached'],
      [inds[2]!.id, 'due_soon'],
      [inds[0]!.id, 'ok'],
    ]);
    expect(recordBreaches(store, st.site_id, now)).toBe(1);
    expect(recordBreaches(store, st.site_id, now + 60_000)).toBe(0);
    expect(one<{ n: number }>('select count(*) as n from service_jobs where breached_at = ?', now).n).toBe(1);
    store.close();
  });
});

describe('a safety notice', () => {
  it('finds every individual of an article, where it is or which order it went out on, and exports it as CSV', async () => {
    const { queries, tinyStore } = await import('../helpers');
    const { postMovements } = await import('../../db/stock/ledger');
    const { safetyNotice, traceCsv } = await import('../../db/service/trace');
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>('select id from users limit 1').id };
    const art = one<{ article_id: string; n: number }>("select article_id, count(*) as n from individuals where status = 'in_stock' and site_id = ? group by article_id order by n desc limit 1", st.site_id);
    const out = one<{ id: string; n: string; location_id: string }>("select id, individual_number as n, location_id from individuals where article_id = ? and status = 'in_stock' and site_id = ? limit 1", art.article_id, st.site_id);
    postMovements(store, actor, [{ articleId: art.article_id, individualId: out.id, fromLocationId: out.location_id, quantity: 1, reason: 'delivery', orderRef: 'KO-SAFE-1' }], 'kiosk');
    const rows = safetyNotice(store, { articleId: art.article_id });
    expect(rows.length).toBe(one<{ n: number }>("select count(*) as n from individuals where article_id = ? and status <> 'cancelled'", art.article_id).n);
    expect(rows.find((r) => r.individualNumber === out.n)).toMatchObject({ status: 'on_loan', location: null, orderRef: 'KO-SAFE-1' });
    expect(rows.filter((r) => r.status === 'in_stock').every((r) => r.location !== null && r.orderRef === null)).toBe(true);
    const csv = traceCsv(rows);
    expect(csv.startsWith('\ufeffIndivid;Serienummer;Status;Förråd;Plats;Order;Rekond\r\n')).toBe(true);
    expect(csv).toContain(`${out.n};`);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(rows.length + 1);
    store.close();
  });
});
