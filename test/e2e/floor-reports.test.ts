/**
 * Figures, charts and the audit log at a 1366×768 station screen: the article's stock over time
 * agrees with its table, the supervisor's overview and the workshop's figures are charts with axes,
 * units, a legend and a table of the same numbers, and the audit log reads as sentences without
 * scrolling sideways.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn } from './browser';

let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-floor-reports-') }));
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(() => close?.());

const ON_HAND = "('goods_in', 'rack', 'shelf', 'floor', 'spare_parts')";

/** A chart drawn with axes, ticks on both, a legend naming each series, and a table of its figures. */
async function expectChart(page: Page, testId: string, legend: string[], unit: string) {
  const chart = page.getByTestId(testId);
  await expect.poll(() => chart.locator('.recharts-cartesian-axis-tick').count()).toBeGreaterThan(3);
  expect(await chart.locator('.recharts-xAxis').count()).toBe(1);
  expect(await chart.locator('.recharts-yAxis').count()).toBe(1);
  expect(await chart.locator('.recharts-label').allTextContents()).toContain(unit);
  const items = await chart.locator('.recharts-legend-item-text').allTextContents();
  for (const l of legend) expect(items).toContain(l);
  await chart.locator('summary', { hasText: 'Visa siffrorna som tabell' }).click();
  const table = chart.locator('details table');
  expect(await table.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(legend.map((l) => `${l} (${unit})`)));
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
  return table;
}

describe('charts and the audit log at the station', () => {
  it("draws an article's stock over time with axes, and its figure today is the table's figure for the site", async () => {
    const { one } = queries(station.store);
    // An article whose stock at the central store stands partly outside the shelves (at dispatch, returns, cleaning or the workshop).
    const a = one<{ id: string; total: number; onHand: number; site: string }>(
      `select b.article_id as id, sum(b.quantity) as total, sum(case when l.kind in ${ON_HAND} then b.quantity else 0 end) as onHand, s.name as site
       from balances b join locations l on l.id = b.location_id join sites s on s.id = l.site_id
       where s.kind = 'central_store' group by b.article_id, s.id
       having sum(b.quantity) <> sum(case when l.kind in ${ON_HAND} then b.quantity else 0 end) and sum(case when l.kind in ${ON_HAND} then b.quantity else 0 end) > 0
       order by b.article_id limit 1`,
    );
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await page.evaluate((id) => (location.hash = `#/article/${id}`), a.id);
    const siteRow = page.locator('tr.group-row', { hasText: a.site });
    await expect.poll(() => siteRow.locator('td.num').textContent()).toBe(String(a.total));
    await expect.poll(() => page.getByTestId('stock-chart-now').textContent()).toContain(`Nu ${a.total}\u00a0st på ${a.site}, varav ${a.onHand}\u00a0st i lager att använda`);
    const table = await expectChart(page, 'stock-chart', ['Totalt på förrådet', 'I lager att använda'], 'st');
    // The table's last day is today, with the same figures.
    const last = await table.locator('tbody tr').last().locator('td').allTextContents();
    expect(last).toEqual([String(a.total), String(a.onHand)]);
    // A tooltip names the day and the value with its unit.
    const box = (await page.getByTestId('stock-chart').locator('.recharts-cartesian-grid').boundingBox())!;
    await page.mouse.move(box.x + box.width - 30, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('stock-chart').locator('.recharts-tooltip-wrapper').textContent()).toMatch(/\d+\u00a0st/);
    await expectAccessible(page, 'article page with its stock chart');
    if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/article.png`, fullPage: true });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1366);
  });

  it("draws the supervisor's overview and the workshop's figures with axes, units, legends and tables", async () => {
    await page.evaluate(() => (location.hash = '#/overview'));
    await expectChart(page, 'chart-sites', ['I lager'], 'st');
    await expectChart(page, 'chart-daily', [], 'st');
    await expectAccessible(page, 'overview');
    if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/overview.png`, fullPage: true });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1366);

    await page.evaluate(() => (location.hash = '#/workshop'));
    await expectChart(page, 'chart-throughput', ['Friklassade', 'Kasserade'], 'st');
    await expectChart(page, 'chart-breaches', [], 'st');
    await expectChart(page, 'chart-ages', [], 'st');
    await expectAccessible(page, 'workshop figures');
    if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/workshop.png`, fullPage: true });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1366);
  });

  it('reads the audit log as sentences, a move naming what moved from where to where, without scrolling sideways', async () => {
    const { one } = queries(station.store);
    const lena = one<{ id: string; site: string }>("select id, site_id as site from users where name = 'Lena Nilsson'");
    const ind = one<{ id: string; n: string; articleId: string; from: string; fromCode: string }>(
      `select i.id, i.individual_number as n, i.article_id as articleId, l.id as "from", l.code as fromCode from individuals i join locations l on l.id = i.location_id
       where l.level = 'bin' and l.kind in ('rack', 'shelf') and i.status = 'in_stock' and l.site_id = ? order by i.individual_number limit 1`,
      lena.site,
    );
    const to = one<{ id: string; code: string }>("select id, code from locations where site_id = ? and level = 'bin' and kind in ('rack', 'shelf') and id <> ? and retired_at is null order by code limit 1", lena.site, ind.from);
    const signedIn = (await station.api.call({ name: 'auth.signIn', input: { userId: lena.id, pin: '1111' }, session: null })) as { ok: true; value: { session: string } };
    expect(signedIn.ok).toBe(true);
    const moved = await station.api.call({ name: 'move.move', input: { articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.from, toLocationId: to.id, quantity: 1 }, session: signedIn.value.session });
    expect(moved).toMatchObject({ ok: true });

    await page.evaluate(() => (location.hash = '#/audit'));
    const sentence = `Lena Nilsson flyttade ${ind.n} från ${ind.fromCode} till ${to.code}`;
    await expect.poll(() => page.getByTestId('audit-sentence').allTextContents()).toContain(sentence);
    // No raw JSON in the rows; the details fold out, wrapped within the page.
    expect(await page.getByTestId('audit').locator('tbody').textContent()).not.toContain('{"');
    const row = page.getByTestId('audit').locator('tr', { hasText: sentence });
    await row.locator('summary').click();
    await expect.poll(() => row.locator('pre').textContent()).toContain(to.id);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1366);
    // Open every entry's details on the page: still nothing runs off to the side.
    await page.evaluate(() => document.querySelectorAll('[data-testid="audit"] details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1366);
    await expectAccessible(page, 'audit log');
    if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/audit.png` });

    // A supervisor looks for a kind of entry by its Swedish name, not the entries' own: the sign-ins
    // show at once, without the move; the stock's comings and goings show the move again.
    await page.getByLabel('Typ').selectOption({ label: 'Inloggningar och lås' });
    // The list shown before the choice holds the sign-in too: wait for the one without the move.
    await expect.poll(async () => !(await page.getByTestId('audit-sentence').allTextContents()).includes(sentence)).toBe(true);
    expect(await page.getByTestId('audit-sentence').allTextContents()).toContain('Lena Nilsson loggade in');
    await page.getByLabel('Typ').selectOption({ label: 'Lager: in, ut och flyttar' });
    await expect.poll(() => page.getByTestId('audit-sentence').allTextContents()).toContain(sentence);
    for (const said of await page.getByTestId('audit-sentence').allTextContents()) expect(said).not.toMatch(/loggade (in|ut)/);
    await page.getByLabel('Typ').selectOption({ label: 'Alla händelser' });
    await expect.poll(async () => { const all = await page.getByTestId('audit-sentence').allTextContents(); return all.includes('Lena Nilsson loggade in') && all.includes(sentence); }).toBe(true);

    // In English, the same entry reads in English.
    await page.evaluate(() => {
      localStorage.setItem('depot.lang', 'en');
    });
    await page.reload();
    await page.evaluate(() => (location.hash = '#/audit'));
    await expect.poll(() => page.getByTestId('audit-sentence').allTextContents()).toContain(`Lena Nilsson moved ${ind.n} from ${ind.fromCode} to ${to.code}`);
    await page.evaluate(() => localStorage.setItem('depot.lang', 'sv'));
  });
});
