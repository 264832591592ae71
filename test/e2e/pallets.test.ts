/**
 * Pallets end to end: a worker in Boden scans picked goods onto a pallet, closes it and sees its
 * label preview and the print job; then a depot receives the pallet by scanning its SSCC.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { openStationDb } from '../../db/open';
import { callerFor, queries, signedIn, tempDir } from '../helpers';
import { PrinterEmulator } from '../printer-emulator';
import { browserStation, expectAccessible, signIn, type BrowserStation, openFromMenu } from './browser';

let at: BrowserStation;
let page: Page;
let printer: PrinterEmulator;

beforeAll(async () => {
  printer = new PrinterEmulator();
  at = await browserStation({ dataDir: tempDir('depot-e2e-pallet-') });
  page = at.page;
});
afterAll(async () => {
  await at?.close();
  await printer?.close();
});

const typeScan = async (code: string) => {
  const field = page.getByLabel(/Skriv en kod/);
  await field.fill(code);
  await field.press('Enter');
};

describe('pallets in browser mode', () => {
  it('builds a pallet by scanning, closes it with its label, and a depot receives it by its SSCC', async () => {
    const s = at.station;
    const { one } = queries(s.store);
    const port = await printer.listen();
    const siteId = one<{ site_id: string }>('select site_id from station').site_id;
    // A picked device waiting at dispatch, on an order for the Luleå depot's route.
    const ind = one<{ id: string; n: string; article_id: string }>(
      "select i.id, i.individual_number as n, i.article_id from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 1",
      siteId,
    );
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const orderId = uuidv7();
    s.store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, 'KO-0088001', 'KST-1', 'Filialförråd Sunderby sjukhus', 'Luleå', 'Rutt Pall', ?, ?, ?)")
      .run(orderId, day, Date.now() - 86_400_000 * 4, siteId);
    s.store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(uuidv7(), orderId, ind.article_id);

    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    const call = callerFor(s.api, await page.evaluate(() => sessionStorage.getItem('depot.session')));
    // The printer is set up by a supervisor.
    expect(await call('printers.save', { printers: [] })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    const boss = await signedIn(s.api, 'supervisor');
    expect(await boss.call('printers.save', { printers: [{ id: 'p', name: 'Zebra utlastning', connection: { kind: 'tcp', host: '127.0.0.1', port }, dpi: 203, labelSize: { widthMm: 100, heightMm: 150 }, kinds: ['pallet'] }] })).toMatchObject({ ok: true });
    expect(await call('picking.pick', { orderRef: 'KO-0088001', articleId: ind.article_id, individualId: ind.id, quantity: 1 })).toMatchObject({ ok: true });

    await page.evaluate(() => (location.hash = '#/pallet'));
    await page.getByLabel('Rutt och leveransdag').selectOption(`Rutt Pall|${day}`);
    await expect.poll(() => page.getByLabel('Leveransplats').inputValue()).toBe('Filialförråd Sunderby sjukhus|Luleå');
    await page.getByRole('button', { name: 'Ny pall' }).click();
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toMatch(/Pall \d{18} öppnad/);
    await typeScan(ind.n);
    await expect.poll(() => page.getByTestId('pallet-items').locator('tbody tr').count()).toBe(1);
    await expectAccessible(page, 'pallet');
    await typeScan('CMD-DONE');
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('etiketten skrivs ut');
    const sscc = one<{ sscc: string }>("select sscc from pallets where route = 'Rutt Pall'").sscc;
    await expect.poll(() => page.getByRole('img', { name: new RegExp(sscc) }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Pallmanifest (PDF)' }).getAttribute('href')).toMatch(/^data:application\/pdf;base64,/);
    await expect.poll(() => printer.printed.length).toBe(1);
    expect(printer.printed[0]).toContain(`>;>800${sscc}`);
    await openFromMenu(page, 'Utskrifter');
    await expect.poll(() => page.getByTestId('print-queue').locator('tbody tr').first().textContent()).toContain(`Pall ${sscc}`);
    expect(one('select status, location_id as l from individuals where id = ?', ind.id)).toEqual({ status: 'in_transit', l: null });

    // The depot in Luleå: its station has the register's data (here: the same database, set up as the depot's station).
    await at.restart((dataDir) => {
      const depot = openStationDb({ dataDir, quickCheck: 'skip' });
      depot.sqlite.prepare("update station set site_id = (select id from sites where code = 'LUL'), name = 'Förrådsstation Sunderby'").run();
      depot.close();
    });
    await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
    await page.evaluate(() => (location.hash = '#/pallet-receive'));
    await expect.poll(() => page.getByRole('heading', { name: 'Ta emot pall', level: 1 }).isVisible()).toBe(true);
    await typeScan(sscc);
    await expect.poll(() => page.getByTestId('received-items').locator('tbody tr').first().textContent()).toContain('Mottagen');
    await expectAccessible(page, 'pallet receipt');
    expect(queries(at.station.store).one('select l.code, i.status from individuals i join locations l on l.id = i.location_id where i.id = ?', ind.id)).toEqual({ code: 'LUL-A', status: 'in_stock' });
  });
});
