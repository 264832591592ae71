/**
 * The depot workflows run in the core too: a pallet taken in at a staffed depot and a restocking
 * run at an unmanned one are each left in the middle by a reload of the window (the restocking run
 * also by signing out and in again), and come back at the same pallet, the same step and the same
 * lines, with the same undo. Finished, the depot's stock is what its ledger says. The pallets come
 * from Boden: picked, put on a pallet and sent there, then the station is set up as the depot's.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { openStationDb } from '../../db/open';
import { callerFor, queries, signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { feedbackSeq, scanKeys, wedge as scan } from './wedge';

let at: BrowserStation;
let page: Page;
const db = queries(() => at.station.store);

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-resume-depot-') });
  page = at.page;
});
afterAll(() => at?.close());

interface PalletLine {
  articleId: string;
  number: string;
  quantity: number;
}
interface SentPallet {
  sscc: string;
  lines: PalletLine[];
}

let orders = 0;

/**
 * A refill pallet from Boden to a depot, as Boden sends one: a refill order for bulk goods,
 * picked to dispatch, put on a pallet addressed to the depot, closed and sent.
 */
async function refillFromBoden(depotCode: string, quantities: number[]): Promise<SentPallet> {
  const boden = await stationOf('BOD');
  const depot = db.one<{ id: string; name: string; municipality: string }>('select id, name, municipality from sites where code = ?', depotCode);
  const goods = db.all<{ articleId: string; number: string; locationId: string }>(
    `select b.article_id as articleId, a.article_number as number, b.location_id as locationId from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and l.level = 'bin' and b.lot = '' and b.quantity >= 5 and a.tracking = 'none' and a.rentable = 0
       and not exists (select 1 from individuals i where i.article_id = a.id)
     group by a.id order by a.article_number limit ?`,
    boden,
    quantities.length,
  );
  expect(goods).toHaveLength(quantities.length);
  const orderRef = `KO-00770${String(++orders).padStart(2, '0')}`;
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const orderId = uuidv7();
  at.station.store.sqlite
    .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id, to_site_id) values (?, ?, 'PF', ?, ?, 'Rutt Påfyllning', ?, ?, ?, ?)")
    .run(orderId, orderRef, depot.name, depot.municipality, day, Date.parse(`${day}T08:00:00`) - 10 * 86_400_000, boden, depot.id);
  goods.forEach((g, i) =>
    at.station.store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)').run(uuidv7(), orderId, i + 1, g.articleId, quantities[i]),
  );
  const worker = await signedIn(at.station.api, 'warehouse_worker');
  const pallet = await worker.call('pallets.open', { route: 'Rutt Påfyllning', deliveryDay: day, deliveryPoint: depot.name, municipality: depot.municipality });
  if (!pallet.ok) throw new Error(JSON.stringify(pallet.error));
  for (const [i, g] of goods.entries()) {
    expect(await worker.call('picking.pick', { orderRef, articleId: g.articleId, fromLocationId: g.locationId, quantity: quantities[i]! })).toMatchObject({ ok: true });
    expect(await worker.call('pallets.add', { palletId: pallet.value.id, articleId: g.articleId, quantity: quantities[i]!, orderRef })).toMatchObject({ ok: true });
  }
  expect(await worker.call('pallets.close', { palletId: pallet.value.id })).toMatchObject({ ok: true });
  return { sscc: pallet.value.sscc, lines: goods.map((g, i) => ({ articleId: g.articleId, number: g.number, quantity: quantities[i]! })) };
}

/**
 * The station as the site's own: restarted as the station of the site when it is another's (it has
 * the register's data: here, the same database). The site's id.
 */
async function stationOf(code: string): Promise<string> {
  const site = db.one<{ id: string }>('select id from sites where code = ?', code).id;
  if (db.one<{ site_id: string }>('select site_id from station').site_id === site) return site;
  await at.restart((dataDir) => {
    const station = openStationDb({ dataDir, quickCheck: 'skip' });
    station.sqlite.prepare('update station set site_id = ?').run(site);
    station.close();
  });
  return site;
}

const prompt = () => page.getByTestId('prompt').textContent();
const feedback = () => page.getByTestId('workflow-feedback').textContent();
const undoButton = () => page.getByRole('button', { name: 'Ångra senaste' });
const rows = (testId: string) => page.getByTestId(testId).locator('tbody tr').allTextContents();

/** Signed in (if not already), on the workflow's screen, once the core has opened its session there. */
async function go(screen: string, heading: string): Promise<void> {
  if (!(await page.getByRole('button', { name: 'Logga ut' }).isVisible())) await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
  await page.evaluate((s) => (location.hash = `#/${s}`), screen);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
  await expect.poll(prompt).not.toBe('');
}

/** What the worker sees of a workflow screen: the prompt, the feedback, the undo button, the pallet's heading and its lines. */
const screenOf = (lines: string) => async () => ({
  prompt: await prompt(),
  feedback: await feedback(),
  undo: await undoButton().isEnabled(),
  pallet: (await page.getByRole('heading', { level: 2 }).allTextContents()).join(' | '),
  lines: await rows(lines),
});

/** A keyboard-wedge scanner typing into the scan field that has focus: its keys 2–10 ms apart, then Enter. The session answers it. */
async function scanIntoField(code: string): Promise<void> {
  const before = await feedbackSeq(page);
  await page.getByLabel(/Skriv en kod/).focus();
  await scanKeys(page, code);
  await expect.poll(() => feedbackSeq(page)).not.toBe(before);
}

/** What the depot holds per article, as the stock screen's call reports it, and as the ledger sums it. */
async function depotStock(siteId: string): Promise<{ shown: Map<string, number>; ledger: Map<string, number> }> {
  const call = callerFor(at.station.api, await page.evaluate(() => sessionStorage.getItem('depot.session')));
  const r = await call('stock.siteStock', { siteId });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const ledger = db.all<{ articleId: string; q: number }>(
    `select m.article_id as articleId,
       sum(case when t.site_id = @site then m.quantity else 0 end) - sum(case when f.site_id = @site then m.quantity else 0 end) as q
     from movements m left join locations t on t.id = m.to_location_id left join locations f on f.id = m.from_location_id
     where t.site_id = @site or f.site_id = @site group by m.article_id having q <> 0`,
    { site: siteId },
  );
  return { shown: new Map(r.value.map((x) => [x.articleId, x.quantity])), ledger: new Map(ledger.map((x) => [x.articleId, x.q])) };
}

describe('the depot workflows resume where they were', () => {

  it('a pallet taken in at a depot: after a reload, the same pallet with the same lines, and it finishes with the stock its ledger says', async () => {
    const forSunderby = await refillFromBoden('LUL', [3, 2]);
    const lul = await stationOf('LUL');
    const [kept, lost] = forSunderby.lines as [PalletLine, PalletLine];
    await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
    const before = (await depotStock(lul)).shown;
    await go('pallet-receive', 'Ta emot pall');
    // From the start, whatever was left on the screen before.
    await scanIntoField('CMD-CANCEL');
    await expect.poll(() => page.getByTestId('received-items').count()).toBe(0);
    await expect.poll(prompt).toBe('Skanna pallens SSCC-etikett.');

    // Scanned into the field that has focus, as a GS1-128 label reads with its symbology identifier.
    await scanIntoField(`]C100${forSunderby.sscc}`);
    await expect.poll(feedback).toBe(`Pall ${forSunderby.sscc} mottagen: 2 rader. Kontrollera och rapportera det som saknas.`);
    const lines = page.getByTestId('received-items').locator('tbody tr');
    await expect.poll(() => lines.count()).toBe(2);
    const name = (x: PalletLine) => db.one<{ name: string }>('select name from articles where id = ?', x.articleId).name;
    expect(name(kept)).not.toBe(name(lost));
    const row = (x: PalletLine) => lines.filter({ hasText: name(x) });
    /** The line's state as the worker reads it, with the button to report it missing while it is received. */
    const state = async (x: PalletLine) => ((await row(x).locator('td').nth(3).textContent()) ?? '').trim();
    await expect.poll(() => state(kept)).toBe('Mottagen Saknas');
    await expect.poll(() => state(lost)).toBe('Mottagen Saknas');
    await row(lost).getByRole('button', { name: 'Saknas' }).click();
    await expect.poll(feedback).toBe('Raden är rapporterad som saknad.');
    await expect.poll(() => state(lost)).toBe('Saknas');
    // A pallet received is received: nothing to undo, only what was missing to report.
    expect(await undoButton().isEnabled()).toBe(false);
    await expect.poll(prompt).toBe('Markera raderna som inte fanns på pallen. Skanna KLAR när du är färdig, eller nästa pall.');

    const left = await screenOf('received-items')();
    expect(left.pallet).toContain(forSunderby.sscc);
    expect(left.lines).toHaveLength(2);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
    await expect.poll(screenOf('received-items')).toEqual(left);
    await expectAccessible(page, 'pallet receipt, resumed');
    await scanIntoField('CMD-UNDO');
    await expect.poll(feedback).toBe('Det finns inget att ångra.');
    expect([await state(kept), await state(lost)]).toEqual(['Mottagen Saknas', 'Saknas']);

    // Done: the screen is ready for the next pallet, and the depot holds what came, as its ledger says.
    await scanIntoField('CMD-DONE');
    await expect.poll(() => page.getByTestId('received-items').count()).toBe(0);
    await expect.poll(prompt).toBe('Skanna pallens SSCC-etikett.');
    // KLAR says the pallet is done, not that anything was cancelled.
    await expect.poll(feedback).toBe(`Pall ${forSunderby.sscc} är klar. Skanna nästa pall.`);
    const { shown, ledger } = await depotStock(lul);
    expect(shown).toEqual(ledger);
    expect(shown.get(kept.articleId) ?? 0).toBe((before.get(kept.articleId) ?? 0) + kept.quantity);
    expect(shown.get(lost.articleId) ?? 0).toBe(before.get(lost.articleId) ?? 0);
    // The article's stock screen shows it so for the depot.
    await page.evaluate((id) => (location.hash = `#/article/${id}`), kept.articleId);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name(kept));
    const depotName = db.one<{ name: string }>('select name from sites where id = ?', lul).name;
    await expect.poll(() => page.locator('tr.group-row', { hasText: depotName }).locator('td.num').textContent()).toBe(String(shown.get(kept.articleId)));
  });

  it('a restocking run at an unmanned depot: after a reload and after signing out and in, the same run; undo takes back the last shelved line', async () => {
    const forJokkmokk = await refillFromBoden('JKK', [3, 2]);
    const jkk = await stationOf('JKK');
    const shelf = db.one<{ code: string; id: string }>("select code, id from locations where site_id = ? and kind in ('shelf', 'rack', 'floor') and level = 'bin' and retired_at is null order by code limit 1", jkk);
    const [a, b] = forJokkmokk.lines as [PalletLine, PalletLine];
    const wedge = (code: string) => scan(page, code);
    const shelved = (articleId: string) =>
      db.one<{ q: number }>('select coalesce(sum(quantity), 0) as q from balances where location_id = ? and article_id = ?', shelf.id, articleId).q;
    const onShelf = { a: shelved(a.articleId), b: shelved(b.articleId) };
    await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
    await go('restock', 'Påfyllningsrunda');
    // From the start, whatever run was left before.
    await wedge('CMD-CANCEL');
    await expect.poll(() => page.getByTestId('restock-lines').count()).toBe(0);
    await expect.poll(prompt).toBe('Skanna påfyllningspallens SSCC-etikett.');

    await wedge(forJokkmokk.sscc);
    await expect.poll(feedback).toBe(`Pall ${forJokkmokk.sscc}: skanna en hylla.`);
    await expect.poll(prompt).toBe('Skanna hyllan du ställer varorna på.');
    const line = (x: PalletLine) => page.getByTestId('restock-lines').locator('tbody tr', { hasText: x.number });
    const counts = async (x: PalletLine) => (await line(x).locator('td.num').allTextContents()).join(' / ');
    await expect.poll(() => counts(a)).toBe(`${a.quantity} / 0`);
    await wedge(shelf.code);
    await expect.poll(prompt).toBe(`Skanna varorna du ställer på ${shelf.code}. Skanna KLAR när pallen är tom.`);
    await wedge(a.number);
    await wedge(a.number);
    await wedge(b.number);
    await expect.poll(feedback).toBe(`${b.number} på ${shelf.code}: 1 av ${b.quantity}.`);
    await expect.poll(() => counts(a)).toBe(`${a.quantity} / 2`);
    await expect.poll(() => counts(b)).toBe(`${b.quantity} / 1`);
    expect([shelved(a.articleId), shelved(b.articleId)]).toEqual([onShelf.a + 2, onShelf.b + 1]);

    const left = await screenOf('restock-lines')();
    expect(left.undo).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
    await expect.poll(screenOf('restock-lines')).toEqual(left);

    // Signed out in the middle of the run and in again: the run waits where it was.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Logga in' }).isVisible()).toBe(true);
    await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
    await go('restock', 'Påfyllningsrunda');
    await expect.poll(screenOf('restock-lines')).toEqual(left);
    await expectAccessible(page, 'restocking run, resumed');

    // The undo card takes back the last line shelved, and only that.
    await wedge('CMD-UNDO');
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    await expect.poll(() => counts(b)).toBe(`${b.quantity} / 0`);
    expect(await counts(a)).toBe(`${a.quantity} / 2`);
    expect([shelved(a.articleId), shelved(b.articleId)]).toEqual([onShelf.a + 2, onShelf.b]);
    expect(await prompt()).toBe(`Skanna varorna du ställer på ${shelf.code}. Skanna KLAR när pallen är tom.`);

    // The rest of the pallet, then DONE: everything matches, and the depot holds what its ledger says.
    await wedge(a.number);
    await wedge(b.number);
    await wedge(b.number);
    await expect.poll(() => counts(b)).toBe(`${b.quantity} / 2`);
    await wedge('CMD-DONE');
    await expect.poll(feedback).toBe(`Pall ${forJokkmokk.sscc} är mottagen: allt stämmer.`);
    await expect.poll(prompt).toBe('Skanna påfyllningspallens SSCC-etikett.');
    expect([shelved(a.articleId), shelved(b.articleId)]).toEqual([onShelf.a + a.quantity, onShelf.b + b.quantity]);
    const { shown, ledger } = await depotStock(jkk);
    expect(shown).toEqual(ledger);
    expect(at.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION/.test(e))).toEqual([]);
  });
});
