/**
 * A GTIN that no article has, met at goods receipt, is linked by a supervisor to the order line's
 * article, and from then on names that article at every station of the region; a warehouse worker
 * may not link one, and a link that would give a GTIN a second article is refused at the station
 * and, pushed past it, at the register.
 */
import { describe, expect, it } from 'vitest';
import { linkGtin } from '../../db/stock/gtins';
import { resolveCode } from '../../db/stock/resolve';
import { syncLink } from '../../db/sync/link';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

const body = '0200000012345';
const GTIN = `${body}${gs1CheckDigit(body)}`;

describe.each(STORES)('a GTIN linked at goods receipt, register on %s', (kind) => {
  it('names its article at every station once a supervisor links it, and is refused for anyone else or a second article', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
    const user = (s: TestStation, role: string) => one<{ id: string }>(s, 'select id from users where role = ? and active = 1 order by name limit 1', role).id;
    const at = (s: TestStation, role: string) => ({ stationId: s.stationId, userId: user(s, role) });
    const [first, second] = a.store.sqlite.prepare('select id from articles order by article_number limit 2').all() as { id: string }[];

    // Unknown at first, and said to be a GTIN no article has (so the receipt screen can offer the link).
    expect(resolveCode(a.store, GTIN)).toMatchObject({ kind: 'unknown', gtin: GTIN });
    expect(() => linkGtin(a.store, at(a, 'warehouse_worker'), { gtin: GTIN, articleId: first!.id })).toThrow(expect.objectContaining({ code: 'auth.forbidden' }));
    expect(() => linkGtin(a.store, at(a, 'supervisor'), { gtin: `${body}${(gs1CheckDigit(body) + 1) % 10}`, articleId: first!.id })).toThrow(expect.objectContaining({ code: 'gtin.invalid' }));
    linkGtin(a.store, at(a, 'supervisor'), { gtin: GTIN.slice(1), articleId: first!.id });
    expect(resolveCode(a.store, GTIN)).toMatchObject({ kind: 'article', id: first!.id });
    expect(() => linkGtin(a.store, at(a, 'supervisor'), { gtin: GTIN, articleId: second!.id })).toThrow(expect.objectContaining({ code: 'gtin.taken' }));

    // The register's article, changed meanwhile and pulled before the link is pushed, does not take the link away here.
    const [stored] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'article' and id = $1", [first!.id]);
    await reg.register.putEntities([{ kind: 'article', id: first!.id, data: { ...(JSON.parse(stored!.data) as Record<string, unknown>), supplier: 'Ny leverantör AB' } }]);
    await a.engine.pull();
    expect(one(a, 'select supplier from articles where id = ?', first!.id)).toEqual({ supplier: 'Ny leverantör AB' });
    expect(resolveCode(a.store, GTIN)).toMatchObject({ kind: 'article', id: first!.id });
    // After the sync it is everyone's.
    for (const s of [a, b, a, b]) await s.engine.syncNow();
    expect(resolveCode(b.store, GTIN)).toMatchObject({ kind: 'article', id: first!.id });
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'article' and id = $1", [first!.id]);
    expect((JSON.parse(held!.data) as { gtins: string[] }).gtins).toContain(GTIN);

    // Pushed past the station's rules, a second article for the GTIN, or a link by a worker, is refused and nothing changes.
    const station = (await reg.register.authenticate(syncLink(b.store)!.token))!;
    const before = await reg.register.db.all("select id, data from entities where kind in ('article', 'gtin_link') order by id");
    const link = (articleId: string, by: string, gtin = GTIN) => ({ id: gtin, gtin, article_id: articleId, changed_by: by, changed_at: Date.now() });
    const other = `${'0200000054321'}${gs1CheckDigit('0200000054321')}`;
    let n = syncLink(b.store)!.acked;
    for (const forged of [link(second!.id, user(b, 'supervisor')), link(second!.id, user(b, 'warehouse_worker'), other), { ...link(second!.id, user(b, 'supervisor'), other), gtin: GTIN }]) {
      const res = await reg.register.push(station, [{ n: ++n, m: [], i: [], e: [['gtin_link', forged.id, forged]] }]);
      expect(res.rejected, JSON.stringify(forged)).toMatchObject([{ code: 'sync.bad_gtin_link' }]);
    }
    expect(await reg.register.db.all("select id, data from entities where kind in ('article', 'gtin_link') order by id")).toEqual(before);
  });
});
