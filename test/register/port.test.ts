/** The port to the region's existing register: master data comes in, movements go out, and an exchange resumes where it stopped. */
import { describe, expect, it } from 'vitest';
import { decodeMovement, type MovementTuple } from '../../db/sync/wire';
import { exchangeWithRegion, type MasterDataChange, type RegionRegisterPort } from '../../register/port';
import { enrolledStation, movableStock, tinyRegister } from '../sync/harness';

/** The region's system as an adapter would see it: a change log with bookmarks, and a movement inbox that may fail. */
class RegionSystem implements RegionRegisterPort {
  log: MasterDataChange[] = [];
  received: MovementTuple[] = [];
  failNext = false;
  async fetchChanges(since: string | null) {
    const from = since === null ? 0 : Number(since);
    return { changes: this.log.slice(from), next: String(this.log.length) };
  }
  async publishMovements(movements: readonly MovementTuple[]) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('region system unavailable');
    }
    this.received.push(...movements);
  }
}

describe('the port to the region’s register', () => {
  it('brings master data changes to every station and hands every movement over once, resuming after a failure', async () => {
    const reg = await tinyRegister('sqlite');
    const region = new RegionSystem();
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const article = station.store.sqlite.prepare('select * from articles order by id limit 1').get() as Record<string, unknown>;

    region.log.push({ kind: 'article', id: article.id as string, data: { ...article, name: 'Rollator Carl, ny modell', gtins: [] } });
    const first = await exchangeWithRegion(reg.register, region);
    expect(first.received).toBe(1);
    expect(region.received.length).toBeGreaterThan(500); // the ledger so far
    await station.engine.syncNow();
    expect((station.store.sqlite.prepare('select name from articles where id = ?').get(article.id) as { name: string }).name).toBe('Rollator Carl, ny modell');

    const stock = movableStock(station.store)[0]!;
    station.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, quantity: 1, reason: 'delivery', orderRef: 'KO-77' }]);
    await station.engine.syncNow();
    region.failNext = true;
    await expect(exchangeWithRegion(reg.register, region)).rejects.toThrow('unavailable');
    const again = await exchangeWithRegion(reg.register, region);
    expect(again).toEqual({ received: 0, published: 1 });
    expect(region.received.at(-1)![13]).toBe('KO-77');
    expect(new Set(region.received.map((m) => decodeMovement(m).id)).size).toBe(region.received.length);
  });
});
