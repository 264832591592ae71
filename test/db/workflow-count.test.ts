/**
 * Counting as a session in the core, on a real station database: a location begun by its scan,
 * articles and individuals counted by scanning (a typed quantity for the next article only), undo
 * of the last scan, a restart in the middle, the location finished by CMD-DONE, and the recount
 * rule of the core (another counter) holding for a session as for a call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planCount } from '../../db/counts/plan';
import type { StationDb } from '../../db/open';
import type { WorkflowView } from '../../db/workflows/machines/table';
import { openWorkflow, workflowInput, workflowView } from '../../db/workflows/sessions';
import { queries, tinyStore, scanOf, restarted } from '../helpers';

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function setUp() {
  const store = tinyStore();
  stores.push(store);
  const q = queries(store);
  const st = q.one<{ id: string; site_id: string }>('select id, site_id from station');
  const [first, second] = q.all<{ id: string }>("select id from users where role in ('warehouse_worker', 'supervisor') and active = 1 order by name limit 2");
  const counter = { stationId: st.id, userId: first!.id, siteId: st.site_id };
  const other = { ...counter, userId: second!.id };
  // A shelf with an article counted by quantity, and a device on it.
  const loc = q.one<{ id: string; code: string }>(
    `select l.id, l.code from locations l where l.site_id = ? and l.retired_at is null
     and exists (select 1 from balances b join articles a on a.id = b.article_id where b.location_id = l.id and a.rentable = 0 and a.tracking = 'none' and b.quantity > 2) order by l.code limit 1`,
    st.site_id,
  );
  const art = q.one<{ id: string; number: string; q: number }>(
    `select a.id, a.article_number as number, b.quantity as q from balances b join articles a on a.id = b.article_id
     where b.location_id = ? and a.rentable = 0 and a.tracking = 'none' and b.quantity > 2 order by a.article_number limit 1`,
    loc.id,
  );
  const device = q.one<{ id: string; n: string }>("select id, individual_number as n from individuals where site_id = ? and status = 'in_stock' order by individual_number limit 1", st.site_id);
  return { store, q, counter, other, loc, art, device };
}

const v = (ran: { view: unknown }) => ran.view as WorkflowView<'count'>;

describe('counting as a session in the core', () => {
  it('counts a location by scanning, undoes the last scan, resumes after a restart, and finishes by CMD-DONE', () => {
    const { store: s, q, counter, loc, art, device } = setUp();
    let store = s;
    const c = planCount(store, counter, { kind: 'spot', locationIds: [loc.id], thresholdQuantity: 100_000, thresholdValue: 1_000_000_000 });
    const now = Date.now();
    let view = v(openWorkflow(store, counter, 'count', now));
    expect(view.prompt.sv).toBe('Öppna en inventering.');
    view = v(workflowInput(store, counter, 'count', { kind: 'count', countId: c.id }, now));
    expect(view.state.count).toEqual({ id: c.id, number: c.number });
    expect(view.prompt.sv).toBe('Skanna en plats att räkna.');
    // Goods before the location: refused, nothing written.
    view = v(workflowInput(store, counter, 'count', scanOf(store, art.number), now));
    expect(view.feedback).toMatchObject({ kind: 'error', message: { sv: 'Skanna platsen du räknar först.' } });
    expect(q.one<{ n: number }>('select count(*) as n from count_scans where count_id = ?', c.id).n).toBe(0);

    view = v(workflowInput(store, counter, 'count', scanOf(store, loc.code), now));
    expect(view.state.at).toMatchObject({ locationId: loc.id, state: 'counting', scans: [] });
    expect(view.feedback?.message.sv).toBe(`Räknar ${loc.code}.`);
    // A typed quantity goes with the next article scan only.
    workflowInput(store, counter, 'count', { kind: 'quantity', quantity: art.q }, now);
    view = v(workflowInput(store, counter, 'count', scanOf(store, art.number), now));
    expect(view.state.at?.scans.map((x) => x.quantity)).toEqual([art.q]);
    expect(view.state.quantity).toBeNull();
    view = v(workflowInput(store, counter, 'count', scanOf(store, device.n), now));
    expect(view.state.at?.scans.map((x) => x.individualNumber)).toEqual([null, device.n]);
    view = v(workflowInput(store, counter, 'count', scanOf(store, art.number), now));
    expect(view.state.at?.scans.map((x) => x.quantity)).toEqual([art.q, 1, 1]);
    // One too many: CMD-UNDO takes back the last scan, and the list is read again.
    view = v(workflowInput(store, counter, 'count', scanOf(store, 'CMD-UNDO'), now));
    // It says what it took back.
    expect(view.feedback?.message.sv).toMatch(new RegExp(`^Ångrat: 1 st .+ räknas inte på ${loc.code}\\.$`));
    expect(view.state.at?.scans.map((x) => x.quantity)).toEqual([art.q, 1]);
    expect(q.one<{ n: number }>('select count(*) as n from count_scans where count_id = ?', c.id).n).toBe(2);
    expect(q.one<{ n: number }>("select count(*) as n from audit_log where action = 'count.undoScan' and user_id = ?", counter.userId).n).toBe(1);

    // The station restarts mid-location: the same location, the same scans, the same undo.
    store = restarted(store, stores);
    const resumed = workflowView(store, counter.userId, 'count') as WorkflowView<'count'>;
    expect(resumed).toMatchObject({ open: true, canUndo: true, state: { count: { id: c.id }, at: { locationId: loc.id } } });
    view = v(openWorkflow(store, counter, 'count', now + 1));
    expect(view.state.at?.scans).toHaveLength(2);
    view = v(workflowInput(store, counter, 'count', scanOf(store, 'CMD-UNDO'), now + 2));
    expect(view.state.at?.scans.map((x) => x.individualNumber)).toEqual([null]);

    // Done: the location is counted, and its scans can no longer be taken back.
    view = v(workflowInput(store, counter, 'count', scanOf(store, 'CMD-DONE'), now + 3));
    expect(view.state.at).toBeNull();
    expect(view.canUndo).toBe(false);
    expect(view.feedback?.message.sv).toBe(`${loc.code} räknad.`);
    expect(queries(store).one('select state, counted_by as by from count_locations where count_id = ? and location_id = ?', c.id, loc.id)).toEqual({ state: 'counted', by: counter.userId });
  });

  it('scanning the next location finishes the one being counted; a recount is refused to its first counter and taken by another', () => {
    const { store, q, counter, other, loc, art } = setUp();
    // A second location with stock on it: finished with nothing counted, it differs.
    const second = q.one<{ id: string; code: string }>(
      'select l.id, l.code from locations l where l.site_id = ? and l.retired_at is null and l.id <> ? and exists (select 1 from balances b where b.location_id = l.id and b.quantity > 0) order by l.code limit 1',
      counter.siteId,
      loc.id,
    );
    // Any variance sends the location to a recount.
    const c = planCount(store, counter, { kind: 'locations', locationIds: [loc.id, second.id], thresholdQuantity: 0 });
    const now = Date.now();
    openWorkflow(store, counter, 'count', now);
    workflowInput(store, counter, 'count', { kind: 'count', countId: c.id }, now);
    workflowInput(store, counter, 'count', scanOf(store, loc.code), now);
    workflowInput(store, counter, 'count', scanOf(store, art.number), now); // one, where there are more
    let view = v(workflowInput(store, counter, 'count', scanOf(store, second.code), now));
    expect(view.state.at?.locationId).toBe(second.id);
    expect(q.one('select state from count_locations where count_id = ? and location_id = ?', c.id, loc.id)).toEqual({ state: 'recount' });
    // The first counter may not recount it: the core's rule, through the session too.
    view = v(workflowInput(store, counter, 'count', { kind: 'start', locationId: loc.id }, now));
    expect(view.feedback).toMatchObject({ kind: 'error', message: { sv: `Plats ${loc.code} ska räknas om av en annan räknare än du.` } });
    expect(q.one('select state from count_locations where count_id = ? and location_id = ?', c.id, loc.id)).toEqual({ state: 'recount' });
    // Asking for it finished the location they were counting on the way (nothing counted there: it differs).
    expect(q.one('select state from count_locations where count_id = ? and location_id = ?', c.id, second.id)).toEqual({ state: 'recount' });
    openWorkflow(store, other, 'count', now);
    workflowInput(store, other, 'count', { kind: 'count', countId: c.id }, now);
    const theirs = v(workflowInput(store, other, 'count', scanOf(store, loc.code), now));
    expect(theirs.state.at).toMatchObject({ locationId: loc.id, state: 'recounting' });
  });
});
