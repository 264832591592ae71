/** Inspections by checklist, repair work orders with spare parts and time, field repairs, maintenance by hours, the timeline and the workshop charts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timelinePdf } from '../../documents/pdf';
import { serviceCharts } from '../../db/service/charts';
import { checklistFor } from '../../db/service/checklists';
import { openServiceJob, serviceStep, technicianBoard } from '../../db/service/jobs';
import { clockState, type Priority } from '../../db/service/levels';
import { maintenanceBlock, maintenanceDueList, recordHours, signOffMaintenance } from '../../db/service/maintenance';
import { individualTimeline } from '../../db/service/timeline';
import { addWorkTime, closeWorkOrder, openWorkOrder, openWorkOrderFor, returnSparePart, useSparePart, workOrderById, workOrderParts, writeActions } from '../../db/service/workorders';
import { postMovements } from '../../db/stock/ledger';
import { returnIndividual } from '../../db/workflows/returns';
import { queries, tinyStore } from '../helpers';

function setUp() {
  const store = tinyStore();
  const { one } = queries(store);
  const st = one<{ id: string; site_id: string }>('select id, site_id from station');
  const tech = one<{ id: string }>("select id from users where role = 'technician' order by name limit 1").id;
  const actor = { stationId: st.id, userId: tech, siteId: st.site_id };
  const shelf = one<{ id: string }>("select id from locations where site_id = ? and kind = 'shelf' and level = 'bin' limit 1", st.site_id).id;
  const part = one<{ id: string; location_id: string; quantity: number }>(
    "select a.id, b.location_id, b.quantity from articles a join balances b on b.article_id = a.id join locations l on l.id = b.location_id where l.kind = 'spare_parts' and a.name like '%länkhjul%'",
  );
  /** An individual in stock here that is lent out and comes back, washed and ready to be inspected. */
  const cleanedDevice = (iso = '12') => {
    const ind = one<{ id: string; article_id: string; location_id: string; n: string }>(
      `select i.id, i.article_id, i.location_id, i.individual_number as n from individuals i join articles a on a.id = i.article_id
       where i.site_id = ? and i.status = 'in_stock' and a.iso_code like ? || '%' and not exists (select 1 from service_jobs j where j.individual_id = i.id and j.closed_at is null) limit 1`,
      st.site_id,
      iso,
    );
    postMovements(store, actor, [{ articleId: ind.article_id, individualId: ind.id, fromLocationId: ind.location_id, quantity: 1, reason: 'delivery', orderRef: 'KO-REP-1' }], 'kiosk');
    returnIndividual(store, actor, { individualId: ind.id, missing: [], priority: 'urgent' });
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'send_to_cleaning' } });
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'clean' }, detail: { cabinet: 'Disk 2', method: 'Termisk 90 °C' } });
    return ind;
  };
  const answers = (articleId: string, failed: Record<string, string> = {}) =>
    checklistFor(store, articleId)!.questions.map((q) => ({ questionId: q.id, ok: !(q.id in failed), note: failed[q.id] ?? null }));
  return { store, one, st, actor, tech, shelf, part, cleanedDevice, answers };
}

describe('inspection by checklist', () => {
  it('takes the most specific checklist, wants every point answered and a note for each fault, and lets the answers decide', () => {
    const { store, actor, cleanedDevice, answers } = setUp();
    const ind = cleanedDevice('120606'); // a rollator
    const list = checklistFor(store, ind.article_id)!;
    expect(list.name).toBe('Rollator');
    expect(list.questions.map((q) => q.id)).toContain('brakes');

    expect(() => serviceStep(store, actor, { individualId: ind.id, action: { kind: 'inspect', passed: true }, answers: answers(ind.article_id).slice(1) })).toThrowError(
      expect.objectContaining({ code: 'inspection.unanswered' }),
    );
    const faultWithoutNote = answers(ind.article_id).map((a) => (a.questionId === 'brakes' ? { ...a, ok: false } : a));
    expect(() => serviceStep(store, actor, { individualId: ind.id, action: { kind: 'inspect', passed: true }, answers: faultWithoutNote })).toThrowError(
      expect.objectContaining({ code: 'inspection.note_needed' }),
    );
    // Said "passed" with a fault in the answers: the answers decide, it needs repair.
    const job = serviceStep(store, actor, { individualId: ind.id, action: { kind: 'inspect', passed: true }, answers: answers(ind.article_id, { brakes: 'Vänster broms tar inte' }) });
    expect(job.state).toBe('needs_repair');
    store.close();
  });
});

describe('a repair in reconditioning', () => {
  it('opens a work order from the failed points, takes a spare part out of the spare-parts store, counts the time and closes with what was done', () => {
    const { store, one, actor, shelf, part, cleanedDevice, answers } = setUp();
    const ind = cleanedDevice('1222');
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'inspect', passed: false }, answers: answers(ind.article_id, { tyres: 'Punktering bak' }), hours: null });
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'start_repair' } });
    const wo = openWorkOrderFor(store, ind.id)!;
    expect(wo).toMatchObject({ origin: 'reconditioning', fault: 'Däck och lufttryck: Punktering bak', state: 'open' });
    expect(wo.number).toMatch(/^AO-[A-Z]{3}-\d{6}$/);

    const before = part.quantity;
    useSparePart(store, actor, { workOrderId: wo.id, articleId: part.id, quantity: 2 });
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', part.id, part.location_id).q).toBe(before - 2);
    expect(one('select reason, order_ref as ref, to_location_id as t from movements where article_id = ? order by rowid desc limit 1', part.id)).toEqual({ reason: 'spare_part', ref: wo.number, t: null });
    expect(() => useSparePart(store, actor, { workOrderId: wo.id, articleId: part.id, quantity: before + 1 })).toThrowError(expect.objectContaining({ code: 'workorder.no_part' }));
    expect(() => useSparePart(store, actor, { workOrderId: wo.id, articleId: ind.article_id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'workorder.not_a_part' }));
    // A part scanned by mistake goes back where it came from, and the record says so.
    const extra = useSparePart(store, actor, { workOrderId: wo.id, articleId: part.id, quantity: 1 });
    returnSparePart(store, actor, { workOrderId: wo.id, movementId: extra.movementId });
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', part.id, part.location_id).q).toBe(before - 2);
    expect(() => returnSparePart(store, actor, { workOrderId: wo.id, movementId: extra.movementId })).toThrowError(expect.objectContaining({ code: 'workorder.no_such_part' }));
    addWorkTime(store, actor, { workOrderId: wo.id, minutes: 25 });
    addWorkTime(store, actor, { workOrderId: wo.id, minutes: 10, note: 'Provkörning' });
    expect(() => addWorkTime(store, actor, { workOrderId: wo.id, minutes: -5 })).toThrowError(expect.objectContaining({ code: 'workorder.minutes' }));
    expect(workOrderById(store, wo.id).minutes).toBe(35);
    expect(workOrderParts(store, wo.id)).toEqual([expect.objectContaining({ articleId: part.id, quantity: 2, locationCode: expect.stringMatching(/-S-/) })]);

    // Finishing without saying what was done is refused and changes nothing.
    expect(() => serviceStep(store, actor, { individualId: ind.id, action: { kind: 'finish_repair' } })).toThrowError(expect.objectContaining({ code: 'workorder.actions' }));
    expect(one<{ state: string }>('select state from service_jobs where individual_id = ? and closed_at is null', ind.id).state).toBe('in_repair');
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'finish_repair' }, actions: 'Bytt båda länkhjulen' });
    expect(workOrderById(store, wo.id)).toMatchObject({ state: 'done', actions: 'Bytt båda länkhjulen' });
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'release' }, toLocationId: shelf });

    // The whole story, in order, on screen and as PDF.
    const t = individualTimeline(store, ind.id);
    const said = t.entries.map((e) => e.text.sv);
    const find = (re: RegExp) => said.findIndex((s) => re.test(s));
    const order = [/^Utlånad \(KO-REP-1\)/, /^Tillbaka/, /^I kö till disken/, /^Rengjord \(Disk 2, Termisk 90 °C\)/, /^Kontroll underkänd – Manuell rullstol/, /öppnad: Däck och lufttryck/, /reservdel 2 × .*länkhjul/i, /reservdel tillbaka, 1 × .*länkhjul/i, /25 min arbete/, /åtgärd – Bytt båda länkhjulen/, /^Friklassad/].map(find);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(t.entries.find((e) => e.text.sv.startsWith('Kontroll underkänd'))!.details.map((d) => d.sv)).toContain('Däck och lufttryck: Fel – Punktering bak');
    store.close();
  });

  it('cancels the work order when the device is scrapped instead', () => {
    const { store, actor, cleanedDevice, answers } = setUp();
    const ind = cleanedDevice('1222');
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'inspect', passed: false }, answers: answers(ind.article_id, { upholstery: 'Sönderriven' }) });
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'start_repair' } });
    const wo = openWorkOrderFor(store, ind.id)!;
    // Scrapping says why and how it is disposed of, or it does not happen.
    expect(() => serviceStep(store, actor, { individualId: ind.id, action: { kind: 'scrap' } })).toThrowError(expect.objectContaining({ code: 'service.scrap_reason' }));
    expect(workOrderById(store, wo.id).state).toBe('open');
    serviceStep(store, actor, { individualId: ind.id, action: { kind: 'scrap' }, scrap: { reason: 'Ramen sprucken', disposal: 'metal_recycling' } });
    expect(individualTimeline(store, ind.id).entries.map((e) => e.text.sv)).toContain('Kasserad: Ramen sprucken (metallåtervinning)');
    expect(workOrderById(store, wo.id).state).toBe('cancelled');
    expect(() => addWorkTime(store, actor, { workOrderId: wo.id, minutes: 5 })).toThrowError(expect.objectContaining({ code: 'workorder.closed' }));
    store.close();
  });
});

describe('repairs out in the field', () => {
  it('takes devices on loan and municipality-owned devices onto the board, with their service level', () => {
    const { store, one, st, actor } = setUp();
    const inStock = one<{ id: string }>("select id from individuals where site_id = ? and status = 'in_stock' limit 1", st.site_id).id;
    expect(() => openWorkOrder(store, actor, { origin: 'on_loan', individualId: inStock, priority: 'acute', fault: 'Laddar inte' })).toThrowError(
      expect.objectContaining({ code: 'workorder.not_on_loan' }),
    );
    expect(() => openWorkOrder(store, actor, { origin: 'municipality', priority: 'normal', fault: 'Kärvar' })).toThrowError(expect.objectContaining({ code: 'workorder.device' }));
    expect(() => openWorkOrder(store, actor, { origin: 'municipality', device: 'Duschstol', priority: 'normal', fault: '  ' })).toThrowError(expect.objectContaining({ code: 'workorder.fault' }));

    const loaned = one<{ id: string; ref: string }>(
      "select i.id, m.order_ref as ref from individuals i join movements m on m.individual_id = i.id and m.reason = 'delivery' where i.status = 'on_loan' and not exists (select 1 from work_orders w where w.individual_id = i.id) order by m.occurred_at desc limit 1",
    );
    const at = Date.now();
    const field = openWorkOrder(store, actor, { origin: 'on_loan', individualId: loaned.id, priority: 'acute', fault: 'Laddar inte', at });
    expect(field.place).toBe(loaned.ref);
    expect(() => openWorkOrder(store, actor, { origin: 'on_loan', individualId: loaned.id, priority: 'acute', fault: 'Igen' })).toThrowError(expect.objectContaining({ code: 'workorder.already_open' }));
    const own = openWorkOrder(store, actor, { origin: 'municipality', device: 'Duschtoalettstol, kommunens', owner: 'Luleå kommun', priority: 'normal', fault: 'Tippen kärvar' });

    const board = technicianBoard(store, st.site_id, at + 20 * 3_600_000, 100_000);
    const line = board.lines.find((l) => l.id === field.id)!;
    expect(line).toMatchObject({ kind: 'work_order', state: 'field_repair', clock: 'due_soon', workOrder: { number: field.number, origin: 'on_loan', place: loaned.ref } });
    expect(board.lines.find((l) => l.id === own.id)).toMatchObject({ label: 'Duschtoalettstol, kommunens', individualId: null });

    // A field order closes with what was done; the order went to the register each time it changed.
    expect(() => closeWorkOrder(store, actor, { workOrderId: field.id, outcome: 'done' })).toThrowError(expect.objectContaining({ code: 'workorder.actions' }));
    writeActions(store, actor, { workOrderId: field.id, actions: 'Bytt laddare hos brukaren' });
    closeWorkOrder(store, actor, { workOrderId: field.id, outcome: 'done' });
    expect(technicianBoard(store, st.site_id, at, 100_000).lines.some((l) => l.id === field.id)).toBe(false);
    const sent = store.sqlite.prepare("select payload from outbox where kind = 'entities' order by seq").all() as { payload: string }[];
    const last = sent.map((s) => JSON.parse(s.payload) as { changes: [string, string, Record<string, unknown>][] }).flatMap((p) => p.changes).filter((e) => e[1] === field.id).at(-1)!;
    expect(last[0]).toBe('work_order');
    expect(last[2]).toMatchObject({ state: 'done', actions: 'Bytt laddare hos brukaren', number: field.number });
    store.close();
  });

  it('orders the board by the same clock the service levels use, whatever the time', () => {
    const { store, one, st, actor } = setUp();
    store.sqlite.prepare('update service_jobs set closed_at = 1 where closed_at is null').run();
    store.sqlite.prepare("update work_orders set state = 'done'").run();
    const inds = store.sqlite.prepare('select id from individuals limit 6').all() as { id: string }[];
    const t0 = new Date('2026-12-21T08:00:00').getTime(); // the week before Christmas
    const arrivals = inds.map((i, n) => {
      const priority = (['acute', 'urgent', 'normal'] as Priority[])[n % 3]!;
      const at = t0 + n * 7 * 3_600_000;
      openServiceJob(store, actor, { individualId: i.id, priority, at });
      return { id: i.id, priority, at };
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * 24 }), (h) => {
        const now = t0 + h * 3_600_000;
        const board = technicianBoard(store, st.site_id, now);
        for (const a of arrivals) expect(board.lines.find((l) => l.individualId === a.id)!.clock).toBe(clockState(a.priority, a.at, now, {}));
        const rank = { breached: 0, due_soon: 1, ok: 2, met: 3 };
        const ranks = board.lines.map((l) => rank[l.clock]);
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      }),
      { numRuns: 60 },
    );
    expect(one<{ n: number }>('select count(*) as n from service_jobs where closed_at is null').n).toBe(6);
    store.close();
  });
});

describe('maintenance by operating hours', () => {
  it('falls due by the meter, blocks the device, and needs a reading to be signed off', () => {
    const { store, one, st, actor, tech } = setUp();
    // A device in stock here gets a plan by operating hours for its article, and the technician the training for it.
    const ind = one<{ id: string; n: string; iso: string }>(
      "select i.id, i.individual_number as n, a.iso_code as iso from individuals i join articles a on a.id = i.article_id where i.site_id = ? and i.status = 'in_stock' limit 1",
      st.site_id,
    );
    const plan = 'hours-plan';
    store.sqlite.prepare("insert into maintenance_plans (id, name, iso_prefix, interval_hours) values (?, 'Service var 500:e drifttimme', ?, 500)").run(plan, ind.iso);
    store.sqlite.prepare('insert or ignore into technician_training (user_id, iso_prefix) values (?, ?)').run(tech, ind.iso);
    store.sqlite.prepare('delete from maintenance_records where individual_id = ?').run(ind.id);
    store.sqlite.prepare('delete from hour_readings where individual_id = ?').run(ind.id);
    recordHours(store, actor, { individualId: ind.id, hours: 300, at: Date.now() - 86_400_000 });
    expect(maintenanceBlock(store, ind.id)).toBeNull();
    expect(() => recordHours(store, actor, { individualId: ind.id, hours: 250 })).toThrowError(expect.objectContaining({ code: 'maintenance.hours_back' }));
    recordHours(store, actor, { individualId: ind.id, hours: 490 });
    expect(maintenanceBlock(store, ind.id)?.sv).toBe(`${ind.n}: Service var 500:e drifttimme ska göras inom 10 drifttimmar. Den lämnas inte ut förrän den är gjord; välj en annan.`);
    expect(maintenanceDueList(store, st.site_id, Date.now()).find((d) => d.individualId === ind.id)).toMatchObject({ hoursLeft: 10, dueAt: null });
    expect(() => signOffMaintenance(store, { userId: tech }, { individualId: ind.id, planId: plan })).toThrowError(expect.objectContaining({ code: 'maintenance.hours_needed' }));
    signOffMaintenance(store, { userId: tech }, { individualId: ind.id, planId: plan, hours: 495 });
    expect(maintenanceBlock(store, ind.id)).toBeNull();
    expect(individualTimeline(store, ind.id).entries.at(-1)!.text.sv).toBe('Underhåll signerat: Service var 500:e drifttimme, 495 h');
    store.close();
  });
});

describe('the timeline as PDF', () => {
  it('is a PDF of the individual, with every event, over as many pages as it takes', async () => {
    const { store, one } = setUp();
    const ind = one<{ id: string }>('select individual_id as id from movements where individual_id is not null group by individual_id order by count(*) desc limit 1').id;
    const t = individualTimeline(store, ind);
    const many = { ...t, entries: Array.from({ length: 8 }, () => t.entries).flat() };
    const pdf = await timelinePdf(many, 'sv');
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toBe(`${t.individualNumber} ${t.articleName}`);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    store.close();
  });
});

describe('the workshop charts', () => {
  it('count releases, scraps and breaches per week, the queue by state and age, and the scrap rate per article', () => {
    const { store, one, st, actor } = setUp();
    // The demo's own jobs and orders are long closed, so only these count.
    const now = new Date('2026-11-25T12:00:00').getTime(); // a Wednesday
    store.sqlite.prepare('update service_jobs set done_at = 1, closed_at = 1, breached_at = null').run();
    store.sqlite.prepare("update work_orders set state = 'done', breached_at = null").run();
    const a = one<{ id: string }>("select article_id as id from individuals group by article_id having count(*) >= 4 limit 1").id;
    const inds = store.sqlite.prepare('select id from individuals where article_id = ? limit 4').all(a) as { id: string }[];
    const ins = store.sqlite.prepare(
      'insert into service_jobs (id, individual_id, article_id, site_id, state, priority, arrived_at, due_at, started_at, done_at, breached_at, closed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const day = 86_400_000;
    ins.run('j1', inds[0]!.id, a, st.site_id, 'ready', 'normal', now - 10 * day, now - 7 * day, now - 9 * day, now - 8 * day, null, now - 8 * day); // last week (Mon 16th–)
    ins.run('j2', inds[1]!.id, a, st.site_id, 'scrapped', 'urgent', now - 9 * day, now - 6 * day, now - 9 * day, now - 1 * day, now - 6 * day, now - 1 * day); // this week; breached last week
    ins.run('j3', inds[2]!.id, a, st.site_id, 'ready', 'normal', now - 2 * day, now + day, now - 2 * day, now - 1 * day, null, now - 1 * day); // this week
    ins.run('j4', inds[3]!.id, a, st.site_id, 'cleaned', 'acute', now - 5 * day, now - 4 * day, now - 5 * day, null, null, null); // open, 5 days old
    openWorkOrder(store, actor, { origin: 'municipality', device: 'Kommunens rullator', priority: 'normal', fault: 'Broms', at: now - 3_600_000 });
    const c = serviceCharts(store, st.site_id, { weeks: 4, now });
    expect(c.weeks.map((w) => w.week)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(c.weeks.map((w) => [w.ready, w.scrapped, w.breaches])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [1, 0, 1],
      [1, 1, 0],
    ]);
    expect(c.queue).toEqual(
      expect.arrayContaining([
        { state: 'cleaned', count: 1, meanHours: 120, oldestHours: 120 },
        { state: 'field_repair', count: 1, meanHours: 1, oldestHours: 1 },
      ]),
    );
    expect(c.ages).toEqual([1, 0, 1, 0, 0]);
    expect(c.scrap).toEqual([{ articleId: a, articleName: expect.any(String), done: 3, scrapped: 1, rate: 1 / 3 }]);
    store.close();
  });
});
