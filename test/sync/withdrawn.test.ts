/**
 * Master data withdrawn centrally (a user who left, a place taken down, an article no longer
 * lent) while the ledger, devices and orders still name it. A station that takes the withdrawal
 * keeps it, retired; a new station's full copy carries it the same way, so the copy's movements
 * find all they name and the new station holds what the running one does.
 */
import { describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { enrolledStation, STORES, tinyRegister } from './harness';

/** What a station holds of the region, row by row; a place's retirement time is the moment its station took it, so only whether it is retired. */
const held = (store: StationDb) => ({
  ...Object.fromEntries(['articles', 'article_gtins', 'article_hibc', 'users', 'individuals', 'movements', 'balances'].map((t) => [t, store.sqlite.prepare(`select * from ${t} order by 1, 2`).all()])),
  locations: (store.sqlite.prepare('select * from locations order by id').all() as Record<string, unknown>[]).map((l) => ({ ...l, retired_at: l.retired_at !== null })),
});

describe.each(STORES)('master data withdrawn while the ledger still names it (%s register)', (kind) => {
  it('comes with a new station’s full copy as every station that took the withdrawal holds it: kept, retired', async () => {
    // No copy made before is given: each new station's copy is read for it.
    const reg = await tinyRegister(kind, { madeCopyChanges: 0 });
    const running = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    // The user, the place and the article the ledger's recent movements name most.
    const most = async (column: string) =>
      (await reg.register.db.all<{ id: string }>(`select ${column} as id from movements where ${column} is not null group by ${column} order by count(*) desc, ${column} limit 1`))[0]!.id;
    const withdrawn = { user: await most('user_id'), location: await most('to_location_id'), article: await most('article_id') };
    const one = <T>(store: StationDb, sql: string, id: string) => store.sqlite.prepare(sql).get(id) as T;
    expect(one<{ n: number }>(running.store, 'select count(*) as n from article_gtins where article_id = ?', withdrawn.article).n).toBeGreaterThan(0);
    for (const [k, id] of Object.entries(withdrawn)) await reg.register.deleteEntity(k as 'user' | 'location' | 'article', id);

    await running.engine.syncNow();
    expect(running.engine.status().lastError).toBeNull();
    const fresh = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    expect(fresh.engine.status().lastError).toBeNull();
    for (const s of [running, fresh]) {
      // The user no longer signs in, the place takes nothing, the article's codes find nothing; the ledger still names all three.
      expect(one<{ active: number }>(s.store, 'select active from users where id = ?', withdrawn.user).active).toBe(0);
      expect(one<{ retired_at: number | null }>(s.store, 'select retired_at from locations where id = ?', withdrawn.location).retired_at).not.toBeNull();
      expect(one<{ n: number }>(s.store, 'select count(*) as n from article_gtins where article_id = ?', withdrawn.article).n).toBe(0);
      expect(one<{ n: number }>(s.store, 'select count(*) as n from movements where user_id = ?', withdrawn.user).n).toBeGreaterThan(0);
      expect(s.store.sqlite.pragma('foreign_key_check')).toEqual([]);
    }
    expect(held(fresh.store)).toEqual(held(running.store));

    // A depot's own copy likewise.
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    expect(depot.engine.status().lastError).toBeNull();
    expect(depot.store.sqlite.prepare('select site_id from copy_scope').pluck().get()).not.toBeNull();
    expect(one<{ active: number }>(depot.store, 'select active from users where id = ?', withdrawn.user).active).toBe(0);
    expect(depot.store.sqlite.pragma('foreign_key_check')).toEqual([]);
  }, 90_000);

  it('leaves what was given on to someone else theirs, at a new station and at one that held it: a leaver’s badge, a taken-down place’s code, a withdrawn article’s number', async () => {
    const reg = await tinyRegister(kind, { madeCopyChanges: 0 });
    const live = async (k: string) =>
      (await reg.register.db.all<{ id: string; data: string }>('select id, data from entities where kind = $1 and deleted = 0 order by id', [k])).map((r) => ({ id: r.id, d: JSON.parse(r.data) as Record<string, unknown> }));
    // The leaver's badge goes to a colleague whose id comes first (a copy lists users by id).
    const badged = (await live('user')).filter((u) => typeof u.d.badge_code === 'string' && u.d.active);
    const [colleague, leaver] = [badged[0]!, badged[badged.length - 1]!];
    await reg.register.deleteEntity('user', leaver.id);
    await reg.register.putEntities([{ kind: 'user', id: colleague.id, data: { ...colleague.d, badge_code: leaver.d.badge_code } }]);
    // A shelf and an article taken down, their code and number given to new ones: withdrawn rows
    // with ids after and before the new ones'. A running station held the old ones before.
    const running = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const shelf = (await live('location')).find((p) => p.d.parent_id !== null)!;
    const article = (await live('article'))[0]!;
    const pairs = [['zz-old', 'aa-new'], ['aa-old', 'zz-new']] as const;
    const given = (id: string, code: string, name: string) => [
      { kind: 'location' as const, id: `place-${id}`, data: { ...shelf.d, id: `place-${id}`, code, name } },
      { kind: 'article' as const, id: `article-${id}`, data: { ...article.d, id: `article-${id}`, article_number: code, gtins: [], hibc: [] } },
    ];
    for (const [oldId] of pairs) await reg.register.putEntities(given(oldId, `ÅTR-${oldId.slice(0, 2).toUpperCase()}`, 'Nedtagen hylla'));
    await running.engine.syncNow();
    expect(running.store.sqlite.prepare('select code from locations where id = ?').pluck().get('place-zz-old')).toBe('ÅTR-ZZ');
    for (const [oldId, newId] of pairs) {
      await reg.register.deleteEntity('location', `place-${oldId}`);
      await reg.register.deleteEntity('article', `article-${oldId}`);
      await reg.register.putEntities(given(newId, `ÅTR-${oldId.slice(0, 2).toUpperCase()}`, 'Ny hylla'));
    }
    await running.engine.syncNow();
    // The running station takes the new ones rather than stopping at the code its withdrawn rows still hold.
    expect(running.engine.status().lastError).toBeNull();
    const fresh = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    expect(fresh.engine.status().lastError).toBeNull();
    const one = (sql: string, id: string, store = fresh.store) => store.sqlite.prepare(sql).pluck().get(id);
    expect(one('select badge_code from users where id = ?', colleague.id)).toBe(leaver.d.badge_code);
    expect(one('select badge_code from users where id = ?', leaver.id)).toBeNull();
    for (const s of [running.store, fresh.store])
      for (const [oldId, newId] of pairs) {
        // The new place and article hold the code; the withdrawn ones are still there, told apart by their id.
        expect(one('select code from locations where id = ?', `place-${newId}`, s)).toBe(`ÅTR-${oldId.slice(0, 2).toUpperCase()}`);
        expect(one('select article_number from articles where id = ?', `article-${newId}`, s)).toBe(`ÅTR-${oldId.slice(0, 2).toUpperCase()}`);
        expect(one('select code from locations where id = ?', `place-${oldId}`, s)).toBe(`ÅTR-${oldId.slice(0, 2).toUpperCase()}~place-${oldId}`);
        expect(one('select article_number from articles where id = ?', `article-${oldId}`, s)).toBe(`ÅTR-${oldId.slice(0, 2).toUpperCase()}~article-${oldId}`);
        expect(one('select retired_at is not null from locations where id = ?', `place-${oldId}`, s)).toBe(1);
      }
  }, 90_000);

  it('cancels a pick-up withdrawn while ordered, and leaves the one ordered for the device since ordered', async () => {
    const reg = await tinyRegister(kind, { madeCopyChanges: 0 });
    const running = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const device = running.store.sqlite.prepare("select id, (select site_id from station) as site_id from individuals where status = 'on_loan' order by id limit 1").get() as { id: string; site_id: string };
    const user = running.store.sqlite.prepare('select id from users where active = 1 order by id limit 1').pluck().get() as string;
    const pickup = (id: string, number: string) => ({
      kind: 'pickup_order' as const,
      id,
      data: { id, number, site_id: device.site_id, individual_id: device.id, order_ref: null, customer_ref: 'K-1', pickup_point: 'Storgatan 1', municipality: 'Boden', route: 'R1', collection_day: '2026-12-08', placed_at: Date.now(), placed_by: user, state: 'ordered', label_printed_at: null, closed_at: null, closed_by: null },
    });
    // Ordered, taken by the running station, then withdrawn; a new one ordered for the device (its id before the first's).
    await reg.register.putEntities([pickup('zz-pickup', 'H-9001')]);
    await running.engine.syncNow();
    expect(running.store.sqlite.prepare('select state from pickup_orders where id = ?').pluck().get('zz-pickup')).toBe('ordered');
    await reg.register.deleteEntity('pickup_order', 'zz-pickup');
    await reg.register.putEntities([pickup('aa-pickup', 'H-9002')]);
    await running.engine.syncNow();
    expect(running.engine.status().lastError).toBeNull();
    const fresh = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    expect(fresh.engine.status().lastError).toBeNull();
    for (const s of [running, fresh])
      expect(s.store.sqlite.prepare("select id, state, closed_at is not null as closed from pickup_orders where id in ('aa-pickup', 'zz-pickup') order by id").all()).toEqual([
        { id: 'aa-pickup', state: 'ordered', closed: 0 },
        { id: 'zz-pickup', state: 'cancelled', closed: 1 },
      ]);
  }, 90_000);
});
