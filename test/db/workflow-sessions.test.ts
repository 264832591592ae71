/**
 * The workflow sessions on a real station database: steps post through the ledger with their audit
 * entries, the session and its undo survive a restart of the station, a refused step keeps
 * nothing, and scans find their session: a screen's to its user's open workflow, a scanner's to
 * the open workflow of the user last active here while signed in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import type { StationDb } from '../../db/open';
import type { WorkflowView } from '../../db/workflows/machines/table';
import { addToPallet, closePallet, openPallet } from '../../db/workflows/pallets';
import { pick } from '../../db/workflows/picking';
import { receive } from '../../db/workflows/receiving';
import { activeWorkflow, openWorkflow, workflowInput, workflowView } from '../../db/workflows/sessions';
import { uuidv7 } from '../../db/ids';
import { toScan } from '../../vocabulary/codes/scan';
import { atTinyStation, signedIn, tinyStore, scanOf, restarted, workerAtTinyStation } from '../helpers';

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** A purchase order line of an article counted by quantity (not rentable, no lot). */
function bulkLine(store: StationDb) {
  return store.sqlite
    .prepare(
      `select p.po_number as po, a.article_number as article, a.id as articleId from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id
       join articles a on a.id = l.article_id where a.rentable = 0 and a.tracking = 'none' order by p.po_number, l.line_no limit 1`,
    )
    .get() as { po: string; article: string; articleId: string };
}

describe('workflow sessions in the station database', () => {
  it('receives through the ledger with its audit entry, and resumes after a restart at the same step with the same undo', () => {
    const { s, actor } = atTinyStation();
    let store = s;
    const one = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).get(...args) as T;
    const line = bulkLine(store);
    const now = Date.now();
    let view = openWorkflow(store, actor, 'receipt', now).view as WorkflowView<'receipt'>;
    expect(view.prompt.sv).toContain('Skanna inköpsordern');
    view = workflowInput(store, actor, 'receipt', scanOf(store, line.po), now).view as WorkflowView<'receipt'>;
    expect(view.state.order?.poNumber).toBe(line.po);
    const before = view.state.order!.lines.find((l) => l.articleId === line.articleId)!.received;
    workflowInput(store, actor, 'receipt', { kind: 'quantity', quantity: 3 }, now);
    const ran = workflowInput(store, actor, 'receipt', scanOf(store, line.article), now);
    view = ran.view as WorkflowView<'receipt'>;
    expect(ran.posted).toHaveLength(1);
    expect(ran.posted[0]).toMatchObject({ reason: 'receipt', articleId: line.articleId, quantity: 3, orderRef: line.po, userId: actor.userId });
    expect(view.state.order!.lines.find((l) => l.articleId === line.articleId)!.received).toBe(before + 3);
    expect(view.canUndo).toBe(true);
    expect(one('select count(*) as n from audit_log where action = ? and entity = ? and user_id = ?', 'receiving.receive', 'workflow', actor.userId)).toEqual({ n: 1 });

    // The station restarts: the session is where it was, undo and all.
    store = restarted(store, stores);
    const resumed = workflowView(store, actor.userId, 'receipt') as WorkflowView<'receipt'>;
    expect(resumed).toMatchObject({ workflow: 'receipt', open: true, canUndo: true, state: { order: { poNumber: line.po }, quantity: 3 } });
    expect(resumed.feedback).toEqual(view.feedback);
    view = openWorkflow(store, actor, 'receipt', now + 1).view as WorkflowView<'receipt'>;
    expect(view.state.order!.lines.find((l) => l.articleId === line.articleId)!.received).toBe(before + 3);
    view = workflowInput(store, actor, 'receipt', scanOf(store, 'CMD-UNDO'), now + 2).view as WorkflowView<'receipt'>;
    expect(view.feedback?.message.sv).toBe('Ångrat: 3 st A100012 ut ur lagret.');
    expect(view.canUndo).toBe(false);
    expect(view.state.order!.lines.find((l) => l.articleId === line.articleId)!.received).toBe(before);
    expect(one("select count(*) as n from movements where reason = 'correction' and order_ref = ?", line.po)).toEqual({ n: 1 });
  });

  it('a step the core refuses keeps nothing: no movement, nothing to undo, the worker told why and still at the step', () => {
    const { s, one, actor } = atTinyStation();
    stores.push(s);
    const ind = one<{ n: string }>("select i.individual_number as n from individuals i join locations l on l.id = i.location_id where i.status = 'in_stock' and l.site_id = ? limit 1", actor.siteId);
    const elsewhere = one<{ code: string }>("select code from locations where site_id <> ? and level = 'bin' and retired_at is null order by code limit 1", actor.siteId).code;
    const movements = () => one<{ n: number }>('select count(*) as n from movements').n;
    const now = Date.now();
    openWorkflow(s, actor, 'move', now);
    workflowInput(s, actor, 'move', scanOf(s, ind.n), now);
    const count = movements();
    const view = workflowInput(s, actor, 'move', scanOf(s, elsewhere), now).view as WorkflowView<'move'>;
    expect(view.feedback).toMatchObject({ kind: 'error', message: { sv: expect.stringContaining('hör till ett annat förråd') } });
    expect(view.state.item?.label).toBe(ind.n);
    expect(view.canUndo).toBe(false);
    expect(movements()).toBe(count);
  });

  it('routes a scanner of the station to the user who last opened or used a workflow while signed in', () => {
    const { s, actor } = atTinyStation();
    stores.push(s);
    const other = s.sqlite.prepare("select id from users where role = 'warehouse_worker' and id <> ? limit 1").get(actor.userId) as { id: string };
    const now = Date.now();
    openWorkflow(s, actor, 'receipt', now);
    openWorkflow(s, { ...actor, userId: other.id }, 'putaway', now + 10);
    expect(activeWorkflow(s, () => true)).toEqual({ userId: other.id, workflow: 'putaway' });
    expect(activeWorkflow(s, (u) => u === actor.userId)).toEqual({ userId: actor.userId, workflow: 'receipt' });
    // Opening another workflow is where the user's scans go from then on; only one is open per user.
    openWorkflow(s, actor, 'pick', now + 20);
    expect(activeWorkflow(s, () => true)).toEqual({ userId: actor.userId, workflow: 'pick' });
    expect(s.sqlite.prepare('select count(*) as n from workflow_sessions where user_id = ? and open = 1').get(actor.userId)).toEqual({ n: 1 });
    expect(activeWorkflow(s, () => false)).toBeNull();
  });
});

let refills = 0;

/** A refill pallet of `quantity` units picked and shipped from the station's site to a depot, and the station then set up as that depot's. */
function refillPallet(store: StationDb, quantity: number) {
  const one = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).get(...args) as T;
  const st = one<{ id: string; site_id: string }>('select id, site_id from station');
  const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
  const actor = { stationId: st.id, userId: user, siteId: st.site_id };
  const bulk = one<{ articleId: string; locationId: string; number: string }>(
    `select b.article_id as articleId, b.location_id as locationId, a.article_number as number from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and l.level = 'bin' and b.lot = '' and b.quantity >= ? and a.tracking = 'none' and not exists (select 1 from individuals i where i.article_id = a.id) limit 1`,
    st.site_id,
    quantity,
  );
  const depot = one<{ id: string; name: string }>("select id, name from sites where kind <> 'central_store' order by code limit 1");
  const orderId = uuidv7();
  const orderRef = `KO-${7_700_000 + ++refills}`;
  store.sqlite
    .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id, to_site_id) values (?, ?, 'KST-1', ?, 'X', 'Rutt', '2026-11-26', ?, ?, ?)")
    .run(orderId, orderRef, depot.name, Date.parse('2026-11-16T08:00:00'), st.site_id, depot.id);
  store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, ?)').run(uuidv7(), orderId, bulk.articleId, quantity);
  pick(store, actor, { orderRef, articleId: bulk.articleId, fromLocationId: bulk.locationId, quantity });
  const p = openPallet(store, actor, { route: 'Rutt', deliveryDay: '2026-11-26', deliveryPoint: depot.name, municipality: 'X' });
  addToPallet(store, actor, { palletId: p.id, articleId: bulk.articleId, quantity });
  closePallet(store, actor, p.id);
  store.sqlite.prepare('update station set site_id = ?').run(depot.id);
  const shelf = one<{ code: string }>("select code from locations where site_id = ? and kind in ('shelf', 'rack', 'floor') and level = 'bin' order by code limit 1", depot.id).code;
  return { sscc: p.sscc, article: bulk.number, shelf, actor: { ...actor, siteId: depot.id } };
}

describe('the depot workflows as sessions', () => {
  it('a restocking run resumes after a restart with its undo, and DONE records what was short', () => {
    let store = tinyStore();
    stores.push(store);
    const r = refillPallet(store, 5);
    const now = Date.now();
    type V = WorkflowView<'restock'>;
    const input = (raw: string) => workflowInput(store, r.actor, 'restock', scanOf(store, raw), now).view as V;
    openWorkflow(store, r.actor, 'restock', now);
    expect(input(r.sscc).feedback?.message.sv).toBe(`Pall ${r.sscc}: skanna en hylla.`);
    expect(input(r.article).feedback?.message.sv).toBe('Skanna hyllan du ställer varorna på.');
    input(r.shelf);
    input(r.article);
    input(r.article);
    let view = input(r.article);
    expect(view.feedback?.message.sv).toBe(`${r.article} på ${r.shelf}: 3 av 5.`);
    expect(view.state.report?.lines[0]).toMatchObject({ expected: 5, received: 3 });

    store = restarted(store, stores);
    view = openWorkflow(store, r.actor, 'restock', now).view as V;
    expect(view).toMatchObject({ canUndo: true, state: { shelf: { code: r.shelf }, report: { lines: [{ received: 3 }] } } });
    expect(view.prompt.sv).toContain(`Skanna varorna du ställer på ${r.shelf}`);
    view = workflowInput(store, r.actor, 'restock', { kind: 'command', command: 'undo' }, now).view as V;
    expect(view.state.report?.lines[0]).toMatchObject({ received: 2 });
    expect(view.feedback?.message.sv).toBe(`Ångrat: 1 st ${r.article} tillbaka på pallen.`);
    view = input('CMD-DONE');
    expect(view.feedback).toMatchObject({ kind: 'warn', message: { sv: `Pall ${r.sscc} är mottagen med avvikelser. De syns här och i Boden.` } });
    expect(view.state.report?.pallet).toMatchObject({ state: 'received', items: [{ receivedState: 'missing' }] });
  });

  it('a pallet taken in at a depot: all at once, then a line reported missing; a received pallet has nothing to undo', () => {
    const store = tinyStore();
    stores.push(store);
    const r = refillPallet(store, 4);
    const now = Date.now();
    type V = WorkflowView<'pallet-receipt'>;
    openWorkflow(store, r.actor, 'pallet-receipt', now);
    let view = workflowInput(store, r.actor, 'pallet-receipt', scanOf(store, r.article), now).view as V;
    expect(view.feedback?.message.sv).toBe('Skanna SSCC-koden på pallens etikett.');
    view = workflowInput(store, r.actor, 'pallet-receipt', scanOf(store, `]C100${r.sscc}`), now).view as V;
    expect(view.feedback?.message.sv).toBe(`Pall ${r.sscc} mottagen: 1 rad. Kontrollera och rapportera det som saknas.`);
    expect(view.canUndo).toBe(false);
    const item = view.state.pallet!.items[0]!;
    view = workflowInput(store, r.actor, 'pallet-receipt', { kind: 'missing', itemId: item.id }, now).view as V;
    expect(view.feedback).toMatchObject({ kind: 'warn', message: { sv: 'Raden är rapporterad som saknad.' } });
    expect(view.state.pallet?.items[0]?.receivedState).toBe('missing');
    view = workflowInput(store, r.actor, 'pallet-receipt', { kind: 'command', command: 'undo' }, now).view as V;
    expect(view.feedback?.message.sv).toBe('Det finns inget att ångra.');
    // Scanned again, it is refused: a pallet is received once.
    view = workflowInput(store, r.actor, 'pallet-receipt', scanOf(store, r.sscc), now).view as V;
    expect(view.feedback?.message.sv).toContain('En pall tas emot en gång.');
  });
});

describe('workflow sessions through the API', () => {
  it('a screen opens a session; its scans and a serial scanner’s go to it; signed out, the scanner’s do not', async () => {
    const { store, api, events, worker } = await workerAtTinyStation(stores);
    const line = bulkLine(store);
    const states = () => events.flatMap((e) => (e.type === 'workflow.state' ? [e.view] : []));

    const opened = await worker.call('workflow.open', { workflow: 'receipt' });
    expect(opened).toMatchObject({ ok: true, value: { workflow: 'receipt', userId: worker.user.id, open: true } });
    const submitted = await worker.call('scan.submit', { raw: line.po });
    expect(submitted).toMatchObject({ ok: true, value: { workflow: 'receipt', resolution: { kind: 'order', ref: line.po } } });
    expect(states().at(-1)).toMatchObject({ userId: worker.user.id, state: { order: { poNumber: line.po } } });

    // A serial scanner at the station: the article goes to the same session, and is received.
    const scan = api.scanning.accept(toScan(line.article, 'serial', '/dev/ttyS0'));
    expect(scan.workflow).toBe('receipt');
    expect(states().at(-1)).toMatchObject({ canUndo: true, feedback: { kind: expect.stringMatching(/ok|warn/) } });
    expect(events.some((e) => e.type === 'stock.changed' && e.articleIds.includes(line.articleId))).toBe(true);
    // A screen's quantity, and undo from the screen's button.
    expect(await worker.call('workflow.input', { workflow: 'receipt', input: { kind: 'quantity', quantity: 2 } })).toMatchObject({ ok: true, value: { state: { quantity: 2 } } });
    const undone = await worker.call('workflow.input', { workflow: 'receipt', input: { kind: 'command', command: 'undo' } });
    expect(undone).toMatchObject({ ok: true, value: { canUndo: false, feedback: { message: { sv: 'Ångrat: 1 st A100012 ut ur lagret.' } } } });
    // The scans and the session's own writes are no call entries in the trail; the receipt and its undo are.
    const actions = (store.sqlite.prepare('select action from audit_log where user_id = ? order by rowid').all(worker.user.id) as { action: string }[]).map((r) => r.action);
    expect(actions).toContain('receiving.receive');
    expect(actions).toContain('undo');
    expect(actions.filter((a) => a.startsWith('scan.') || a.startsWith('workflow.'))).toEqual([]);

    // Left the screen: the session waits, and scans are no longer taken.
    expect(await worker.call('workflow.close', { workflow: 'receipt' })).toMatchObject({ ok: true, value: { open: false } });
    expect(api.scanning.accept(toScan(line.article, 'serial', '/dev/ttyS0')).workflow).toBeNull();
    expect(await worker.call('workflow.state', { workflow: 'receipt' })).toMatchObject({ ok: true, value: { open: false, state: { order: { poNumber: line.po } } } });

    // Open again, then signed out: the station's scanner feeds nobody's session.
    await worker.call('workflow.open', { workflow: 'receipt' });
    expect(api.scanning.accept(toScan('CMD-CANCEL', 'serial', '/dev/ttyS0')).workflow).toBe('receipt');
    await worker.call('auth.signOut', {});
    expect(api.scanning.accept(toScan(line.po, 'serial', '/dev/ttyS0')).workflow).toBeNull();
    // Signed in again, their workflow waits where it was, but takes no scans until it is opened.
    const again = await signedIn(api, 'warehouse_worker');
    expect(api.scanning.accept(toScan(line.po, 'serial', '/dev/ttyS0')).workflow).toBeNull();
    expect(await again.call('workflow.state', { workflow: 'receipt' })).toMatchObject({ ok: true, value: { open: false, feedback: { message: { sv: 'Inleveransen är avslutad.' } } } });
    expect(await again.call('workflow.open', { workflow: 'receipt' })).toMatchObject({ ok: true, value: { open: true } });
    expect(api.scanning.accept(toScan(line.po, 'serial', '/dev/ttyS0')).workflow).toBe('receipt');
  });

  it('refuses from a scan what the direct calls refuse, trusts no saved undo but its own kinds, and leaves a kiosk\'s scanner alone', async () => {
    let now = Date.parse('2026-12-02T09:00:00Z');
    const store = tinyStore();
    stores.push(store);
    const api = createApi(store, { now: () => now });
    const worker = await signedIn(api, 'warehouse_worker');
    const line = bulkLine(store);
    const gtin = (store.sqlite.prepare('select gtin from article_gtins where article_id = ?').get(line.articleId) as { gtin: string } | undefined)?.gtin;
    const movements = () => (store.sqlite.prepare('select count(*) as n from movements').get() as { n: number }).n;
    await worker.call('workflow.open', { workflow: 'receipt' });
    await worker.call('scan.submit', { raw: line.po });

    // A count of 500,000 read from a GS1 code: refused like the direct call, nothing posted.
    expect(gtin).toBeDefined();
    const atStart = movements();
    await worker.call('scan.submit', { raw: `]C101${gtin}30500000` });
    expect(await worker.call('workflow.state', { workflow: 'receipt' })).toMatchObject({ ok: true, value: { canUndo: false, feedback: { kind: 'error' } } });
    expect(movements()).toBe(atStart);

    // A saved undo entry of any other kind (a tampered row) is never carried out: the session starts afresh.
    await worker.call('scan.submit', { raw: line.article });
    expect(await worker.call('workflow.state', { workflow: 'receipt' })).toMatchObject({ ok: true, value: { canUndo: true } });
    const row = store.sqlite.prepare("select session from workflow_sessions where user_id = ? and workflow = 'receipt'").get(worker.user.id) as { session: string };
    const saved = JSON.parse(row.session) as { undo: unknown[] };
    saved.undo.push({ effect: { kind: 'receive', poNumber: line.po, articleId: line.articleId, quantity: 99_999, lot: null, expiresOn: null, serialNumber: null, udi: null } });
    store.sqlite.prepare("update workflow_sessions set session = ? where user_id = ? and workflow = 'receipt'").run(JSON.stringify(saved), worker.user.id);
    const before = movements();
    await worker.call('workflow.input', { workflow: 'receipt', input: { kind: 'command', command: 'undo' } });
    expect(movements()).toBe(before);

    // Scans from the station's scanner keep nobody signed in: past the idle time the session has ended.
    await worker.call('workflow.open', { workflow: 'receipt' });
    for (let minute = 0; minute < 20; minute += 5) {
      now += 5 * 60_000;
      api.scanning.accept(toScan('CMD-CANCEL', 'serial', '/dev/ttyS0'));
    }
    expect(await worker.call('auth.me', {})).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });

    // A kiosk's scanner serves the person at the kiosk only, never a staff member's open workflow.
    const other = await signedIn(api, 'warehouse_worker');
    await other.call('workflow.open', { workflow: 'receipt' });
    expect(api.scanning.accept(toScan(line.po, 'serial', '/dev/ttyS0')).workflow).toBe('receipt');
    const boss = await signedIn(api, 'supervisor');
    expect(await boss.call('kiosk.configure', { enabled: true, idleSeconds: 120 })).toMatchObject({ ok: true });
    expect(api.scanning.accept(toScan(line.po, 'serial', '/dev/ttyS0')).workflow).toBeNull();
  });

  it('keeps no lot, serial number or UDI longer than a receipt takes, whichever way it arrives', () => {
    const { s: store, actor } = atTinyStation();
    const tracked = store.sqlite
      .prepare(
        `select p.po_number as po, a.id as articleId from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id
         join articles a on a.id = l.article_id where a.rentable = 1 limit 1`,
      )
      .get() as { po: string; articleId: string } | undefined;
    expect(tracked).toBeDefined();
    expect(() => receive(store, actor, { poNumber: tracked!.po, articleId: tracked!.articleId, quantity: 1, lot: null, expiresOn: null, serialNumber: 'S1', udi: 'U'.repeat(121) })).toThrowError(
      expect.objectContaining({ code: 'receiving.code_too_long' }),
    );
  });

  it('refuses a command pressed on a screen that was behind: a scan at the scanner came first, nothing is undone', async () => {
    const store = tinyStore();
    stores.push(store);
    const api = createApi(store);
    const worker = await signedIn(api, 'warehouse_worker');
    const line = bulkLine(store);
    const movements = () => (store.sqlite.prepare('select count(*) as n from movements').get() as { n: number }).n;
    await worker.call('workflow.open', { workflow: 'receipt' });
    await worker.call('scan.submit', { raw: line.po });
    await worker.call('scan.submit', { raw: line.article });
    const shown = (await worker.call('workflow.state', { workflow: 'receipt' })) as { ok: true; value: WorkflowView<'receipt'> };
    // The station's scanner receives once more; the screen has not shown it yet when undo is pressed there.
    expect(api.scanning.accept(toScan(line.article, 'serial', '/dev/ttyS0')).workflow).toBe('receipt');
    const before = movements();
    const late = await worker.call('workflow.input', { workflow: 'receipt', input: { kind: 'command', command: 'undo' }, seen: shown.value.rev });
    expect(late).toMatchObject({ ok: false, error: { code: 'workflow.stale', message: { sv: 'Skärmen låg efter: något hände under tiden. Titta på skärmen och försök igen.' } } });
    expect(movements()).toBe(before);
    // Looking again, the undo takes back the scan the worker now sees.
    const now = (await worker.call('workflow.state', { workflow: 'receipt' })) as { ok: true; value: WorkflowView<'receipt'> };
    expect(await worker.call('workflow.input', { workflow: 'receipt', input: { kind: 'command', command: 'undo' }, seen: now.value.rev })).toMatchObject({ ok: true, value: { feedback: { message: { sv: 'Ångrat: 1 st A100012 ut ur lagret.' } } } });
    expect(movements()).toBe(before + 1);
  });

  it('refuses a workflow the role may not use, and an unknown workflow', async () => {
    const store = tinyStore();
    stores.push(store);
    const api = createApi(store);
    const worker = await signedIn(api, 'warehouse_worker');
    expect(await worker.call('workflow.open', { workflow: 'counting' } as never)).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });
    expect(await worker.call('workflow.input', { workflow: 'receipt', input: { kind: 'scan', text: 'IO-0000001' } } as never)).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });
  });
});
