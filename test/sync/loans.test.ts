/**
 * Every device's current loan comes with a station's copy whatever its age: a register that keeps
 * a day of history still tells a new station which order each device on loan went out on (the
 * safety notice's answer and the return's "from order …"), and a delivery at one station reaches
 * the others as the device's loan.
 */
import { describe, expect, it } from 'vitest';
import { individualTimeline } from '../../db/service/timeline';
import { safetyNotice } from '../../db/service/trace';
import { syncLink } from '../../db/sync/link';
import { tinyStore } from '../helpers';
import { enrolledStation, STORES, tinyRegister } from './harness';

describe.each(STORES)('loans in every copy, register on %s', (kind) => {
  it('bring each device on loan with the order it went out on, however long ago', async () => {
    const source = tinyStore();
    const lent = source.sqlite.prepare("select id, article_id as articleId, loan_order_ref as ref from individuals where status = 'on_loan' order by id").all() as { id: string; articleId: string; ref: string }[];
    expect(lent.length).toBeGreaterThan(3);
    expect(lent.every((l) => typeof l.ref === 'string')).toBe(true);
    source.close();

    // A register that hands out one day of movements: the loans are older than that.
    const reg = await tinyRegister(kind, { historyDays: 1 });
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const out = (articleId: string, id: string) => {
      const number = (a.store.sqlite.prepare('select individual_number as n from individuals where id = ?').get(id) as { n: string }).n;
      return safetyNotice(a.store, { articleId }).find((r) => r.individualNumber === number)?.orderRef;
    };
    for (const l of lent) expect(out(l.articleId, l.id)).toBe(l.ref);

    // The timeline asks the register for what the copy does not hold: the delivery of the loan.
    const old = lent[0]!;
    const delivered = (t: ReturnType<typeof individualTimeline>) => t.entries.filter((e) => e.kind === 'movement' && e.text.sv.includes(old.ref));
    expect(delivered(individualTimeline(a.store, old.id))).toEqual([]);
    const history = await a.engine.deviceHistory(old.id);
    expect(delivered(individualTimeline(a.store, old.id, history ?? []))).toHaveLength(1);
    expect(delivered(individualTimeline(a.store, old.id, history ?? []))[0]!.details[0]!.sv).toBe('Från registrets historik');
    // The register's history call takes a device's id and nothing else, from a station only.
    const token = syncLink(a.store)!.token;
    const ask = (query: string, auth = true) => fetch(`${reg.server.url}/sync/history${query}`, { headers: auth ? { Authorization: `Bearer ${token}` } : {} });
    expect((await ask('?individual=x', false)).status).toBe(401);
    for (const bad of ['', '?individual=', `?individual=${'x'.repeat(5_000)}`, '?individual=a&other=b']) {
      const r = await ask(bad);
      expect(r.status, bad).toBe(400);
      expect(((await r.json()) as { error: { message: { sv: string } } }).error.message.sv).toBeTruthy();
    }
    expect(await (await ask('?individual=no-such-device')).json()).toEqual({ movements: [] });
    // Without the register (stopped), the timeline is what is here.
    await reg.stop();
    expect(await a.engine.deviceHistory(old.id)).toBeNull();
    await reg.restart();

    // Delivered today at A: B knows the loan after sync.
    const site = (a.store.sqlite.prepare('select site_id from station').get() as { site_id: string }).site_id;
    const device = a.store.sqlite
      .prepare("select i.id, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.kind = 'shelf' limit 1")
      .get(site) as { id: string; articleId: string; locationId: string };
    const dispatch = (a.store.sqlite.prepare("select id from locations where site_id = ? and kind = 'dispatch' and level = 'zone'").get(site) as { id: string }).id;
    a.post([{ articleId: device.articleId, individualId: device.id, fromLocationId: device.locationId, toLocationId: dispatch, quantity: 1, reason: 'pick', orderRef: 'KO-LOAN-1' }]);
    a.post([{ articleId: device.articleId, individualId: device.id, fromLocationId: dispatch, toLocationId: null, quantity: 1, reason: 'delivery', orderRef: 'KO-LOAN-1' }]);
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(b.store.sqlite.prepare('select status, loan_order_ref as ref from individuals where id = ?').get(device.id)).toEqual({ status: 'on_loan', ref: 'KO-LOAN-1' });
  });
});
