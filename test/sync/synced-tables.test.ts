/**
 * Every change to a table the register keeps from stations reaches the register, whichever way it
 * was written: here each is changed by plain SQL, as no workflow does, and still arrives. What
 * arrives from the register is never sent back as this station's own change.
 */
import { describe, expect, it } from 'vitest';
import { syncLink } from '../../db/sync/link';
import { enrolledStation, stepByStep, STORES, tinyRegister } from './harness';

/**
 * The tables whose changes go to the register, as which kind of entity, and the table of their
 * parent where they have one. An unlock is only ever added (the register refuses a change or a
 * delete of one): it has its insert trigger alone.
 */
const SYNCED: Record<string, { kind: string; parent?: string; parentKey?: string; insertOnly?: true }> = {
  locations: { kind: 'location' },
  lots: { kind: 'lot' },
  reorder_settings: { kind: 'reorder_setting' },
  pallets: { kind: 'pallet' },
  pallet_items: { kind: 'pallet', parent: 'pallets', parentKey: 'pallet_id' },
  purchase_orders: { kind: 'purchase_order' },
  purchase_order_lines: { kind: 'purchase_order', parent: 'purchase_orders', parentKey: 'purchase_order_id' },
  customer_orders: { kind: 'customer_order' },
  customer_order_lines: { kind: 'customer_order', parent: 'customer_orders', parentKey: 'customer_order_id' },
  pickup_orders: { kind: 'pickup_order' },
  service_jobs: { kind: 'service_job' },
  wash_batches: { kind: 'wash_batch' },
  wash_batch_items: { kind: 'wash_batch', parent: 'wash_batches', parentKey: 'batch_id' },
  work_orders: { kind: 'work_order' },
  sign_in_unlocks: { kind: 'sign_in_unlock', insertOnly: true },
};

describe.each(STORES)('synced tables, register on %s', (kind) => {
  it('sends every change to every synced table to the register, by itself, and nothing it received', async () => {
    const reg = await tinyRegister(kind);
    const st = await enrolledStation(reg.register, reg.server.url, { start: false });
    const sq = st.store.sqlite;
    const one = <T>(sql: string, ...args: unknown[]) => sq.prepare(sql).get(...args) as T;
    // A full copy from the register left nothing to send back.
    expect(one<{ n: number }>('select count(*) as n from outbox where seq > (select acked from sync_state)').n).toBe(0);

    // Every synced table, and only those, has its three triggers, and they carry every column it has.
    const triggers = sq.prepare("select tbl_name as t, sql from sqlite_master where type = 'trigger' and name like '%\\_sync\\_%' escape '\\'").all() as { t: string; sql: string }[];
    expect([...new Set(triggers.map((x) => x.t))].sort()).toEqual(Object.keys(SYNCED).sort());
    for (const [table, spec] of Object.entries(SYNCED)) {
      expect(triggers.filter((x) => x.t === table)).toHaveLength(spec.insertOnly ? 1 : 3);
      // A line travels inside its parent, which names it: the line's own reference to it is left out.
      const columns = (sq.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).filter((c) => c !== spec.parentKey);
      const insert = triggers.find((x) => x.t === (spec.parent ?? table) && /AFTER INSERT/.test(x.sql))!.sql;
      for (const c of columns) expect(insert, `${table}.${c}`).toContain(`'${c}'`);
    }
    // A job's steps are only ever added, with the job's own change: they travel inside it.
    const jobTrigger = triggers.find((x) => x.t === 'service_jobs' && /AFTER UPDATE/.test(x.sql))!.sql;
    for (const c of (sq.pragma('table_info(service_events)') as { name: string }[]).map((x) => x.name).filter((x) => x !== 'job_id')) expect(jobTrigger, `service_events.${c}`).toContain(`'${c}'`);

    const site = one<{ site_id: string }>('select site_id from station').site_id;
    const user = one<{ id: string }>('select id from users where active = 1 limit 1').id;
    const article = one<{ id: string }>('select id from articles where rentable = 0 limit 1').id;
    const location = one<{ id: string }>("select id from locations where site_id = ? and level = 'bin' limit 1", site).id;
    // Changed by hand, the way no workflow changes them.
    sq.prepare("update locations set name = name || ' (omdöpt)' where id = ?").run(location);
    sq.prepare(
      `insert into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at)
       values (?, ?, 1, 17, 2, 40, 5, 0, 1) on conflict (article_id, site_id) do update set reorder_point = 17`,
    ).run(article, site);
    sq.prepare(
      `insert into pallets (id, sscc, site_id, route, delivery_day, delivery_point, municipality, to_site_id, state, created_at)
       values ('pallet-by-hand', '373500000000000017', ?, 'R1', '2026-12-03', 'Solgården', 'Boden', null, 'open', 1)`,
    ).run(site);
    sq.prepare("insert into pallet_items (id, pallet_id, article_id, quantity, added_at, received_state) values ('item-by-hand', 'pallet-by-hand', ?, 2, 2, 'pending')").run(article);
    sq.prepare("insert into purchase_orders (id, po_number, supplier, site_id, expected_on, created_at) values ('po-by-hand', 'IO-HAND-1', 'Etac', ?, '2026-12-20', 1)").run(site);
    sq.prepare("insert into purchase_order_lines (id, purchase_order_id, line_no, article_id, quantity) values ('pol-by-hand', 'po-by-hand', 1, ?, 4)").run(article);
    sq.prepare(
      `insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id, to_site_id)
       values ('co-by-hand', 'KO-HAND-1', 'P-1', 'Solgården', 'Boden', 'R1', '2026-12-03', 1, ?, null)`,
    ).run(site);
    sq.prepare("insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values ('col-by-hand', 'co-by-hand', 1, ?, 3)").run(article);
    sq.prepare("update customer_order_lines set quantity = 5 where id = 'col-by-hand'").run();
    sq.prepare(
      `insert into work_orders (id, number, site_id, origin, priority, due_at, fault, state, opened_at, opened_by, minutes)
       values ('wo-by-hand', 'AO-HAND-1', ?, 'municipality', 'normal', 10, 'Broms', 'open', 1, ?, 0)`,
    ).run(site, user);
    // A missed service level, as the board's sweep records it.
    sq.prepare("update work_orders set breached_at = 99 where id = 'wo-by-hand'").run();
    sq.prepare("delete from pallet_items where id = 'item-by-hand'").run();
    const siteUser = one<{ id: string }>('select id from users where site_id = ? limit 1', site).id;
    const admin = (sq.prepare("select id from users where role = 'admin' and active = 1 limit 1").get() as { id: string }).id;
    sq.prepare("insert into sign_in_unlocks (id, user_id, site_id, at, by_user_id) values ('unlock-by-hand', ?, ?, ?, ?)").run(siteUser, site, Date.now(), admin);

    // The site's reconditioning queue: a job stepped by hand, and a wash batch with a device in it.
    const device = one<{ id: string; article_id: string }>('select id, article_id from individuals where site_id = ? limit 1', site);
    sq.prepare(
      `insert into service_jobs (id, individual_id, article_id, site_id, state, priority, arrived_at, due_at)
       values ('job-by-hand', ?, ?, ?, 'returned', 'normal', 1000, 2000)`,
    ).run(device.id, device.article_id, site);
    sq.prepare(
      "insert into service_events (id, job_id, at, station_id, user_id, action, from_state, to_state, detail) values ('ev-by-hand', 'job-by-hand', 1000, ?, ?, 'open', 'returned', 'returned', null)",
    ).run(st.stationId, user);
    sq.prepare("update service_jobs set taken_by = ? where id = 'job-by-hand'").run(user);
    sq.prepare(
      `insert into pickup_orders (id, number, site_id, individual_id, pickup_point, municipality, route, collection_day, placed_at, placed_by, state)
       values ('pickup-by-hand', 'HO-HAND-1', ?, ?, 'Solgården', 'Boden', 'R1', '2026-12-10', 1, ?, 'ordered')`,
    ).run(site, device.id, user);
    sq.prepare("insert into lots (article_id, lot, expires_on) values (?, 'L2612-7', '2029-12-28')").run(article);
    sq.prepare("insert into wash_batches (id, site_id, cabinet, method, opened_at, opened_by) values ('wash-by-hand', ?, 'Disk 1', '85 °C', 1000, ?)").run(site, user);
    sq.prepare("insert into wash_batch_items (batch_id, individual_id, added_at) values ('wash-by-hand', ?, 1001)").run(device.id);

    await st.engine.syncNow();
    expect(one<{ n: number }>('select count(*) as n from outbox where seq > (select acked from sync_state)').n).toBe(0);
    const held = async (k: string, id: string) => {
      const [row] = await reg.register.db.all<{ data: string }>('select data from entities where kind = $1 and id = $2', [k, id]);
      return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
    };
    expect(await held('location', location)).toMatchObject({ id: location, name: expect.stringMatching(/\(omdöpt\)$/) });
    expect(await held('reorder_setting', `${article}:${site}`)).toMatchObject({ reorder_point: 17 });
    expect(await held('pallet', 'pallet-by-hand')).toMatchObject({ sscc: '373500000000000017', state: 'open', items: [] });
    expect(await held('purchase_order', 'po-by-hand')).toMatchObject({ po_number: 'IO-HAND-1', lines: [{ id: 'pol-by-hand', quantity: 4 }] });
    expect(await held('customer_order', 'co-by-hand')).toMatchObject({ order_ref: 'KO-HAND-1', lines: [{ id: 'col-by-hand', quantity: 5 }] });
    expect(await held('work_order', 'wo-by-hand')).toMatchObject({ number: 'AO-HAND-1', breached_at: 99 });
    expect(await held('service_job', 'job-by-hand')).toMatchObject({ state: 'returned', taken_by: user, events: [{ id: 'ev-by-hand', action: 'open' }] });
    expect(await held('pickup_order', 'pickup-by-hand')).toMatchObject({ number: 'HO-HAND-1', state: 'ordered', collection_day: '2026-12-10' });
    expect(await held('lot', `${article}|L2612-7`)).toMatchObject({ article_id: article, lot: 'L2612-7', expires_on: '2029-12-28' });
    // A lot's expiry, once read, stands: another date for it sent later is refused.
    sq.prepare("update lots set expires_on = '2031-01-01' where article_id = ? and lot = 'L2612-7'").run(article);
    await st.engine.syncNow();
    expect(await held('lot', `${article}|L2612-7`)).toMatchObject({ expires_on: '2029-12-28' });
    expect(one<{ n: number }>("select count(*) as n from sync_issues where kind = 'rejection'").n).toBe(1);
    expect(await held('wash_batch', 'wash-by-hand')).toMatchObject({ cabinet: 'Disk 1', items: [{ individual_id: device.id }] });
    expect(await held('sign_in_unlock', 'unlock-by-hand')).toMatchObject({ user_id: siteUser, site_id: site, by_user_id: admin });

    // The register's changes come back in the next pull and are not sent again.
    const before = one<{ n: number }>('select count(*) as n from outbox').n;
    await reg.register.putEntities([{ kind: 'location', id: location, data: { ...(await held('location', location))!, name: 'Från registret' } }]);
    await st.engine.syncNow();
    expect(one<{ name: string }>('select name from locations where id = ?', location).name).toBe('Från registret');
    expect(one<{ n: number }>('select count(*) as n from outbox').n).toBe(before);

    // An edit made here waits for the register: a pull of the register's older copy meanwhile does not undo it.
    const sync = stepByStep(() => reg.register, () => st.store, syncLink(st.store)!.token);
    sq.prepare("insert into pallet_items (id, pallet_id, article_id, quantity, added_at, received_state) values ('item-2', 'pallet-by-hand', ?, 1, 3, 'pending')").run(article);
    // The register's copy of the pallet (without it) comes round again, with a change of its own elsewhere.
    await reg.register.putEntities([
      { kind: 'pallet', id: 'pallet-by-hand', data: (await held('pallet', 'pallet-by-hand'))! },
      { kind: 'location', id: location, data: { ...(await held('location', location))!, name: 'Registrets namn' } },
    ]);
    while (await sync.pull(2));
    expect(one<{ n: number }>("select count(*) as n from pallet_items where pallet_id = 'pallet-by-hand'").n).toBe(1);
    expect(one<{ name: string }>('select name from locations where id = ?', location).name).toBe('Registrets namn');
    await sync.drain();
    while (await sync.pull(50));
    expect(await held('pallet', 'pallet-by-hand')).toMatchObject({ items: [{ id: 'item-2' }] });
    expect(one<{ n: number }>("select count(*) as n from pallet_items where pallet_id = 'pallet-by-hand'").n).toBe(1);
    await st.close();
  });
});
