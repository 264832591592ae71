/** The register link on screen: a new station's first copy, online/offline, waiting entries, and a supervisor's review of a rejected entry. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { signedIn, tempDir } from '../helpers';
import { movableStock, tinyRegister, type TestRegister } from '../sync/harness';
import { browserStation, expectAccessible, signIn, openFromMenu } from './browser';

let reg: TestRegister;
let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  reg = await tinyRegister('sqlite');
  const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
  const code = await reg.register.createEnrolmentCode({ stationName: 'Skanningsstation 9', siteId: site!.id });
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-sync-'), enrol: { registerUrl: reg.server.url, code } }));
});
afterAll(() => close?.());

describe('the register link in browser mode', () => {
  it('fills a new station, shows online and offline with what waits, and lets a supervisor review a rejected entry', async () => {
    await page.goto(web.openUrl);
    // The first copy arrives and the station becomes itself: its name, its users.
    await expect.poll(() => page.getByText('Skanningsstation 9').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state')).toBe('online');
    const boss = DEMO_USERS.find((u) => u.role === 'supervisor')!;
    await signIn(page, web.openUrl, boss.name, boss.pin);
    await openFromMenu(page, 'Registret');
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toBe('Ansluten');
    await expectAccessible(page, 'sync');

    // The network goes; a worker keeps posting.
    await reg.stop();
    const admin = await signedIn(station.api, 'admin');
    const site = (station.store.sqlite.prepare('select site_id as id from station').get() as { id: string }).id;
    const stock = movableStock(station.store, site)[0]!;
    const to = (station.store.sqlite.prepare("select id from locations where site_id = ? and level = 'bin' and id <> ? and retired_at is null order by code limit 1").get(site, stock.locationId) as { id: string }).id;
    expect((await admin.call('stock.post', { movements: [{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, toLocationId: to, quantity: 1, reason: 'move' }] })).ok).toBe(true);
    await page.getByRole('button', { name: 'Synka nu' }).click();
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toBe('Utan nät');
    await expect.poll(() => page.getByTestId('sync-waiting').textContent()).toBe('Poster: 1, rörelser: 1');
    await expect.poll(() => page.getByTestId('sync-indicator').textContent()).toContain('1 rörelse väntar');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('arbetar vidare');

    // It comes back, but the article was withdrawn centrally meanwhile: the entry is rejected and shown for review.
    await reg.restart();
    await reg.register.deleteEntity('article', stock.articleId);
    await page.getByRole('button', { name: 'Synka nu' }).click();
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toBe('Ansluten');
    await expect.poll(() => page.getByTestId('sync-issues').textContent()).toContain('Artikeln finns inte längre i registret');
    await expectAccessible(page, 'sync with an issue');
    await page.getByRole('button', { name: 'Markera som åtgärdad' }).click();
    await expect.poll(() => page.getByText('Inget att granska.').isVisible()).toBe(true);
  });
});
