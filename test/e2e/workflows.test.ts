/**
 * The central store's day at the scanning station, driven by a scanner on a real serial line
 * (a socat pty pair): goods receipt → putaway → picking → return, with undo; a wrong location and
 * an unknown barcode each show their error and change nothing. Afterwards the ledger holds
 * exactly the movements the day should have made.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import { uuidv7 } from '../../db/ids';
import { queries, signedIn, tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';

let at: BrowserStation;
let station: Station;
let page: Page;
let pty: PtyPair;

beforeAll(async () => {
  const dir = tempDir('depot-e2e-flow-');
  pty = await ptyPair(dir);
  at = await browserStation({ dataDir: dir, devices: true });
  ({ station, page } = at);
});
afterAll(async () => {
  await at?.close();
  await pty?.unplug().catch(() => undefined);
});

const { one, all } = queries(() => station.store);
const scan = (code: string) => pty.write(`${code}\r\n`);
const feedback = () => page.getByTestId('workflow-feedback').textContent();
/** Opens a workflow's screen; it is ready for the scanner once its session in the core has said what to scan. */
const go = async (screen: string, heading: string) => {
  await page.evaluate((s) => (location.hash = `#/${s}`), screen);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
  await expect.poll(() => page.getByTestId('prompt').textContent()).not.toBe('');
};

describe('a day at the scanning station, by scanner', () => {
  it('receives, puts away, picks and takes back devices, and the ledger says exactly that', async () => {
    const stationId = one<{ id: string }>('select id from station').id;
    const siteId = one<{ site_id: string }>('select site_id from station').site_id;
    const ours = () => all<{ reason: string }>('select reason from movements where station_id = ? order by seq', stationId).map((r) => r.reason);

    // Sign in, and set up the serial scanner.
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await expect.poll(() => page.getByRole('heading', { name: 'Skanningsstation' }).isVisible()).toBe(true);
    await expectAccessible(page, 'scanning station with workflows');
    // The scanner is set up by a supervisor.
    const saved = await (await signedIn(station.api, 'supervisor')).call('scanners.save', {
      scanners: [{ id: 's1', name: 'Handskanner', kind: 'serial', path: pty.station, baudRate: 9600, framing: { suffix: 'CRLF' }, enabled: true }],
    });
    expect(saved.ok).toBe(true);
    await expect.poll(async () => (await station.api.scanning.overview()).states[0]?.state).toBe('open');

    // 1. Goods receipt: the purchase order, then a device with its serial in a GS1-128.
    await page.getByRole('link', { name: 'Inleverans' }).click();
    await expect.poll(() => page.getByTestId('prompt').textContent()).toContain('Skanna inköpsordern');
    const po = one<{ po_number: string }>('select po_number from purchase_orders order by po_number limit 1').po_number;
    scan(po);
    await expect.poll(() => page.getByTestId('po-lines').isVisible()).toBe(true);
    await expectAccessible(page, 'goods receipt');
    const line = one<{ article_id: string; gtin: string }>(
      `select l.article_id, (select gtin from article_gtins g where g.article_id = l.article_id limit 1) as gtin
       from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id join articles a on a.id = l.article_id
       where p.po_number = ? and a.rentable = 1 order by l.line_no limit 1`,
      po,
    );
    scan(`]C101${line.gtin}21SN-E2E-1`);
    await expect.poll(feedback).toMatch(/mottagen som ny individ I\d{7}/);
    const received = one<{ id: string; n: string; udi: string }>("select id, individual_number as n, udi from individuals where serial_number = 'SN-E2E-1'");
    expect(received.udi).toBe(`(01)${line.gtin}(21)SN-E2E-1`);

    // 2. Putaway: the suggestion, a wrong location and an unknown barcode refused, then the right one.
    await go('putaway', 'Inlagring');
    scan(received.n);
    await expect.poll(() => page.getByTestId('suggestion').textContent()).toMatch(/BOD-/);
    await expectAccessible(page, 'putaway');
    const suggested = (await page.getByTestId('suggestion').locator('strong').textContent())!;
    const before = ours().length;
    const elsewhere = one<{ code: string }>("select code from locations where site_id <> ? and level = 'bin' order by code limit 1", siteId).code;
    // Another site's location is refused as it is scanned: nothing waits for CONFIRM.
    scan(elsewhere);
    await expect.poll(feedback).toContain('hör till ett annat förråd');
    scan('CMD-CONFIRM');
    await expect.poll(feedback).toContain('Inget väntar på bekräftelse');
    scan('XX-NOT-A-CODE-9');
    await expect.poll(feedback).toContain('Okänd streckkod');
    expect(ours().length).toBe(before);
    expect(one('select location_id is not null as atGoodsIn, status from individuals where id = ?', received.id)).toEqual({ atGoodsIn: 1, status: 'in_stock' });
    scan(suggested);
    await expect.poll(feedback).toContain(`ligger nu på ${suggested}`);

    // 3. Picking: an order for this article on a route; the device that waited longest is proposed.
    const orderRef = 'KO-0077001';
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const orderId = uuidv7();
    station.store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'KST-4711', 'Kalix vårdcentral', 'Kalix', 'Rutt Test', ?, ?, ?)")
      .run(orderId, orderRef, day, Date.parse(`${day}T08:00:00`) - 10 * 86_400_000, siteId);
    station.store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(uuidv7(), orderId, line.article_id);
    await go('pick', 'Plock');
    // Scanning the order's pick note opens its route and day.
    scan(orderRef);
    await expect.poll(feedback).toContain(`Order ${orderRef}: Rutt Test`);
    await expect.poll(() => page.getByLabel('Rutt och leveransdag').inputValue()).toBe(`Rutt Test|${day}`);
    await expect.poll(() => page.getByTestId(`pick-lines-${orderRef}`).isVisible()).toBe(true);
    await expectAccessible(page, 'picking');
    const proposed = (await page.getByTestId(`pick-lines-${orderRef}`).locator('tbody td').nth(2).textContent())!.split(' @ ')[0]!;
    // A tired worker scans the shelf, then the article's barcode instead of the device's own label:
    // the station asks for the device, proposing the one that waited longest, and nothing moves.
    const picksBefore = ours().length;
    scan(suggested);
    await expect.poll(feedback).toContain(`Plockar från ${suggested}`);
    scan(`]C101${line.gtin}`);
    await expect.poll(feedback).toContain('följs per individ: skanna individens egen etikett');
    expect(await feedback()).toContain(`Föreslagen: ${proposed}`);
    expect(ours().length).toBe(picksBefore);
    scan(received.n);
    await expect.poll(feedback).toContain('plockad till KO-0077001');
    if (proposed !== received.n) expect(await feedback()).toContain(`${proposed} har väntat längst`);
    expect(one('select status from individuals where id = ?', received.id)).toEqual({ status: 'reserved' });

    // 4. Return intake of a device on loan: a missing component, then undo, then again.
    const lent = one<{ id: string; n: string }>(
      "select i.id, i.individual_number as n from individuals i where i.status = 'on_loan' and exists (select 1 from article_components c where c.article_id = i.article_id) order by i.individual_number limit 1",
    );
    await go('return', 'Retur');
    scan(lent.n);
    await expect.poll(() => page.getByRole('checkbox').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'return intake');
    const part = (await page.getByRole('checkbox').first().evaluate((e) => e.parentElement!.textContent))!.trim();
    await page.getByRole('checkbox').first().uncheck();
    scan('CMD-CONFIRM');
    await expect.poll(feedback).toContain(`saknas: ${part}`);
    expect(one('select status from individuals where id = ?', lent.id)).toEqual({ status: 'returned' });
    scan('CMD-UNDO');
    await expect.poll(feedback).toBe(`Ångrat: ${lent.n} utlånad igen.`);
    expect(one('select status, location_id from individuals where id = ?', lent.id)).toEqual({ status: 'on_loan', location_id: null });
    scan(lent.n);
    await expect.poll(() => page.getByRole('button', { name: 'Ta emot retur' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Ta emot retur' }).click();
    await expect.poll(feedback).toContain('kön till rengöring');

    // The ledger: exactly the day's movements, in order, and the device in the cleaning queue.
    expect(ours()).toEqual(['receipt', 'put_away', 'pick', 'return', 'correction', 'return']);
    expect(one('select count(*) as n from return_checks where individual_id = ?', lent.id)).toEqual({ n: 2 });
    expect(one('select status from individuals where id = ?', lent.id)).toEqual({ status: 'returned' });
    expect(at.errors).toEqual([]);
  });

  it('offers a supervisor to link a GTIN no article has to the order line’s article, and the next scan receives it', async () => {
    const target = one<{ po: string; articleId: string; number: string }>(
      `select p.po_number as po, l.article_id as articleId, a.article_number as number
       from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id join articles a on a.id = l.article_id
       where a.tracking = 'none' order by p.po_number, l.line_no limit 1`,
    );
    const body = '0200000099999';
    const digits = [...body].map(Number);
    const check = (10 - (digits.reduce((sum, d, i) => sum + d * ((digits.length - i) % 2 === 1 ? 3 : 1), 0) % 10)) % 10;
    const gtin = `${body}${check}`;
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await go('receive', 'Inleverans');
    scan(target.po);
    await expect.poll(() => page.getByTestId('po-lines').isVisible()).toBe(true);
    scan(gtin);
    await expect.poll(feedback).toBe(`GTIN ${gtin} är inte kopplad till någon artikel.`);
    await expect.poll(() => page.getByTestId('link-gtin').isVisible()).toBe(true);
    await expectAccessible(page, 'goods receipt, an unknown GTIN');
    await page.getByRole('button', { name: new RegExp(`^Koppla till ${target.number}`) }).first().click();
    await expect.poll(() => page.getByTestId('gtin-linked').textContent()).toBe(`GTIN ${gtin} hör nu till ${target.number}. Skanna varan igen.`);
    expect(one('select article_id as a from article_gtins where gtin = ?', gtin)).toEqual({ a: target.articleId });
    scan(gtin);
    await expect.poll(feedback).toContain(`${target.number} mottagen`);
    expect(one<{ n: number }>("select count(*) as n from outbox where kind = 'entities' and payload like ?", `%"gtin_link","${gtin}"%`).n).toBe(1);
    expect(at.errors).toEqual([]);
  });
});
