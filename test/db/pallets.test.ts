import { afterEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { openStore, type Store } from '../../db/open';
import { postMovements } from '../../db/stock/ledger';
import { addToPallet, closePallet, loadList, nextSscc, openPallet, receivePallet, reportMissing } from '../../db/workflows/pallets';
import { gs1CheckDigit } from '../../drivers/scanner/station-codes';
import { tinyStore } from '../helpers';

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe('pallets', () => {
  it('hands out SSCCs that never repeat, with right check digits, even after a restart', () => {
    store = tinyStore();
    const a = nextSscc(store);
    const b = nextSscc(store);
    store.close();
    store = openStore({ dataDir: dirname(store.file), quickCheck: 'skip' });
    const c = nextSscc(store);
    expect(new Set([a, b, c]).size).toBe(3);
    for (const s of [a, b, c]) expect(gs1CheckDigit(s.slice(0, 17))).toBe(Number(s[17]));
  });

  it('builds a pallet from picked goods, ships it, and a depot receives it by its SSCC and reports what was missing', () => {
    store = tinyStore();
    const s = store;
    const one = <T>(sql: string, ...args: unknown[]) => s.sqlite.prepare(sql).get(...args) as T;
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
    const actor = { stationId: st.id, userId: user, siteId: st.site_id };
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch'", st.site_id).id;
    const ind = one<{ id: string; article_id: string; location_id: string }>(
      "select i.id, i.article_id, i.location_id from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' limit 1",
      st.site_id,
    );
    const p = openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Filialförråd Sunderby', municipality: 'Luleå' });
    expect(() => addToPallet(s, actor, { palletId: p.id, articleId: ind.article_id, individualId: ind.id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'pallets.not_picked' }));
    postMovements(s, actor, [{ articleId: ind.article_id, individualId: ind.id, fromLocationId: ind.location_id, toLocationId: dispatch, quantity: 1, reason: 'pick' }]);
    addToPallet(s, actor, { palletId: p.id, articleId: ind.article_id, individualId: ind.id, quantity: 1 });
    expect(() => addToPallet(s, actor, { palletId: p.id, articleId: ind.article_id, individualId: ind.id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'pallets.already_on' }));
    expect(loadList(s, st.site_id, 'Rutt Luleå', '2026-11-26')).toEqual([{ sscc: p.sscc, deliveryPoint: 'Filialförråd Sunderby', municipality: 'Luleå', state: 'open', items: 1 }]);

    const closed = closePallet(s, actor, p.id);
    expect(closed.pallet.state).toBe('closed');
    expect(one('select status, location_id as l from individuals where id = ?', ind.id)).toEqual({ status: 'in_transit', l: null });
    expect(closed.movements.map((m) => [m.reason, m.orderRef])).toEqual([['dispatch', p.sscc]]);

    // At the depot in Luleå.
    const depot = one<{ id: string }>("select id from sites where code = 'LUL'").id;
    const depotActor = { ...actor, siteId: depot };
    const got = receivePallet(s, depotActor, p.sscc);
    expect(got.pallet.items.map((i) => i.receivedState)).toEqual(['received']);
    expect(one('select status, site_id as site from individuals where id = ?', ind.id)).toEqual({ status: 'in_stock', site: depot });
    expect(() => receivePallet(s, depotActor, p.sscc)).toThrowError(expect.objectContaining({ code: 'pallets.already_received' }));
    reportMissing(s, depotActor, p.id, got.pallet.items[0]!.id);
    expect(one('select received_state as r from pallet_items where id = ?', got.pallet.items[0]!.id)).toEqual({ r: 'missing' });
    expect(one('select location_id as l from individuals where id = ?', ind.id)).toEqual({ l: null });
  });
});

describe('SSCC settings', () => {
  it('makes SSCCs from the configured GS1 company prefix and extension digit', async () => {
    const { putSetting } = await import('../../db/settings');
    store = tinyStore();
    putSetting(store, 'gs1', { companyPrefix: '7391234567', extensionDigit: 5 });
    const sscc = nextSscc(store);
    expect(sscc).toMatch(/^57391234567\d{6}\d$/);
    expect(gs1CheckDigit(sscc.slice(0, 17))).toBe(Number(sscc[17]));
  });
});

describe('a restocking run', () => {
  it('takes a refill pallet in item by item onto the depot’s shelves and reports what was short, undo included', async () => {
    const { restockFinish, restockReport, restockScan } = await import('../../db/workflows/restock');
    const { undoMovements } = await import('../../db/workflows/undo');
    store = tinyStore();
    const s = store;
    const one = <T>(sql: string, ...args: unknown[]) => s.sqlite.prepare(sql).get(...args) as T;
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
    const actor = { stationId: st.id, userId: user, siteId: st.site_id };
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch'", st.site_id).id;
    const bulk = one<{ article_id: string; location_id: string }>(
      "select b.article_id, b.location_id from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id where l.site_id = ? and l.level = 'bin' and b.lot = '' and b.quantity >= 5 and a.tracking = 'none' and not exists (select 1 from individuals i where i.article_id = a.id) limit 1",
      st.site_id,
    );
    const depot = one<{ id: string; name: string }>("select id, name from sites where kind <> 'central_store' order by code limit 1");
    postMovements(s, actor, [{ articleId: bulk.article_id, fromLocationId: bulk.location_id, toLocationId: dispatch, quantity: 5, reason: 'pick' }]);
    const p = openPallet(s, actor, { route: 'Rutt', deliveryDay: '2026-11-26', deliveryPoint: depot.name, municipality: 'X' });
    expect(p.toSiteId).toBe(depot.id);
    addToPallet(s, actor, { palletId: p.id, articleId: bulk.article_id, quantity: 5 });
    closePallet(s, actor, p.id);

    const depotActor = { ...actor, siteId: depot.id };
    const shelf = one<{ id: string }>("select id from locations where site_id = ? and kind in ('shelf', 'rack', 'floor') order by code limit 1", depot.id).id;
    const elsewhere = one<{ id: string }>("select id from locations where site_id = ? and kind = 'shelf' limit 1", st.site_id).id;
    expect(() => restockScan(s, depotActor, { sscc: p.sscc, locationId: elsewhere, articleId: bulk.article_id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'workflow.wrong_site' }));
    restockScan(s, depotActor, { sscc: p.sscc, locationId: shelf, articleId: bulk.article_id, quantity: 3 });
    const mistake = restockScan(s, depotActor, { sscc: p.sscc, locationId: shelf, articleId: bulk.article_id, quantity: 1 });
    expect(restockReport(s, depot.id, p.sscc).lines[0]).toMatchObject({ expected: 5, received: 4 });
    undoMovements(s, depotActor, mistake.map((m) => m.id));
    expect(restockReport(s, depot.id, p.sscc).lines[0]).toMatchObject({ expected: 5, received: 3 });

    const report = restockFinish(s, depotActor, p.sscc);
    expect(report.complete).toBe(false);
    expect(report.pallet.state).toBe('received');
    expect(report.pallet.items.map((i) => i.receivedState)).toEqual(['missing']);
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', bulk.article_id, shelf).q).toBeGreaterThanOrEqual(3);
    const change = JSON.parse((one<{ payload: string }>("select payload from outbox where kind = 'entities' order by seq desc limit 1")).payload).changes[0];
    expect(change[2].items[0].received_state).toBe('missing');
  });
});
