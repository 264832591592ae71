/**
 * The refill loop across stations: a withdrawal at the unmanned depot's kiosk, synced, shows up
 * in Boden's refill suggestion; Boden orders, picks, palletises and ships it; the depot receives
 * the pallet by its SSCC; afterwards neither end suggests it again.
 */
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from '../../vocabulary/suggestion';
import { startStation, type Station } from '../../hosts/station';
import type { CallOutput } from '../../api/contract';
import { receiveForTest, signedIn, tempDir } from '../helpers';
import { tinyRegister } from './harness';

type Suggestions = CallOutput<'replenishment.suggestions'>;

async function station(reg: Awaited<ReturnType<typeof tinyRegister>>, siteCode: string, name: string): Promise<Station> {
  const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like $1", [`%"code":"${siteCode}"%`]);
  const code = await reg.register.createEnrolmentCode({ stationName: name, siteId: site!.id });
  const s = startStation({ dataDir: tempDir('flow-'), devices: false, quickCheck: 'skip', enrol: { registerUrl: reg.server.url, code } });
  await expect.poll(async () => ((await s.api.call({ name: 'station.info', input: {} })) as { value: { setUp: boolean } }).value.setUp, { timeout: 20_000 }).toBe(true);
  return s;
}

const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};

describe('refilling an unmanned depot', () => {
  it('goes from a kiosk withdrawal to a refill received by its SSCC', async () => {
    const reg = await tinyRegister('sqlite');
    const boden = await station(reg, 'BOD', 'Skanningsstation Boden');
    const depot = await station(reg, 'JKK', 'Kiosk Jokkmokk');
    try {
      const jkk = depot.store.sqlite.prepare("select id, name from sites where code = 'JKK'").get() as { id: string; name: string };
      // Something the depot keeps, as Boden sees it.
      const line = depot.store.sqlite
        .prepare(
          `select b.article_id as articleId, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
           where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.tracking = 'none' and a.rentable = 0 group by b.article_id order by q desc limit 1`,
        )
        .get(jkk.id) as { articleId: string; q: number };
      expect(line.q).toBeGreaterThan(1);
      const bodenBoss = await signedIn(boden.api, 'supervisor');
      ok(await bodenBoss.call('reorder.save', { articleId: line.articleId, siteId: jkk.id, stockArticle: true, reorderPoint: line.q - 1, safetyStock: 0, maxStock: line.q + 4, leadDays: 0, orderQuantity: 0 }));
      const before = ok<Suggestions>(await bodenBoss.call('replenishment.suggestions', {}));
      expect(before.refills.find((r) => r.siteId === jkk.id)?.lines.some((l) => l.articleId === line.articleId) ?? false).toBe(false);

      // At the kiosk: badge, take two, for a cost centre.
      const depotBoss = await signedIn(depot.api, 'supervisor');
      ok(await depotBoss.call('kiosk.configure', { enabled: true, idleSeconds: 60 }));
      // A prescriber takes it: their badge opens the kiosk, though they can never sign in to the station.
      const prescriber = depot.store.sqlite.prepare("select id, badge_code as b from users where role = 'prescriber' limit 1").get() as { id: string; b: string };
      const badge = prescriber.b;
      const listed = ok<{ id: string }[]>(await depot.api.call({ name: 'auth.users', input: {} }));
      expect(listed.some((u) => u.id === prescriber.id)).toBe(false);
      expect(await depot.api.call({ name: 'auth.signIn', input: { userId: prescriber.id, pin: '0000' } })).toMatchObject({ ok: false, error: { code: 'auth.wrong_pin' } });
      const kiosk = ok<{ session: string }>(await depot.api.call({ name: 'kiosk.start', input: { badge } }));
      const kioskCall = (name: string, input: unknown) => depot.api.call({ name, input, session: kiosk.session });
      // A kiosk session can do nothing else.
      expect(await kioskCall('stock.sites', {})).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
      ok(await kioskCall('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId: line.articleId, quantity: 2 }] }));
      ok(await kioskCall('kiosk.finish', {}));

      // The depot syncs, then Boden: the withdrawal crossed the reorder point, so a refill is suggested.
      await depot.api.sync.syncNow();
      await boden.api.sync.syncNow();
      const suggested = ok<Suggestions>(await bodenBoss.call('replenishment.suggestions', {}));
      const refill = suggested.refills.find((r) => r.siteId === jkk.id)!;
      const l = refill.lines.find((x) => x.articleId === line.articleId)!;
      expect(l.onHand).toBe(line.q - 2);
      // Up to the maximum from what is expected to be left when the delivery comes.
      const qty = Math.ceil(line.q + 4 - (line.q - 2 - l.usagePerDay * l.horizonDays));
      expect(l.quantity).toBe(qty);
      expect(explainSuggestion(l, refill).sv).toMatch(new RegExp(`i lager ${line.q - 2}, på väg 0, beställningspunkt ${line.q - 1},.*leverans ${refill.deliveryDay} → beställ ${qty}`));

      // Boden orders it, picks it, palletises and ships it.
      const worker = await signedIn(boden.api, 'warehouse_worker');
      const { orderRefs } = ok<{ orderRefs: string[] }>(await worker.call('replenishment.orderRefills', { siteIds: [jkk.id] }));
      const orderRef = orderRefs[0]!;
      const afterOrder = ok<Suggestions>(await worker.call('replenishment.suggestions', {}));
      expect(afterOrder.refills.find((r) => r.siteId === jkk.id)?.lines.some((x) => x.articleId === line.articleId) ?? false).toBe(false);
      const from = boden.store.sqlite
        .prepare(
          `select b.location_id as id from balances b join locations l on l.id = b.location_id join sites s on s.id = l.site_id
           where b.article_id = ? and s.code = 'BOD' and l.kind in ('shelf', 'rack', 'floor') and b.quantity >= ? and b.lot = '' limit 1`,
        )
        .get(line.articleId, qty) as { id: string } | undefined;
      let pickFrom = from?.id;
      if (!pickFrom) {
        // Boden has too little of it: receive some first, as goods receipt would.
        pickFrom = (boden.store.sqlite.prepare("select l.id from locations l join sites s on s.id = l.site_id where s.code = 'BOD' and l.kind = 'shelf' limit 1").get() as { id: string }).id;
        receiveForTest(boden.store, line.articleId, pickFrom, qty);
      }
      ok(await worker.call('picking.pick', { orderRef, articleId: line.articleId, fromLocationId: pickFrom, quantity: qty }));
      const pallet = ok<{ id: string; sscc: string; toSiteId: string | null }>(
        await worker.call('pallets.open', { route: refill.route, deliveryDay: refill.deliveryDay, deliveryPoint: jkk.name, municipality: refill.municipality }),
      );
      expect(pallet.toSiteId).toBe(jkk.id);
      ok(await worker.call('pallets.add', { palletId: pallet.id, articleId: line.articleId, quantity: qty, orderRef }));
      ok(await worker.call('pallets.close', { palletId: pallet.id }));
      await boden.api.sync.syncNow();

      // The depot gets the pallet through the register and receives it by its SSCC.
      await depot.api.sync.syncNow();
      const staff = await signedIn(depot.api, 'depot_staff');
      const received = ok<{ pallet: { state: string; items: unknown[] } }>(await staff.call('pallets.receive', { sscc: pallet.sscc }));
      expect(received.pallet.state).toBe('received');
      await depot.api.sync.syncNow();
      await boden.api.sync.syncNow();
      const atBoden = ok<{ state: string }>(await worker.call('pallets.get', { idOrSscc: pallet.sscc }));
      expect(atBoden.state).toBe('received');
      const final = ok<Suggestions>(await bodenBoss.call('replenishment.suggestions', {}));
      expect(final.refills.find((r) => r.siteId === jkk.id)?.lines.some((x) => x.articleId === line.articleId) ?? false).toBe(false);
      const depotStock = (depot.store.sqlite.prepare("select coalesce(sum(b.quantity), 0) as q from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ?").get(line.articleId, jkk.id) as { q: number }).q;
      expect(depotStock).toBe(line.q - 2 + qty);
    } finally {
      await boden.close();
      await depot.close();
    }
  });
});
