/**
 * The workshop's scanning steps run in the core, so a reload of the window changes nothing: a
 * spare part scanned out for a work order, and a device released and waiting for its shelf, are
 * where they were after a reload, and undo still puts the part back. Scans are typed as a
 * keyboard-wedge scanner types them.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { wedge as scan } from './wedge';

let at: BrowserStation;
let page: Page;

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-workshop-') });
  page = at.page;
});
afterAll(() => at?.close());

const one = <T>(sql: string, ...args: unknown[]) => at.station.store.sqlite.prepare(sql).get(...args) as T;
const wedge = (code: string) => scan(page, code);
const feedback = () => page.getByTestId('workflow-feedback').textContent();
const prompt = () => page.getByTestId('prompt').textContent();
const undoButton = () => page.getByRole('button', { name: 'Ångra senaste' });

/**
 * The station does not answer the screen's first call to open its session after the next reload (a
 * moment's hiccup while the window reloads): the screen must ask again on its own, not sit there.
 */
async function dropFirstOpen(): Promise<() => Promise<void>> {
  let dropped = false;
  const handler = (route: Route) => {
    if (dropped || !route.request().postData()?.includes('"workflow.open"')) return route.continue();
    dropped = true;
    return route.abort('connectionreset');
  };
  await page.route('**/api/call', handler);
  return async () => {
    expect(dropped).toBe(true);
    await page.unroute('**/api/call', handler);
  };
}

/** Reloads the window and waits until it shows exactly what it showed before: the step, the feedback, undo, and the given parts. */
async function reloadAndSee(...parts: string[]): Promise<void> {
  const read = async () => ({
    prompt: await prompt(),
    feedback: await feedback(),
    parts: await Promise.all(parts.map((p) => page.getByTestId(p).textContent())),
    undo: await undoButton().isEnabled(),
  });
  const before = await read();
  await page.reload();
  await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
  await expect.poll(read).toEqual(before);
}

describe('the workshop resumes after a reload, at the same step with the same undo', () => {
  it('a part taken out for a work order, then a device released and waiting for its shelf', async () => {
    const api = at.station.api;
    const worker = await signedIn(api, 'warehouse_worker');
    const tech = await signedIn(api, 'technician');
    // A device back from a patient, washed and inspected: it is ready to be released.
    const ind = one<{ id: string; n: string }>("select id, individual_number as n from individuals where status = 'on_loan' and location_id is null order by individual_number limit 1");
    expect((await worker.call('returns.receive', { individualId: ind.id, missing: [], priority: 'urgent' })).ok).toBe(true);
    for (const kind of ['send_to_cleaning', 'clean'] as const) expect((await tech.call('service.step', { individualId: ind.id, action: { kind } })).ok).toBe(true);
    const job = await tech.call('service.job', { individualId: ind.id });
    const answers = job.ok ? (job.value.checklist?.questions ?? []).map((q) => ({ questionId: q.id, ok: true })) : [];
    expect(await tech.call('service.step', { individualId: ind.id, action: { kind: 'inspect', passed: true }, answers })).toMatchObject({ ok: true, value: { state: 'inspected' } });
    // A municipality's device in for repair, and a spare part for it in the spare-parts store.
    const wo = await tech.call('workorder.open', { origin: 'municipality', device: 'Rollator, kommunens, serienr K-204', owner: 'Bodens kommun', priority: 'urgent', fault: 'Bromsen tar inte' });
    expect(wo.ok).toBe(true);
    const number = wo.ok ? wo.value.number : '';
    const siteId = one<{ site_id: string }>('select site_id from station').site_id;
    const part = one<{ id: string; gtin: string; locationId: string; quantity: number }>(
      `select a.id, g.gtin, b.location_id as locationId, b.quantity from articles a join article_gtins g on g.article_id = a.id join balances b on b.article_id = a.id
       join locations l on l.id = b.location_id where l.kind = 'spare_parts' and l.site_id = ? order by b.quantity desc limit 1`,
      siteId,
    );
    const balance = () => one<{ n: number }>('select quantity as n from balances where article_id = ? and location_id = ?', part.id, part.locationId).n;
    const shelf = one<{ id: string; code: string }>("select id, code from locations where kind = 'shelf' and level = 'bin' and site_id = ? order by code limit 1", siteId);

    await signIn(page, at.web.openUrl, 'Anders Björk', '3331');
    await page.getByRole('link', { name: 'Rekond', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rekonditionering');
    await expect.poll(prompt).toBe('Skanna en individ, eller välj en i arbetskön.');

    // The work order from the board; two parts scanned out for it; reloaded, both are there, and undo puts the last back.
    await page.getByTestId('service-board').getByRole('button', { name: /Rollator, kommunens/ }).click();
    await expect.poll(prompt).toBe(`Skanna reservdelens streckkod för att ta ut en till ${number}.`);
    await wedge(part.gtin);
    await wedge(part.gtin);
    await expect.poll(() => page.getByTestId('work-order-parts').locator('li').count()).toBe(2);
    expect(balance()).toBe(part.quantity - 2);
    await reloadAndSee('work-order-parts');
    expect(await undoButton().isEnabled()).toBe(true);
    await undoButton().click();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    await expect.poll(() => page.getByTestId('work-order-parts').locator('li').count()).toBe(1);
    expect(balance()).toBe(part.quantity - 1);

    // The device, released: reloaded while it waits for its shelf, it still does; the shelf scanned puts it there.
    await wedge(ind.n);
    await expect.poll(feedback).toBe(`${ind.n}: Kontrollerad.`);
    await page.getByRole('button', { name: 'Friklassa och ställ på hylla' }).click();
    await expect.poll(prompt).toBe('Skanna hyllplatsen den ställs på.');
    const answerAgain = await dropFirstOpen();
    await reloadAndSee();
    await answerAgain();
    await expectAccessible(page, 'workshop, resumed');
    await wedge(shelf.code);
    await expect.poll(feedback).toBe(`${ind.n}: nu Klar.`);
    expect(one('select location_id as at, status from individuals where id = ?', ind.id)).toEqual({ at: shelf.id, status: 'in_stock' });

    // The part taken before the reloads is still the step to undo: it goes back too.
    await reloadAndSee();
    await undoButton().click();
    await expect.poll(feedback).toMatch(/^Ångrat: .+\.$/);
    expect(balance()).toBe(part.quantity);
    await expect.poll(() => undoButton().isEnabled()).toBe(false);
  });
});
