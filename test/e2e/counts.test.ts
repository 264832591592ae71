/**
 * An inventory count in browser mode: a supervisor plans a zone count, a counter counts it blind by
 * scanning, a variance sends a location to a recount by another counter, the supervisor approves,
 * and the ledger changes by exactly the variance.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, openFromMenu } from './browser';
import { scanKeys } from './wedge';

let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-counts-') }));
});
afterAll(() => close?.());

describe('an inventory count in browser mode', () => {
  it('is planned, counted blind by scanning, recounted by another counter, approved into the ledger', async () => {
    const { all, one } = queries(station.store);
    // The spare-parts zone: a few shelves of parts, each with its barcode.
    const zone = one<{ id: string; code: string; name: string }>("select l.id, l.code, l.name from locations l join station s on s.site_id = l.site_id where l.kind = 'spare_parts' and l.level = 'zone'");
    const stock = all<{ location: string; code: string; article: string; gtin: string; q: number }>(
      `select b.location_id as location, l.code, b.article_id as article, (select min(g.gtin) from article_gtins g where g.article_id = b.article_id) as gtin, b.quantity as q
       from balances b join locations l on l.id = b.location_id where l.parent_id = ? and b.quantity > 0 order by l.code, b.article_id`,
      zone.id,
    );
    const bins = [...new Set(stock.map((s) => s.code))];
    const short = stock[0]!; // one of these is really one fewer than the ledger says
    const scan = async (code: string) => {
      const field = page.getByLabel(/Skriv en kod/);
      await field.fill(code);
      await field.press('Enter');
    };
    const feedback = () => page.getByTestId('workflow-feedback').textContent();
    let reloaded = false;
    let scannedIntoField = false;

    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Inventering');
    await page.getByLabel('Typ').selectOption({ label: 'En zon' });
    await page.getByRole('combobox', { name: /^Zon/ }).selectOption({ label: `${zone.code} ${zone.name}` });
    await expectAccessible(page, 'plan a count');
    await page.getByRole('button', { name: 'Skapa inventeringen' }).click();
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain(`0 av ${bins.length} platser räknade`);
    const countNumber = (await page.getByRole('heading', { level: 1 }).textContent())!.match(/INV-\S+/)![0];

    // A counter counts every shelf blind: what is there, never what the system expects.
    const count = async (who: [string, string], codes: string[], shortBy: number) => {
      await page.getByRole('button', { name: 'Logga ut' }).click();
      await signIn(page, web.openUrl, ...who);
      await openFromMenu(page, 'Inventering');
      await page.getByRole('link', { name: countNumber }).click();
      for (const code of codes) {
        await scan(code);
        await expect.poll(feedback).toMatch(new RegExp(`(Räknar|Räknar om) ${code}`));
        for (const s of stock.filter((x) => x.code === code)) {
          const q = s === short ? s.q - shortBy : s.q;
          if (q === 0) continue;
          const quantity = page.getByLabel(/Antal för nästa artikel/);
          let left = q;
          if (!scannedIntoField && s.gtin.startsWith('0') && s.gtin[1] !== '0' && s.gtin[1] !== '1') {
            // The empty quantity field has focus when the box's EAN-13 is scanned: one unit counted, and
            // neither its digits nor its first one taken for a quantity.
            scannedIntoField = true;
            await quantity.fill('');
            await quantity.focus();
            await scanKeys(page, s.gtin.slice(1));
            await expect.poll(feedback).toContain('1 ×');
            expect(await quantity.inputValue()).toBe('');
            left = q - 1;
            if (left === 0) continue;
          }
          await quantity.fill(String(left));
          await scan(s.gtin);
          await expect.poll(feedback).toContain(`${left} ×`);
          if (!reloaded && scannedIntoField) {
            // The window is reloaded mid-location: the count runs in the station, so the same
            // location comes back with what is counted so far, and its undo.
            reloaded = true;
            const rows = await page.getByTestId('count-scans').locator('tbody tr').count();
            await page.reload();
            await expect.poll(() => page.getByTestId('prompt').textContent()).toContain(`Räkna ${code}`);
            expect(await page.getByTestId('count-scans').locator('tbody tr').count()).toBe(rows);
            expect(await page.getByRole('button', { name: 'Ångra senaste' }).isEnabled()).toBe(true);
          }
        }
        expect(await page.getByTestId('count-scans').textContent()).not.toContain('Förväntat');
        await page.getByRole('button', { name: `Klar med ${code}` }).click();
        await expect.poll(feedback).toContain(code);
      }
    };
    await count(['Lena Nilsson', '1111'], bins, 1);
    // Both the scan into the focused field and the reload happened (the spare parts carry EAN-13s).
    expect({ scannedIntoField, reloaded }).toEqual({ scannedIntoField: true, reloaded: true });
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('1 plats ska räknas om');
    await expectAccessible(page, 'counting');
    // The recount is not the first counter's.
    expect(await page.getByTestId('my-locations').textContent()).not.toContain(short.code);
    await count(['Mikael Lindqvist', '1112'], [short.code], 1);
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain(`${bins.length} av ${bins.length} platser räknade`);

    // The supervisor sees the one variance, approves it, and the ledger follows.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Inventering');
    await page.getByRole('link', { name: countNumber }).click();
    await expect.poll(() => page.getByTestId('variances').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('variances').textContent()).toContain(short.code);
    await expectAccessible(page, 'count review');
    await page.getByRole('button', { name: /Godkänn 1 rad och/ }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('1 rad godkänd, 1 justering bokad');
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', short.article, short.location).q).toBe(short.q - 1);
    expect(one('select reason, order_ref as ref, quantity from movements where order_ref = ?', countNumber)).toEqual({ reason: 'count_adjustment', ref: countNumber, quantity: 1 });
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('Godkänd');

    // The report: the zone's accuracy, the variance, as a chart and as files.
    const lines = stock.length;
    await expect.poll(() => page.getByTestId('report-total').textContent()).toContain(`${bins.length} platser, ${lines} rader, 1 avvikelse,`);
    expect(await page.getByTestId('report-zones').textContent()).toContain(zone.code);
    await expect.poll(() => page.getByTestId('chart-accuracy').locator('.recharts-bar-rectangle').count()).toBe(1);
    for (const [format, magic] of [['XLSX', 'UEsDB'], ['PDF', 'JVBER'], ['CSV', '77u/']] as const) {
      await page.getByRole('button', { name: `Exportera ${format}` }).click();
      expect((await page.getByTestId(`report-${format.toLowerCase()}`).getAttribute('href'))!.split('base64,')[1]!.startsWith(magic)).toBe(true);
    }
    await expectAccessible(page, 'count report');

    // The approval is in the audit trail, whose chain holds.
    await openFromMenu(page, 'Granskningslogg');
    await expect.poll(() => page.getByTestId('audit').textContent()).toContain('count.approve');
    await page.getByRole('button', { name: 'Kontrollera kedjan' }).click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toMatch(/^Kedjan är hel/);
    await expectAccessible(page, 'audit trail');
  });
});
