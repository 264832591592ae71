/**
 * When what the register sends cannot be taken in at the station (its database refuses it), the
 * station says so, not that the register cannot be reached, keeps what it had, and takes the
 * register's data in once the register has put it right.
 */
import { strict as assert } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { syncLink } from '../../db/sync/link';
import { MOVEMENT_COLUMNS } from '../../db/sync/wire';
import { revs } from '../../register/sql';
import { enrolledStation, tinyRegister } from './harness';

describe('data the station cannot take in', () => {
  it('is said as such, changes nothing here, and is taken in once the register puts it right', async () => {
    const reg = await tinyRegister('sqlite');
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    await a.engine.syncNow();
    const count = () => (a.store.sqlite.prepare('select count(*) as n from individuals').get() as { n: number }).n;
    const before = count();
    // A device of an article no one has: the station's database refuses it.
    await reg.register.putEntities([{ kind: 'individual', id: 'broken-device', data: { id: 'broken-device', individual_number: 'I9999991', article_id: 'no-such-article', status: 'in_stock', site_id: null, location_id: null, updated_at: Date.now() } }]);
    await a.engine.syncNow();
    const status = a.engine.status();
    expect(status.lastError?.sv).toMatch(/kunde inte ta emot det registret skickade/);
    expect(status.online).toBe(true);
    expect(count()).toBe(before);
    await reg.register.deleteEntity('individual', 'broken-device');
    await a.engine.syncNow();
    expect(a.engine.status().lastError).toBeNull();
    expect(count()).toBe(before);
  });
});

describe('a movement from the register the station’s ledger would not take', () => {
  it('refuses the page it comes in, is said as such, changes nothing, and the pull goes on once the register puts it right', async () => {
    const reg = await tinyRegister('sqlite');
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    await a.engine.syncNow();
    const ledger = () => a.store.sqlite.prepare('select count(*) from movements').pluck().get() as number;
    const cursor = () => syncLink(a.store)!.cursor;
    // Another station's movement the register holds, as the station holds it too.
    const held = a.store.sqlite.prepare(`select ${MOVEMENT_COLUMNS.join(', ')} from movements where station_id <> ? order by seq desc limit 1`).raw().get(a.store.sqlite.prepare('select id from station').pluck().get()) as unknown[];
    assert(held);
    const stationAt = MOVEMENT_COLUMNS.indexOf('station_id');
    const seqAt = MOVEMENT_COLUMNS.indexOf('seq');
    const quantityAt = MOVEMENT_COLUMNS.indexOf('quantity');
    const insert = `insert into movements (${MOVEMENT_COLUMNS.join(', ')}, rev) values (${MOVEMENT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, $${MOVEMENT_COLUMNS.length + 1})`;
    const heldRev = (await reg.register.db.all<{ rev: number }>('select rev from movements where id = $1', [held[0]]))[0]!.rev;
    const bad: { what: string; forge: (row: unknown[]) => unknown[]; replaces: boolean }[] = [
      // Its station's number given to another movement (the register's own row of it gone, as in a
      // damaged register): the ledger keeps the one it holds and would leave this one out.
      { what: 'a number given twice', forge: (row) => row.map((v, i) => (i === 0 ? uuidv7() : v)), replaces: true },
      // A quantity of none: the ledger's own check refuses it.
      { what: 'a quantity of none', forge: (row) => row.map((v, i) => (i === 0 ? uuidv7() : i === seqAt ? Number(held[seqAt]) + 1000 : i === quantityAt ? 0 : v)), replaces: false },
    ];
    for (const { what, forge, replaces } of bad) {
      const before = { ledger: ledger(), cursor: cursor() };
      const row = forge(held);
      expect(row[stationAt], what).toBe(held[stationAt]);
      // Written into the register's own database past its checks, as a damaged or forged register would send it.
      await reg.register.db.tx(async (q) => {
        if (replaces) await q.run('delete from movements where id = $1', [held[0]]);
        const r = await revs(q);
        await q.run(insert, [...row, r.next()]);
        await r.save();
      });
      await a.engine.syncNow();
      expect(a.engine.status().lastError?.sv, what).toMatch(/kunde inte ta emot det registret skickade/);
      expect(a.engine.status().online).toBe(true);
      expect({ ledger: ledger(), cursor: cursor() }, what).toEqual(before);
      // Put right: the forged row gone, the register's own back.
      await reg.register.db.tx(async (q) => {
        await q.run('delete from movements where id = $1', [row[0]]);
        if (replaces) await q.run(insert, [...held, heldRev]);
      });
      await a.engine.syncNow();
      expect(a.engine.status().lastError, what).toBeNull();
      expect(ledger(), what).toBe(before.ledger);
      expect(cursor(), what).toBeGreaterThan(before.cursor);
    }
    await reg.stop();
  });
});
