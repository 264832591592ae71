/**
 * When what the register sends cannot be taken in at the station (its database refuses it), the
 * station says so, not that the register cannot be reached, keeps what it had, and takes the
 * register's data in once the register has put it right.
 */
import { describe, expect, it } from 'vitest';
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
