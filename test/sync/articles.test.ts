/**
 * The article range is master data kept by supervisors at any station: a new article, its GTIN and
 * HIBC code and its equivalence group reach every station, goods of it received in the same sync
 * are booked, and a change that breaks the range's rules is refused at the station and, pushed past
 * it, at the register, with nothing changed.
 */
import { describe, expect, it } from 'vitest';
import { articleEntity, saveArticle, type ArticleInput } from '../../db/stock/articles';
import { articleWrong } from '../../db/stock/article-rules';
import { resolveCode } from '../../db/stock/resolve';
import { syncLink } from '../../db/sync/link';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { hibcCheckChar } from '../../vocabulary/codes/hibc';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

const body = '0200000077777';
const GTIN = `${body}${gs1CheckDigit(body)}`;
const hibc = (s: string) => s + hibcCheckChar(s);

describe.each(STORES)('articles kept by supervisors, register on %s', (kind) => {
  it('reach every station with their codes and group, take receipts in the same sync, and refuse what breaks the range', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
    const user = (s: TestStation, role: string) => one<{ id: string }>(s, 'select id from users where role = ? and active = 1 order by name limit 1', role).id;
    const at = (s: TestStation, role: string) => ({ stationId: s.stationId, userId: user(s, role) });
    const input: ArticleInput = {
      articleNumber: 'R-900001',
      name: 'Rollator Test lätt',
      isoCode: '120606',
      supplier: 'Testleverantör AB',
      unit: 'st',
      purchasePrice: 249_900,
      rentable: false,
      tracking: 'none',
      gtins: [GTIN.slice(1)],
      hibc: ['+E735R900001'],
    };

    // Every article the register handed over keeps the range's rules.
    for (const { id } of a.store.sqlite.prepare('select id from articles').all() as { id: string }[]) expect(articleWrong(id, articleEntity(a.store, id)!)).toBeNull();
    // Only a supervisor; the range's rules hold at the station.
    expect(() => saveArticle(a.store, at(a, 'warehouse_worker'), input)).toThrow(expect.objectContaining({ code: 'auth.forbidden' }));
    expect(() => saveArticle(a.store, at(a, 'supervisor'), { ...input, isoCode: '999999' })).toThrow(expect.objectContaining({ code: 'article.invalid', field: 'isoCode' }));
    const existing = one<{ article_number: string }>(a, 'select article_number from articles order by article_number limit 1');
    expect(() => saveArticle(a.store, at(a, 'supervisor'), { ...input, articleNumber: existing.article_number })).toThrow(expect.objectContaining({ code: 'article.number_taken' }));
    const taken = one<{ gtin: string }>(a, 'select gtin from article_gtins limit 1');
    expect(() => saveArticle(a.store, at(a, 'supervisor'), { ...input, gtins: [taken.gtin] })).toThrow(expect.objectContaining({ code: 'article.code_taken' }));
    expect(() => saveArticle(a.store, at(a, 'supervisor'), { ...input, rentable: true, tracking: 'lot' })).toThrow(expect.objectContaining({ code: 'article.invalid', field: 'tracking' }));

    const created = saveArticle(a.store, at(a, 'supervisor'), input);
    const id = created.id as string;
    expect(resolveCode(a.store, GTIN)).toMatchObject({ kind: 'article', id });
    expect(resolveCode(a.store, hibc('+E735R9000011'))).toMatchObject({ kind: 'article', id });
    // Goods of it received before the first sync are booked with it.
    const goodsIn = one<{ id: string }>(a, "select l.id from locations l join station s on s.site_id = l.site_id where l.kind = 'goods_in' limit 1");
    a.post([{ articleId: id, toLocationId: goodsIn.id, quantity: 4, reason: 'receipt' }]);
    for (const s of [a, b]) await s.engine.syncNow();
    expect(a.store.sqlite.prepare('select kind, data from sync_issues').all()).toEqual([]);
    expect(resolveCode(b.store, GTIN)).toMatchObject({ kind: 'article', id });
    expect(one(b, 'select name, supplier, purchase_price as price, changed_by as by from articles where id = ?', id)).toEqual({
      name: 'Rollator Test lätt',
      supplier: 'Testleverantör AB',
      price: 249_900,
      by: user(a, 'supervisor'),
    });
    const [balance] = await reg.register.db.all<{ q: number }>('select sum(quantity) as q from balances where article_id = $1', [id]);
    expect(Number(balance!.q)).toBe(4);

    // Changed at B (a name, a group), it comes back to A; how it is followed cannot change once it has stock.
    saveArticle(b.store, at(b, 'supervisor'), { ...input, id, name: 'Rollator Test lätt, blå', equivalenceGroup: 'Rollator lätt' });
    expect(() => saveArticle(b.store, at(b, 'supervisor'), { ...input, id, tracking: 'lot' })).toThrow(expect.objectContaining({ code: 'article.counted_differently' }));
    for (const s of [b, a]) await s.engine.syncNow();
    expect(one(a, 'select name, equivalence_group as g from articles where id = ?', id)).toEqual({ name: 'Rollator Test lätt, blå', g: 'Rollator lätt' });

    // Pushed past the station's rules, each is refused and nothing changes.
    const station = (await reg.register.authenticate(syncLink(b.store)!.token))!;
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'article' and id = $1", [id]);
    const now = JSON.parse(held!.data) as Record<string, unknown>;
    const fresh = (over: Record<string, unknown>) => ({ ...now, id: 'forged-article', article_number: 'R-900002', gtins: [], hibc: [], changed_by: user(b, 'supervisor'), changed_at: Date.now(), ...over });
    const forged: [string, Record<string, unknown>][] = [
      ['by a warehouse worker', { ...now, supplier: 'Annan AB', changed_by: user(b, 'warehouse_worker') }],
      ['followed by lot despite stock', { ...now, tracking: 'lot', changed_at: Date.now() }],
      ['another article number taken', fresh({ article_number: existing.article_number })],
      ['another article GTIN taken', fresh({ gtins: [GTIN] })],
      ['a HIBC code taken', fresh({ hibc: ['E735R900001'] })],
      ['an ISO code the region does not prescribe', fresh({ iso_code: '999999' })],
      ['a price below zero', fresh({ purchase_price: -1 })],
      ['a search name that is not its name', fresh({ search_name: 'x' })],
      ['dated far ahead', fresh({ changed_at: Date.now() + 30 * 86_400_000 })],
    ];
    const before = await reg.register.db.all("select id, data, rev from entities where kind = 'article' order by id");
    let n = syncLink(b.store)!.acked;
    for (const [why, data] of forged) {
      const res = await reg.register.push(station, [{ n: ++n, m: [], i: [], e: [['article', data.id as string, data]] }]);
      expect(res.rejected, why).toMatchObject([{ code: 'sync.bad_article' }]);
    }
    expect(await reg.register.db.all("select id, data, rev from entities where kind = 'article' order by id")).toEqual(before);
  });
});
