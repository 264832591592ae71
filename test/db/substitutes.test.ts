/**
 * The substitute chain: articles of one equivalence group stand in for each other. Picking proposes
 * the ready device that has waited longest among the ordered article and its equivalents, says
 * which it chose and why, counts a picked equivalent on the line it stands in for, and never lets a
 * device of an unrelated article onto the line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { articleEntity, saveArticle } from '../../db/stock/articles';
import { pick, pickList } from '../../db/workflows/picking';
import { pick as pickMachine } from '../../db/workflows/machines/pick';
import type { StationDb } from '../../db/open';
import type { MachineInput } from '../../db/workflows/machines/machine';
import { atTinyStation, placeOrder, scanOf } from '../helpers';

const open: StationDb[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const DAY = 86_400_000;

describe('picking with equivalent articles', () => {
  it('proposes the longest-waiting ready device of the article or its equivalents, and counts it on the line it stands in for', () => {
    const { s, one, all, actor } = atTinyStation();
    open.push(s);
    const ready = all<{ articleId: string; id: string; number: string; locationId: string }>(
      `select i.article_id as articleId, min(i.id) as id, min(i.individual_number) as number, min(i.location_id) as locationId
       from individuals i join locations l on l.id = i.location_id join articles a on a.id = i.article_id
       where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor', 'rack') and a.rentable = 1
       group by i.article_id having count(*) = 1 order by i.article_id limit 3`,
      actor.siteId,
    );
    expect(ready).toHaveLength(3);
    const [a, b, c] = ready as [(typeof ready)[0], (typeof ready)[0], (typeof ready)[0]];
    const supervisor = { stationId: actor.stationId, userId: one<{ id: string }>("select id from users where role = 'supervisor' limit 1").id };
    // A and B stand in for each other; C is of another group.
    for (const x of [a, b]) {
      const e = articleEntity(s, x.articleId)!;
      saveArticle(s, supervisor, {
        id: x.articleId,
        articleNumber: e.article_number as string,
        name: e.name as string,
        isoCode: e.iso_code as string,
        supplier: e.supplier as string,
        unit: e.unit as string,
        purchasePrice: e.purchase_price as number,
        rentable: true,
        tracking: 'none',
        equivalenceGroup: 'Testgrupp',
        gtins: e.gtins as string[],
        hibc: e.hibc as string[],
      });
    }
    s.sqlite.prepare("update articles set equivalence_group = 'Annan grupp' where id = ?").run(c.articleId);
    // B's device has waited longer than A's.
    const now = Date.now();
    s.sqlite.prepare('update individuals set ready_since = ? where id = ?').run(now - 5 * DAY, a.id);
    s.sqlite.prepare('update individuals set ready_since = ? where id = ?').run(now - 10 * DAY, b.id);

    placeOrder(s, { ref: 'KO-7000001', siteId: actor.siteId, day: '2030-03-05', route: 'Testrutt', deliveryPoint: 'Kalix', municipality: 'Kalix', lines: [{ articleId: a.articleId, quantity: 2 }] });
    const line = () => pickList(s, actor.siteId, 'Testrutt', '2030-03-05')[0]!.lines[0]!;
    expect(line().proposal).toMatchObject({ individualId: b.id, articleId: b.articleId, substitute: true });

    // Asked for the device by the article barcode, the station says which it proposes and why.
    expect(() => pick(s, actor, { orderRef: 'KO-7000001', articleId: a.articleId, fromLocationId: a.locationId, quantity: 1 })).toThrow(
      expect.objectContaining({ userMessage: expect.objectContaining({ sv: expect.stringMatching(new RegExp(`Föreslagen: ${b.number} .*likvärdig artikel .*har väntat längst`)) }) }),
    );

    // A device of an unrelated article is refused, and nothing is booked.
    const before = one<{ n: number }>('select count(*) as n from movements').n;
    expect(() => pick(s, actor, { orderRef: 'KO-7000001', articleId: c.articleId, individualId: c.id, fromLocationId: c.locationId, quantity: 1 })).toThrow(
      expect.objectContaining({ code: 'picking.not_on_order' }),
    );
    expect(() => pick(s, actor, { orderRef: 'KO-7000001', articleId: a.articleId, individualId: c.id, fromLocationId: c.locationId, quantity: 1 })).toThrow(
      expect.objectContaining({ code: 'stock.individual_article_mismatch' }),
    );
    expect(one<{ n: number }>('select count(*) as n from movements').n).toBe(before);

    // Scanned, B's device goes on A's line, booked as B; the message names what it stands in for.
    const state = { route: 'Testrutt', deliveryDay: '2030-03-05', routes: [], orders: pickList(s, actor.siteId, 'Testrutt', '2030-03-05'), from: null, quantity: null };
    const scan = scanOf(s, b.number);
    expect(scan.kind === 'scan' && scan.resolution).toBeTruthy();
    const scanned = pickMachine.input(state, scan as MachineInput);
    expect(scanned.effect).toMatchObject({ kind: 'pick', articleId: b.articleId, individualId: b.id, standsFor: expect.any(String) });
    const done = pick(s, actor, { orderRef: 'KO-7000001', articleId: b.articleId, individualId: b.id, fromLocationId: b.locationId, quantity: 1 });
    expect(done.notProposed).toBeNull();
    expect(one('select article_id as articleId, individual_id as individualId from movements where id = ?', done.movements[0]!.id)).toEqual({ articleId: b.articleId, individualId: b.id });
    expect(line()).toMatchObject({ picked: 1, ordered: 2, proposal: { individualId: a.id, substitute: false } });

    // Picking A's own device fills the line.
    pick(s, actor, { orderRef: 'KO-7000001', articleId: a.articleId, individualId: a.id, fromLocationId: a.locationId, quantity: 1 });
    expect(line()).toMatchObject({ picked: 2, ordered: 2, proposal: null });
  });

  it('proposes only the ordered article when it has no equivalence group', () => {
    const { s, all, actor } = atTinyStation();
    open.push(s);
    s.sqlite.prepare('update articles set equivalence_group = null').run();
    const [x] = all<{ articleId: string }>(
      `select i.article_id as articleId from individuals i join locations l on l.id = i.location_id join articles a on a.id = i.article_id
       where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor', 'rack') and a.rentable = 1 limit 1`,
      actor.siteId,
    );
    placeOrder(s, { ref: 'KO-7000002', siteId: actor.siteId, day: '2030-03-05', route: 'Testrutt', deliveryPoint: 'Kalix', municipality: 'Kalix', lines: [{ articleId: x!.articleId, quantity: 1 }] });
    const l = pickList(s, actor.siteId, 'Testrutt', '2030-03-05')[0]!.lines[0]!;
    expect(l.equivalents).toEqual([]);
    expect(l.proposal).toMatchObject({ articleId: x!.articleId, substitute: false });
  });
});
