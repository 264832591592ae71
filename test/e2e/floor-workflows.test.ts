/**
 * The scanning workflows on the floor, by keyboard-wedge scans at a 1366×768 station: one scan
 * picks or loads one unit and says how far the line is; undo by its card says what it undid and
 * the tables follow; what cannot be done is refused at the first scan that shows it, with nothing
 * waiting for confirmation; and a pallet with goods for its delivery point still at dispatch is
 * closed only once the worker confirms, with what is left to load listed per delivery point.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { addToPallet, closePallet, openPallet } from '../../db/workflows/pallets';
import { pick } from '../../db/workflows/picking';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { wedge as scan } from './wedge';

let at: BrowserStation;
let page: Page;

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-floor-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(async () => {
  await at?.close();
});

const { one } = queries(() => at.station.store);
const wedge = (code: string) => scan(page, code);
const feedback = () => page.getByTestId('workflow-feedback').textContent();
let signedIn = false;
const go = async (screen: string, heading: string) => {
  if (!signedIn) await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
  signedIn = true;
  await page.evaluate((s) => (location.hash = `#/${s}`), screen);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
  await expect.poll(() => page.getByTestId('prompt').textContent()).not.toBe('');
};

const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
let orders = 0;
const used = new Set<string>();

/** The station's site and a worker there, as the core's calls take them. */
function actor() {
  const st = one<{ id: string; site_id: string }>('select id, site_id from station');
  const user = one<{ id: string }>("select id from users where name = 'Lena Nilsson'").id;
  return { stationId: st.id, userId: user, siteId: st.site_id };
}

/** An order on `route` for `quantity` of a bulk article on a shelf here (one not used by another test), to `point`. */
function bulkOrder(route: string, point: string, quantity: number) {
  const a = actor();
  const bulk = one<{ articleId: string; locationId: string; code: string; number: string }>(
    `select b.article_id as articleId, b.location_id as locationId, l.code, ar.article_number as number from balances b join locations l on l.id = b.location_id join articles ar on ar.id = b.article_id
     where l.site_id = ? and l.level = 'bin' and l.kind in ('shelf', 'rack', 'floor') and b.lot = '' and b.quantity >= ? and ar.tracking = 'none' and ar.rentable = 0
       and ar.article_number not in (select value from json_each(?)) order by ar.article_number limit 1`,
    a.siteId,
    quantity + 5,
    JSON.stringify([...used]),
  );
  used.add(bulk.number);
  const orderId = uuidv7();
  const orderRef = `KO-${9_100_000 + ++orders}`;
  at.station.store.sqlite
    .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'KST-9', ?, 'Kalix', ?, ?, ?, ?)")
    .run(orderId, orderRef, point, route, day, Date.now() - 4 * 86_400_000, a.siteId);
  at.station.store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, ?)').run(uuidv7(), orderId, bulk.articleId, quantity);
  return { orderRef, ...bulk };
}

describe('one scan, one unit, and the line says so', () => {
  it('picking: an article scan picks one of three and says "1 av 3"; its undo card says where it went back and the line reads 0 again', async () => {
    const o = bulkOrder('Rutt Golv', 'Kalix vårdcentral', 3);
    await go('pick', 'Plock');
    await wedge(o.orderRef);
    const lines = page.getByTestId(`pick-lines-${o.orderRef}`);
    await expect.poll(() => lines.isVisible()).toBe(true);
    await wedge(o.code);
    await expect.poll(feedback).toBe(`Plockar från ${o.code}.`);
    await wedge(o.number);
    await expect.poll(feedback).toBe(`${o.number} plockad till ${o.orderRef}: 1 av 3.`);
    await expect.poll(() => lines.locator('tbody td').nth(3).textContent()).toBe('1 / 3');
    await expectAccessible(page, 'picking');
    await wedge('CMD-UNDO');
    await expect.poll(feedback).toBe(`Ångrat: 1 st ${o.number} tillbaka till ${o.code}.`);
    await expect.poll(() => lines.locator('tbody td').nth(3).textContent()).toBe('0 / 3');
    expect(one<{ q: number }>("select coalesce(sum(quantity), 0) as q from movements where order_ref = ? and reason = 'pick'", o.orderRef).q).toBe(1);
  });

  it('goods receipt: an undone receipt leaves the order’s table at once, and says so', async () => {
    const line = one<{ po: string; number: string; received: number }>(
      `select p.po_number as po, a.article_number as number,
         coalesce((select sum(m.quantity) from movements m where m.order_ref = p.po_number and m.article_id = a.id and m.reason = 'receipt'), 0) as received
       from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id join articles a on a.id = l.article_id
       where a.rentable = 0 and a.tracking = 'none' order by p.po_number, l.line_no limit 1`,
    );
    await go('receive', 'Inleverans');
    await wedge(line.po);
    const row = page.getByTestId('po-lines').locator('tbody tr', { hasText: line.number }).first();
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe(String(line.received));
    await wedge(line.number);
    await expect.poll(feedback).toMatch(new RegExp(`^${line.number} mottagen: ${line.received + 1} av \\d+\\.$`));
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe(String(line.received + 1));
    await wedge('CMD-UNDO');
    await expect.poll(feedback).toMatch(new RegExp(`^Ångrat: 1 st ${line.number} (ut ur lagret|tillbaka till .+)\\.$`));
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe(String(line.received));
    await expectAccessible(page, 'goods receipt, undone');
  });
});

describe('a pallet and what is left to load', () => {
  it('loads one unit per scan, undoes by its card, and closes with goods left only once confirmed, listing them per delivery point', async () => {
    const point = 'Överkalix hälsocentral';
    const o = bulkOrder('Rutt Lasta', point, 3);
    pick(at.station.store, actor(), { orderRef: o.orderRef, articleId: o.articleId, fromLocationId: o.locationId, quantity: 3 });
    await go('pallet', 'Pall');
    await page.getByLabel('Rutt och leveransdag').selectOption(`Rutt Lasta|${day}`);
    await expect.poll(() => page.getByLabel('Leveransplats').inputValue()).toBe(`${point}|Kalix`);
    const left = page.getByTestId('left-to-load');
    await expect.poll(() => left.textContent()).toContain(point);
    await page.getByRole('button', { name: 'Ny pall' }).click();
    await expect.poll(feedback).toMatch(/^Pall \d{18} öppnad\.$/);
    const sscc = (await feedback())!.match(/\d{18}/)![0];

    await wedge(o.number);
    await expect.poll(feedback).toBe(`${o.number} lagd på pallen: 1 av 3 (1 rad på pallen).`);
    await expect.poll(() => left.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('2');
    // The undo card does what the button does, and says what it took off.
    await wedge('CMD-UNDO');
    await expect.poll(feedback).toBe(`Ångrat: ${o.number} av pall ${sscc}.`);
    await expect.poll(() => page.getByTestId('pallet-items').locator('tbody tr').count()).toBe(0);
    await expect.poll(() => left.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('3');
    await wedge(o.number);
    await wedge(o.number);
    await expect.poll(feedback).toBe(`${o.number} lagd på pallen: 2 av 3 (2 rader på pallen).`);

    // Closing with one left at dispatch: the core refuses and names it; the question stands beside the button.
    const movements = one<{ n: number }>('select count(*) as n from movements').n;
    await page.getByRole('button', { name: 'Stäng pallen' }).click();
    await expect.poll(feedback).toContain(`Kvar att lasta till ${point}: 1 st ${o.number}`);
    const question = page.getByTestId('close-confirm');
    await expect.poll(() => question.isVisible()).toBe(true);
    await expect.poll(() => left.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('1');
    await expectAccessible(page, 'pallet, closing with goods left to load');
    await page.getByRole('button', { name: 'Låt pallen vara öppen' }).click();
    await expect.poll(feedback).toBe(`Pall ${sscc} är fortfarande öppen.`);
    expect(one<{ state: string }>('select state from pallets where sscc = ?', sscc).state).toBe('open');
    expect(one<{ n: number }>('select count(*) as n from movements').n).toBe(movements);

    // Asked again by the card, and confirmed: closed without the one left, which stays on the list.
    await wedge('CMD-DONE');
    await expect.poll(() => question.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Stäng pallen ändå' }).click();
    await expect.poll(feedback).toContain(`Pall ${sscc} stängd`);
    expect(one<{ state: string }>('select state from pallets where sscc = ?', sscc).state).toBe('closed');
    await expect.poll(() => left.textContent()).toContain(o.number);
    await expectAccessible(page, 'pallet, closed');
  });
});

describe('refused at the first scan that shows it', () => {
  it('putaway: another site’s location is refused as it is scanned, with no button to put it there anyway', async () => {
    const a = actor();
    const item = one<{ n: string }>(
      "select i.individual_number as n from individuals i join locations l on l.id = i.location_id where l.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number desc limit 1",
      a.siteId,
    ).n;
    const elsewhere = one<{ code: string }>("select code from locations where site_id <> ? and level = 'bin' and retired_at is null order by code limit 1", a.siteId).code;
    await go('putaway', 'Inlagring');
    await wedge(item);
    await expect.poll(() => page.getByTestId('suggestion').isVisible()).toBe(true);
    const before = one<{ n: number }>('select count(*) as n from movements').n;
    await wedge(elsewhere);
    await expect.poll(feedback).toBe(`Plats ${elsewhere} hör till ett annat förråd. Skanna en plats här.`);
    expect(await page.getByRole('button', { name: `Lägg på ${elsewhere}` }).count()).toBe(0);
    await wedge('CMD-CONFIRM');
    expect(await page.getByRole('button', { name: `Lägg på ${elsewhere}` }).count()).toBe(0);
    expect(one<{ n: number }>('select count(*) as n from movements').n).toBe(before);
    await expectAccessible(page, 'putaway, refused');
  });

  it('return: a device in stock is refused at its scan, before its components are asked for', async () => {
    const inStock = one<{ n: string }>("select individual_number as n from individuals where status = 'in_stock' and location_id is not null order by individual_number limit 1").n;
    await go('return', 'Retur');
    await wedge(inStock);
    await expect.poll(feedback).toBe(`Individ ${inStock} är inte utlånad, så den kan inte tas emot som retur. Kontrollera numret.`);
    expect(await page.getByRole('heading', { level: 2, name: new RegExp(inStock) }).count()).toBe(0);
    await expectAccessible(page, 'return, refused');
  });

  it('restocking run: another depot’s pallet is refused at its SSCC, before any shelf', async () => {
    const a = actor();
    const depot = one<{ name: string }>("select name from sites where kind <> 'central_store' order by code limit 1").name;
    const o = bulkOrder('Rutt Depå', depot, 1);
    pick(at.station.store, a, { orderRef: o.orderRef, articleId: o.articleId, fromLocationId: o.locationId, quantity: 1 });
    const p = openPallet(at.station.store, a, { route: 'Rutt Depå', deliveryDay: day, deliveryPoint: depot, municipality: 'Kalix' });
    addToPallet(at.station.store, a, { palletId: p.id, articleId: o.articleId, quantity: 1 });
    closePallet(at.station.store, a, p.id);
    await go('restock', 'Påfyllningsrunda');
    await wedge(`]C100${p.sscc}`);
    await expect.poll(feedback).toBe(`Pall ${p.sscc} ska till ${depot}, inte hit. Den tas emot där.`);
    await expect.poll(() => page.getByTestId('prompt').textContent()).toBe('Skanna påfyllningspallens SSCC-etikett.');
    await expectAccessible(page, 'restocking run, refused');
  });
});
