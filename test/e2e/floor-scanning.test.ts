/**
 * Scanning on the warehouse floor, at a 1366×768 station screen with a keyboard-wedge scanner
 * (2–10 ms between keys, a first key that may come late): a burst into a focused quantity field or
 * a route list is a scan and leaves the field as typed (the quantity is never sent, not even for a
 * moment); codes without a symbology identifier (a bare SSCC, a bare GTIN) are read; every
 * workflow screen has KLAR, BEKRÄFTA, AVBRYT and ÅNGRA as buttons that do what the cards do; and
 * at the kiosk, KLAR scanned while the cost-centre field has focus registers the basket, while a
 * cost centre's own barcode lands in the field.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSscc } from '../../vocabulary/codes/sscc';
import { WORKFLOW_SCREENS } from '../../renderer/src/workflowScreens';
import { queries, signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { feedbackSeq, scanKeys, typeAsScanner, wedge } from './wedge';

let at: BrowserStation;
let page: Page;
const db = queries(() => at.station.store);
/** What the screen sent the station, call by call. */
let calls: { name: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-floor-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  page.on('request', (r: Request) => {
    if (!r.url().endsWith('/api/call') || r.method() !== 'POST') return;
    try {
      calls.push(JSON.parse(r.postData() ?? '{}') as { name: string; input: Record<string, unknown> });
    } catch {
      // not a call
    }
  });
});
afterAll(() => at?.close());

const feedback = () => page.getByTestId('workflow-feedback').textContent();
const quantitiesSent = () => calls.filter((c) => c.name === 'workflow.input' && (c.input.input as { kind?: string } | undefined)?.kind === 'quantity').map((c) => (c.input.input as { quantity: number | null }).quantity);
const go = async (screen: string) => {
  await page.evaluate((s) => (location.hash = `#/${s}`), screen);
  await expect.poll(() => page.getByTestId('prompt').textContent()).not.toBe('');
};
/** A scan by wedge into whatever has focus, and the session's answer to it. */
const scanHere = async (code: string, firstKeyLateMs = 0) => {
  const before = await feedbackSeq(page);
  await scanKeys(page, code, { firstKeyLateMs });
  await expect.poll(() => feedbackSeq(page)).not.toBe(before);
};
const article = () =>
  db.one<{ id: string; number: string; gtin: string }>(
    "select a.id, a.article_number as number, g.gtin from articles a join article_gtins g on g.article_id = a.id where g.gtin like '0%' order by a.article_number limit 1",
  );

describe('scanning on the floor', () => {
  it('takes a burst into a focused quantity field or route list as a scan, and the field keeps what was typed', async () => {
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    const a = article();
    // A bare GTIN-13 (no symbology identifier), as many scanners send it.
    const gtin13 = a.gtin.slice(1);

    for (const screen of ['receive', 'pallet']) {
      await go(screen);
      const quantity = page.getByLabel('Antal per skanning');
      await quantity.click();
      await quantity.fill('');
      await quantity.pressSequentially('3', { delay: 80 });
      await quantity.blur();
      await expect.poll(() => quantitiesSent().at(-1)).toBe(3);
      await quantity.click();
      calls = [];
      for (const late of [0, 120]) {
        await scanHere(gtin13, late);
        // The scan was a scan: the screen's workflow answered it (receipt: the order comes first).
        if (screen === 'receive') expect(await feedback()).toContain('Skanna inköpsordern först');
        expect(await quantity.inputValue()).toBe('3');
      }
      // Nothing typed by the scanner reached the session, not even for a moment; the scan went whole.
      await quantity.blur();
      expect(quantitiesSent()).toEqual([]);
      const scans = calls.filter((c) => c.name === 'scan.submit').map((c) => `${(c.input.lead as string | undefined) ?? ''}${c.input.raw as string}`);
      expect(scans).toEqual([gtin13, gtin13]);
      await expectAccessible(page, `${screen} after scans into the quantity`);
    }

    // A command card scanned into the quantity field is a command, whatever the field holds.
    await go('receive');
    const po = db.one<{ n: string }>('select po_number as n from purchase_orders order by po_number limit 1').n;
    await typeAsScanner(page, po);
    await expect.poll(() => page.getByTestId('po-lines').isVisible()).toBe(true);
    const quantity = page.getByLabel('Antal per skanning');
    await quantity.click();
    await scanHere('CMD-DONE', 120);
    expect(await feedback()).toContain('Inleveransen är avslutad');
    expect(await quantity.inputValue()).toBe('3');

    // Plock: a location scanned while the route list has focus picks from there and leaves the route be.
    await go('pick');
    const route = page.getByLabel('Rutt och leveransdag');
    const chosen = await route.inputValue();
    await route.focus();
    const bin = db.one<{ code: string }>("select code from locations where site_id = (select site_id from station) and level = 'bin' and code glob '[A-Z][A-Z][A-Z]-[A-Z]-*' order by code limit 1").code;
    await scanHere(bin, 120);
    expect(await feedback()).toContain(`Plockar från ${bin}`);
    expect(await route.inputValue()).toBe(chosen);
  });

  it('reads a bare SSCC on the pallet-receive screen, and a wrong check digit is no pallet', async () => {
    await go('pallet-receive');
    const sscc = makeSscc(3, '7350000', 987654321);
    const wrong = sscc.slice(0, 17) + ((Number(sscc[17]) + 1) % 10);
    await wedge(page, `00${wrong}`);
    expect(await feedback()).toContain('Okänd streckkod');
    // Read as the pallet it names (none such was sent here): the station looks for it, it is no unknown code.
    await wedge(page, `00${sscc}`);
    expect(await feedback()).toContain(sscc);
    expect(await feedback()).not.toContain('Okänd streckkod');
    expect(await feedback()).not.toContain('Skanna SSCC-koden');
    await expectAccessible(page, 'pallet receipt after a bare SSCC');
  });

  it('has KLAR, BEKRÄFTA, AVBRYT and ÅNGRA as buttons on every workflow screen, doing what the cards do', async () => {
    const buttons = ['KLAR', 'BEKRÄFTA', 'AVBRYT', 'Ångra senaste'];
    // Counting is scanned on a count's own page: a count of two shelves.
    const boss = await signedIn(at.station.api, 'supervisor');
    const bins = db.all<{ id: string }>("select id from locations where site_id = (select site_id from station) and level = 'bin' and retired_at is null order by code limit 2").map((l) => l.id);
    const planned = await boss.call('count.plan', { kind: 'locations', locationIds: bins });
    expect(planned).toMatchObject({ ok: true });
    const countId = (planned as { value: { id: string } }).value.id;
    for (const screen of Object.values(WORKFLOW_SCREENS).filter((s) => s !== 'scan')) {
      await page.evaluate((s) => (location.hash = `#/${s}`), screen === 'counts' ? `count/${countId}` : screen);
      for (const name of buttons) {
        const button = page.getByRole('button', { name, exact: true });
        await expect.poll(() => button.isVisible(), { message: `${name} on ${screen}` }).toBe(true);
        const box = (await button.boundingBox())!;
        expect(box.y + box.height, `${name} on ${screen} within 768 px`).toBeLessThanOrEqual(768);
        expect(box.x + box.width, `${name} on ${screen} within 1366 px`).toBeLessThanOrEqual(1366);
      }
      await expectAccessible(page, `${screen} with the command buttons`);
    }

    // Goods receipt finished with the KLAR button, as with the card.
    await go('receive');
    const po = db.one<{ n: string }>('select po_number as n from purchase_orders order by po_number limit 1').n;
    await wedge(page, po);
    await expect.poll(() => page.getByTestId('po-lines').isVisible()).toBe(true);
    let seq = await feedbackSeq(page);
    await page.getByRole('button', { name: 'KLAR', exact: true }).click();
    await expect.poll(feedback).toContain('Inleveransen är avslutad');
    expect(await feedbackSeq(page)).not.toBe(seq);
    await expect.poll(() => page.getByTestId('prompt').textContent()).toContain('Skanna inköpsordern');

    // Putaway: a device scanned, a location other than the suggested one asks for BEKRÄFTA, and the
    // button confirms it; the next device is cancelled with AVBRYT, as the card cancels.
    await go('putaway');
    const site = db.one<{ id: string }>('select site_id as id from station').id;
    const [first, second] = db.all<{ id: string; n: string }>(
      "select i.id, i.individual_number as n from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 2",
      site,
    );
    await wedge(page, first!.n);
    await expect.poll(() => page.getByTestId('suggestion').textContent()).toMatch(/[A-Z]{3}-/);
    const suggested = (await page.getByTestId('suggestion').locator('strong').textContent())!;
    const other = db.one<{ code: string }>("select code from locations where site_id = ? and level = 'bin' and code <> ? and retired_at is null order by code limit 1", site, suggested).code;
    await wedge(page, other);
    await expect.poll(feedback).toContain('BEKRÄFTA');
    await page.getByRole('button', { name: 'BEKRÄFTA', exact: true }).click();
    await expect.poll(() => db.one<{ code: string }>('select l.code from individuals i join locations l on l.id = i.location_id where i.id = ?', first!.id).code).toBe(other);
    // ÅNGRA takes it back, as the card does.
    await page.getByRole('button', { name: 'Ångra senaste', exact: true }).click();
    await expect.poll(() => db.one<{ code: string }>('select l.code from individuals i join locations l on l.id = i.location_id where i.id = ?', first!.id).code).not.toBe(other);

    await wedge(page, second!.n);
    await expect.poll(() => page.getByTestId('suggestion').isVisible()).toBe(true);
    seq = await feedbackSeq(page);
    await page.getByRole('button', { name: 'AVBRYT', exact: true }).click();
    await expect.poll(feedback).toContain('Avbrutet');
    const byButton = await feedback();
    await expect.poll(() => page.getByTestId('suggestion').count()).toBe(0);
    // The card says the same.
    await wedge(page, second!.n);
    await wedge(page, 'CMD-CANCEL');
    expect(await feedback()).toBe(byButton);
    expect(await feedbackSeq(page)).not.toBe(seq);
    await expectAccessible(page, 'putaway after AVBRYT');
  });

  it('at the kiosk, a cost centre scanned into its field stays there, and KLAR scanned there registers the basket', async () => {
    const boss = await signedIn(at.station.api, 'supervisor');
    expect(await boss.call('kiosk.configure', { enabled: true, idleSeconds: 300 })).toMatchObject({ ok: true });
    const site = db.one<{ id: string }>('select site_id as id from station').id;
    const supply = db.one<{ id: string; gtin: string }>(
      `select a.id, min(g.gtin) as gtin from articles a join article_gtins g on g.article_id = a.id
       join balances x on x.article_id = a.id join locations l on l.id = x.location_id
       where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.rentable = 0 and a.tracking = 'none' and x.quantity > 5
       group by a.id order by a.article_number limit 1`,
      site,
    );
    const badge = db.one<{ b: string }>("select badge_code as b from users where role = 'prescriber' and active = 1 order by badge_code limit 1").b;
    await page.evaluate(() => sessionStorage.clear());
    await page.goto('about:blank');
    await page.goto(at.web.openUrl);
    await expect.poll(() => page.getByText('Skanna din bricka för att börja.').isVisible()).toBe(true);
    await typeAsScanner(page, badge);
    await expect.poll(() => page.getByRole('heading', { name: /^Hej / }).isVisible()).toBe(true);
    // A bare GTIN-13, with the scanner's first key late.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const before = await feedbackSeq(page);
    await scanKeys(page, supply.gtin.slice(1), { firstKeyLateMs: 120 });
    await expect.poll(() => feedbackSeq(page)).not.toBe(before);
    await expect.poll(() => page.getByTestId('kiosk-lines').locator('tbody tr').count()).toBe(1);

    // "Skanna ordern eller skriv kostnadsställe, och skanna KLAR": a cost centre's barcode lands in the field…
    const order = page.getByLabel('Order eller kostnadsställe');
    await order.click();
    await scanKeys(page, 'KST-4711');
    await expect.poll(() => order.inputValue()).toBe('KST-4711');
    await expectAccessible(page, 'kiosk with a cost centre');
    // …and KLAR scanned with the field still focused (its first key late) registers the basket for it.
    await scanKeys(page, 'CMD-DONE', { firstKeyLateMs: 120 });
    await expect.poll(() => page.getByRole('heading', { name: 'Tack!' }).isVisible()).toBe(true);
    expect(
      db.one<{ n: number }>("select coalesce(sum(quantity), 0) as n from movements where order_ref = 'KST-4711' and article_id = ?", supply.id).n,
    ).toBe(1);
  });
});
