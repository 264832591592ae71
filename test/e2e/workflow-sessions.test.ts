/**
 * The scanning workflows run in the core, so a reload of the window changes nothing: for each
 * workflow the screen is reloaded in the middle, and it shows the same step and the same lines,
 * and undo still takes back the last step. Scans are typed as a keyboard-wedge scanner types them
 * (a key every 2–10 ms, then Enter). Goods receipt also survives a restart of the station.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { callerFor, signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { wedge as scan } from './wedge';

let at: BrowserStation;
let page: Page;

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-sessions-') });
  page = at.page;
});
afterAll(() => at?.close());

const one = <T>(sql: string, ...args: unknown[]) => at.station.store.sqlite.prepare(sql).get(...args) as T;
const siteId = () => one<{ site_id: string }>('select site_id from station').site_id;
let picks = 0;
const wedge = (code: string) => scan(page, code);

const feedback = () => page.getByTestId('workflow-feedback').textContent();
const prompt = () => page.getByTestId('prompt').textContent();

async function go(screen: string, heading: string): Promise<void> {
  if (!(await page.getByRole('button', { name: 'Logga ut' }).isVisible())) await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
  await page.evaluate((s) => (location.hash = `#/${s}`), screen);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
  await expect.poll(prompt).not.toBe('');
}

/** Reloads the window and waits until it shows exactly what it showed before: the step, the feedback, and the given parts. */
async function reloadAndSee(...parts: string[]): Promise<void> {
  const read = async () => ({
    prompt: await prompt(),
    feedback: await feedback(),
    parts: await Promise.all(parts.map((p) => page.getByTestId(p).textContent())),
    undo: await page.getByRole('button', { name: 'Ångra senaste' }).isEnabled(),
  });
  const before = await read();
  await page.reload();
  await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
  await expect.poll(read).toEqual(before);
}

const undo = () => page.getByRole('button', { name: 'Ångra senaste' }).click();

describe('the workflows resume after a reload, at the same step with the same undo', () => {
  it('goods receipt (and after a restart of the station)', async () => {
    const line = one<{ po: string; article: string; articleId: string }>(
      `select p.po_number as po, a.article_number as article, a.id as articleId from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id
       join articles a on a.id = l.article_id where a.rentable = 0 and a.tracking = 'none' order by p.po_number, l.line_no limit 1`,
    );
    const received = () => one<{ n: number }>("select coalesce(sum(quantity), 0) as n from movements where order_ref = ? and article_id = ? and reason = 'receipt'", line.po, line.articleId).n;
    const start = received();
    await go('receive', 'Inleverans');
    await wedge(line.po);
    await expect.poll(() => page.getByTestId('po-lines').isVisible()).toBe(true);
    await wedge(line.article);
    await expect.poll(feedback).toContain(`${line.article} mottagen`);
    expect(received()).toBe(start + 1);
    await reloadAndSee('po-lines');
    await wedge(line.article);
    expect(received()).toBe(start + 2);
    await reloadAndSee('po-lines');
    await expectAccessible(page, 'goods receipt, resumed');

    // Even a restart of the station: signed in again, the receipt is where it was.
    const before = { prompt: await prompt(), lines: await page.getByTestId('po-lines').textContent() };
    await at.restart();
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await go('receive', 'Inleverans');
    await expect.poll(async () => ({ prompt: await prompt(), lines: await page.getByTestId('po-lines').textContent() })).toEqual(before);
    await undo();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    expect(received() - one<{ n: number }>("select coalesce(sum(quantity), 0) as n from movements where order_ref = ? and article_id = ? and reason = 'correction'", line.po, line.articleId).n).toBe(start + 1);
    await wedge('CMD-DONE');
    await expect.poll(prompt).toContain('Skanna inköpsordern');
  });

  it('putaway', async () => {
    const [first, second] = at.station.store.sqlite
      .prepare(
        `select i.id, i.individual_number as n, i.location_id as at from individuals i join locations l on l.id = i.location_id
         where i.status = 'in_stock' and l.site_id = ? and l.kind = 'shelf' and l.level = 'bin' order by i.individual_number limit 2`,
      )
      .all(siteId()) as { id: string; n: string; at: string }[];
    const free = one<{ code: string; id: string }>(
      "select l.code, l.id from locations l where l.site_id = ? and l.level = 'bin' and l.kind = 'shelf' and l.retired_at is null and not exists (select 1 from balances b where b.location_id = l.id) order by l.code desc limit 1",
      siteId(),
    );
    await go('putaway', 'Inlagring');
    await wedge(first!.n);
    await expect.poll(() => page.getByTestId('suggestion').isVisible()).toBe(true);
    await wedge(free.code);
    if ((await feedback())?.includes('Föreslagen plats')) await wedge('CMD-CONFIRM');
    await expect.poll(feedback).toContain(`${first!.n} ligger nu på ${free.code}`);
    expect(one('select location_id as at from individuals where id = ?', first!.id)).toEqual({ at: free.id });
    // The next item, in the middle of its step: reloaded, it is still there with its suggestion.
    await wedge(second!.n);
    await expect.poll(prompt).toContain(`Skanna platsen där ${second!.n} läggs`);
    await reloadAndSee('suggestion');
    await undo();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    expect(one('select location_id as at from individuals where id = ?', first!.id)).toEqual({ at: first!.at });
  });

  it('stock move', async () => {
    const ind = one<{ id: string; n: string; at: string }>(
      `select i.id, i.individual_number as n, i.location_id as at from individuals i join locations l on l.id = i.location_id
       where i.status = 'in_stock' and l.site_id = ? and l.kind = 'shelf' and l.level = 'bin' order by i.individual_number desc limit 1`,
      siteId(),
    );
    const to = one<{ code: string; id: string }>("select code, id from locations where site_id = ? and level = 'bin' and kind = 'shelf' and id <> ? and retired_at is null order by code limit 1", siteId(), ind.at);
    await go('move', 'Lagerflytt');
    await wedge(ind.n);
    await wedge(to.code);
    await expect.poll(feedback).toContain(`${ind.n} flyttad till ${to.code}`);
    await wedge(to.code);
    await expect.poll(prompt).toContain(`Skanna varan på ${to.code}`);
    await reloadAndSee();
    await undo();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    expect(one('select location_id as at from individuals where id = ?', ind.id)).toEqual({ at: ind.at });
  });

  it('picking', async () => {
    const article = one<{ id: string }>(
      `select i.article_id as id from individuals i join locations l on l.id = i.location_id
       where i.status = 'in_stock' and l.site_id = ? and l.kind in ('shelf', 'floor', 'rack') group by i.article_id having count(*) >= 2 order by count(*) desc limit 1`,
      siteId(),
    );
    const orderRef = `KO-00880${String(++picks).padStart(2, '0')}`;
    const day = new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10);
    const orderId = uuidv7();
    at.station.store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'KST-4712', 'Kalix vårdcentral', 'Kalix', 'Rutt Omladdning', ?, ?, ?)")
      .run(orderId, orderRef, day, Date.parse(`${day}T08:00:00`) - 10 * 86_400_000, siteId());
    at.station.store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 2)').run(uuidv7(), orderId, article.id);
    await go('pick', 'Plock');
    await wedge(orderRef);
    await expect.poll(() => page.getByLabel('Rutt och leveransdag').inputValue()).toBe(`Rutt Omladdning|${day}`);
    const lines = page.getByTestId(`pick-lines-${orderRef}`);
    await expect.poll(() => lines.isVisible()).toBe(true);
    const proposed = (await lines.locator('tbody td').nth(2).textContent())!.split(' @ ')[0]!;
    await wedge(proposed);
    await expect.poll(feedback).toContain(`${proposed} plockad till ${orderRef}`);
    await expect.poll(() => lines.locator('tbody td').nth(3).textContent()).toBe('1 / 2');
    await reloadAndSee(`pick-lines-${orderRef}`);
    expect(await page.getByLabel('Rutt och leveransdag').inputValue()).toBe(`Rutt Omladdning|${day}`);
    await undo();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    await expect.poll(() => lines.locator('tbody td').nth(3).textContent()).toBe('0 / 2');
    expect(one('select status from individuals where individual_number = ?', proposed)).toEqual({ status: 'in_stock' });
  });

  it('return intake', async () => {
    const lent = one<{ id: string; n: string }>(
      "select i.id, i.individual_number as n from individuals i where i.status = 'on_loan' and (select count(*) from article_components c where c.article_id = i.article_id) >= 2 order by i.individual_number limit 1",
    );
    await go('return', 'Retur');
    await wedge(lent.n);
    await expect.poll(() => page.getByRole('checkbox').count()).toBeGreaterThan(1);
    // Nothing is ticked beforehand: each component is ticked as it is seen.
    expect(await page.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).checked))).not.toContain(true);
    const part = (await page.getByRole('checkbox').first().evaluate((e) => e.parentElement!.textContent))!.trim();
    const unseen = (await page.getByRole('checkbox').evaluateAll((boxes) => boxes.slice(1).map((b) => b.parentElement!.textContent!.trim())));
    await page.getByRole('checkbox').first().check();
    // What was ticked is the session's: a reload shows it as it was left.
    await reloadAndSee();
    await expect.poll(() => page.getByRole('checkbox').first().isChecked()).toBe(true);
    expect(await page.getByRole('checkbox').nth(1).isChecked()).toBe(false);
    await wedge('CMD-CONFIRM');
    await expect.poll(feedback).toContain(`saknas: ${unseen.join(', ')}`);
    expect(await feedback()).not.toContain(part);
    // The technician sees what is missing on the job, and the device's timeline says it.
    const timeline = await callerFor(at.station.api, await page.evaluate(() => sessionStorage.getItem('depot.session')))('individual.timeline', { individualId: lent.id });
    if (!timeline.ok) throw new Error(JSON.stringify(timeline.error));
    expect(timeline.value.entries.flatMap((e) => e.details.map((d) => d.sv))).toContain(`Saknades vid returen: ${unseen.join(', ')}`);
    expect(one('select status from individuals where id = ?', lent.id)).toEqual({ status: 'returned' });
    await reloadAndSee();
    await wedge('CMD-UNDO');
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    expect(one('select status, location_id from individuals where id = ?', lent.id)).toEqual({ status: 'on_loan', location_id: null });
  });

  it('building a pallet', async () => {
    const ind = one<{ id: string; n: string; article_id: string }>(
      "select i.id, i.individual_number as n, i.article_id from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 1",
      siteId(),
    );
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const orderRef = `KO-00890${String(++picks).padStart(2, '0')}`;
    const orderId = uuidv7();
    at.station.store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'KST-1', 'Kalix vårdcentral', 'Kalix', 'Rutt Pall Omladdning', ?, ?, ?)")
      .run(orderId, orderRef, day, Date.parse(`${day}T08:00:00`) - 10 * 86_400_000, siteId());
    at.station.store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(uuidv7(), orderId, ind.article_id);
    // Picked beforehand, so it waits at dispatch.
    const worker = await signedIn(at.station.api, 'warehouse_worker');
    expect(await worker.call('picking.pick', { orderRef, articleId: ind.article_id, individualId: ind.id, quantity: 1 })).toMatchObject({ ok: true });
    await go('pallet', 'Pall');
    await page.getByLabel('Rutt och leveransdag').selectOption(`Rutt Pall Omladdning|${day}`);
    await expect.poll(() => page.getByLabel('Leveransplats').inputValue()).toBe('Kalix vårdcentral|Kalix');
    await page.getByRole('button', { name: 'Ny pall' }).click();
    await expect.poll(feedback).toMatch(/Pall \d{18} öppnad/);
    await wedge(ind.n);
    await expect.poll(() => page.getByTestId('pallet-items').locator('tbody tr').count()).toBe(1);
    await reloadAndSee('pallet-items');
    expect(await page.getByLabel('Rutt och leveransdag').inputValue()).toBe(`Rutt Pall Omladdning|${day}`);
    await undo();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    await expect.poll(() => page.getByTestId('pallet-items').locator('tbody tr').count()).toBe(0);
    expect(one('select count(*) as n from pallet_items pi join pallets p on p.id = pi.pallet_id where p.route = ?', 'Rutt Pall Omladdning')).toEqual({ n: 0 });
    await wedge('CMD-CANCEL');
    await expect.poll(prompt).toContain('Välj leverans och öppna en ny pall');
  });

  it('moving everything from a location', async () => {
    const from = one<{ id: string; code: string; q: number }>(
      `select l.id, l.code, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id
       where l.site_id = ? and l.level = 'bin' and l.kind = 'shelf' and b.quantity > 0 group by l.id order by q desc limit 1`,
      siteId(),
    );
    const to = one<{ id: string; code: string }>(
      "select l.id, l.code from locations l where l.site_id = ? and l.level = 'bin' and l.kind = 'shelf' and l.retired_at is null and not exists (select 1 from balances b where b.location_id = l.id) order by l.code limit 1",
      siteId(),
    );
    const stock = (id: string) => one<{ q: number }>('select coalesce(sum(quantity), 0) as q from balances where location_id = ?', id).q;
    await go('move-all', 'Flytta allt från en plats');
    await wedge(from.code);
    await reloadAndSee();
    expect(await prompt()).toContain(`Skanna platsen allt på ${from.code} ska flyttas till`);
    await wedge(to.code);
    await expect.poll(feedback).toContain(`är flyttat till ${to.code}`);
    expect(stock(to.id)).toBe(from.q);
    await reloadAndSee();
    await undo();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    expect(stock(from.id)).toBe(from.q);
    expect(stock(to.id)).toBe(0);
    expect(at.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION/.test(e))).toEqual([]);
  });

  it('leaves a worker on the screen they moved to when the answer to a scan sent from the screen before comes late', async () => {
    const device = one<{ n: string }>(
      `select i.individual_number as n from individuals i join locations l on l.id = i.location_id
       where i.status = 'in_stock' and l.site_id = ? and l.kind = 'shelf' order by i.individual_number desc limit 1`,
      siteId(),
    );
    await go('putaway', 'Inlagring');
    // The station's answers to scans are held back until the worker is on the next screen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let delivered!: () => void;
    const answered = new Promise<void>((resolve) => (delivered = resolve));
    await page.route('**/api/call', async (route) => {
      if ((route.request().postDataJSON() as { name?: string } | null)?.name !== 'scan.submit') return route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
      delivered();
    });
    try {
      await wedge(device.n);
      await page.evaluate(() => (location.hash = '#/pick'));
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Plock');
      release();
      await answered;
      // The answer's promise settles, then two frames for whatever it would lead to.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await page.evaluate(() => location.hash)).toBe('#/pick');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Plock');
    } finally {
      await page.unroute('**/api/call');
    }
    // The scan itself was taken by putaway, as sent.
    await go('putaway', 'Inlagring');
    await expect.poll(feedback).toContain(device.n);
  });
});
