/**
 * The register's console in Chromium at 1366×768, in Swedish: an administrator sees the fleet with
 * a silent station flagged, issues an enrolment code that a new station then enrols with, creates
 * a user (whose one-time code is shown once) and deactivates them, and reads the region's
 * rejected entries; a supervisor sees no administrator's actions; a warehouse worker cannot sign
 * in. axe-core finds no serious violations on any screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStationDb } from '../../db/open';
import { EventHub } from '../../services/events';
import { enrolWithRegister, SyncEngine } from '../../services/sync';
import { tempDir } from '../helpers';
import { FAST, tinyRegister, type TestRegister } from '../sync/harness';
import { expectAccessible, launchChromium } from './browser';
import { buildConsole } from './build-console';

let reg: TestRegister;
let browser: Browser;
let page: Page;
const errors: string[] = [];
let consoleUrl: string;
const DAY = 86_400_000;

beforeAll(async () => {
  buildConsole();
  reg = await tinyRegister('sqlite');
  consoleUrl = `${reg.server.url}/console/`;
  const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
  // Two stations: one heard from just now, one silent for three days.
  const heard = await reg.register.enrol(await reg.register.createEnrolmentCode({ siteId: site!.id, stationName: 'Kassa Hörd' }));
  const quiet = await reg.register.enrol(await reg.register.createEnrolmentCode({ siteId: site!.id, stationName: 'Kassa Tyst' }));
  await reg.register.db.run('update stations set last_seen_at = $1 where id = $2', [Date.now(), heard.stationId]);
  await reg.register.db.run('update stations set last_seen_at = $1 where id = $2', [Date.now() - 3 * DAY, quiet.stationId]);
  // An entry the register rejected from the silent station.
  const id = `${quiet.stationId}:7`;
  await reg.register.putEntities([
    {
      kind: 'rejection',
      id,
      data: {
        id,
        station_id: quiet.stationId,
        station_name: 'Kassa Tyst',
        n: 7,
        code: 'sync.bad_date',
        message: { sv: 'Stationens klocka visade ett orimligt datum när rörelsen bokades.', en: "The station's clock showed an impossible date when the movement was booked." },
        movements: [[]],
        at: Date.now() - 3 * DAY,
      },
    },
  ]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'sv-SE' });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 40[13]/.test(m.text()) && errors.push(m.text()));
});
afterAll(async () => {
  await browser?.close();
  await reg?.stop();
});

async function signIn(name: string, pin: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByRole('radio', { name: new RegExp(name) }).check();
  await page.getByLabel(/PIN-kod/).fill(pin);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
}

const menu = () => page.getByRole('navigation', { name: 'Konsolens meny' });

describe('the register console', () => {
  it('lets an administrator see the fleet with the silent station flagged, enrol a new station with a code, and keep users', async () => {
    await page.goto(consoleUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in i registrets konsol' }).isVisible()).toBe(true);
    // Only administrators and supervisors are offered.
    await expect.poll(() => page.getByRole('radio').count()).toBeGreaterThan(1);
    expect(await page.getByRole('radio', { name: /Lena Nilsson/ }).count()).toBe(0);
    await expectAccessible(page, 'console sign-in');
    await signIn('Per Åström', '9991');

    // The fleet: two stations, the silent one flagged.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stationer');
    const fleet = page.getByTestId('fleet');
    await expect.poll(() => fleet.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => fleet.getByRole('row', { name: /Kassa Tyst/ }).textContent()).toContain('Tyst i 3 dagar');
    expect(await fleet.getByRole('row', { name: /Kassa Hörd/ }).textContent()).toContain('I drift');
    expect(await page.getByTestId('silent-warning').textContent()).toMatch(/1 station är tyst.*Kassa Tyst/);
    // The rejected entry counts at the station it came from.
    const quietCells = await fleet.getByRole('row', { name: /Kassa Tyst/ }).locator('td').allTextContents();
    expect(quietCells[4]).toBe('1');
    await expectAccessible(page, 'fleet with a silent station');

    // An enrolment code, issued here and used by a new station.
    await menu().getByRole('link', { name: 'Inskrivning' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inskrivning');
    const form = page.getByRole('form', { name: 'Skapa inskrivningskod' });
    await form.getByLabel('Förråd').selectOption({ index: 1 });
    await form.getByLabel('Stationens namn').fill('Kassa Ny');
    await form.getByRole('button', { name: 'Skapa inskrivningskod' }).click();
    const shown = page.getByTestId('enrolment-code');
    await expect.poll(() => shown.textContent()).toMatch(/Inskrivningskod för Kassa Ny.*[A-Z2-9]{12}/);
    const code = /([A-Z2-9]{12})$/.exec((await shown.textContent())!.trim())![1]!;
    await expect.poll(() => page.getByTestId('codes').getByRole('row', { name: /Kassa Ny/ }).textContent()).toContain('Väntar');
    await expectAccessible(page, 'enrolment with a new code');

    const dir = tempDir('console-station-');
    const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    try {
      await enrolWithRegister(store, reg.server.url, code);
      const engine = new SyncEngine(store, new EventHub(), FAST);
      await engine.syncNow();
      await engine.stop();
    } finally {
      store.close();
    }

    await menu().getByRole('link', { name: 'Stationer' }).click();
    await expect.poll(() => fleet.locator('tbody tr').count()).toBe(3);
    const fresh = fleet.getByRole('row', { name: /Kassa Ny/ });
    await expect.poll(() => fresh.textContent()).toContain('I drift');
    // The station said its version when it synced.
    expect(await fresh.locator('td').nth(1).textContent()).toBe('0.1.0');
    await menu().getByRole('link', { name: 'Inskrivning' }).click();
    await expect.poll(() => page.getByTestId('codes').getByRole('row', { name: /Kassa Ny/ }).textContent()).toContain('Använd');

    // A new user: the one-time code shown once; then deactivated.
    await menu().getByRole('link', { name: 'Användare' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Användare');
    await page.getByRole('button', { name: 'Ny användare' }).click();
    const userForm = page.getByRole('form', { name: 'Ny användare' });
    await userForm.getByLabel('Namn').fill('Nora Nyström');
    await userForm.getByLabel('Roll').selectOption({ label: 'Tekniker' });
    await userForm.getByLabel(/Passerbricka/).fill('u7701');
    await expectAccessible(page, 'users, a new user');
    await userForm.getByRole('button', { name: 'Skapa och ge engångskod' }).click();
    const oneTime = page.getByTestId('one-time-code');
    await expect.poll(() => oneTime.textContent()).toMatch(/Engångskod för Nora Nyström.*\d{8}/);
    const users = page.getByTestId('users');
    const nora = users.getByRole('row', { name: /Nora Nyström/ });
    await expect.poll(() => nora.textContent()).toContain('Väntar på egen PIN-kod');
    expect(await nora.textContent()).toContain('U7701');
    await expectAccessible(page, 'users with a one-time code');
    await nora.getByRole('button', { name: 'Inaktivera Nora Nyström' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Nora Nyström är inaktiverad' }).isVisible()).toBe(true);
    await expect.poll(() => nora.textContent()).toContain('(inaktiv)');
    // The code was shown once: it is not on the page any more.
    expect(await oneTime.count()).toBe(0);
    const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and data like '%Nora Nyström%'");
    expect(JSON.parse(row!.data)).toMatchObject({ active: 0, badge_code: 'U7701', pin_hash: 'none' });

    // The region's rejected entries, with what to do.
    await menu().getByRole('link', { name: 'Avvisat och konflikter' }).click();
    const issues = page.getByTestId('issues');
    await expect.poll(() => issues.textContent()).toContain('Registret avvisade post 7 (1 rörelse)');
    expect(await issues.textContent()).toContain('Att göra: Ställ stationens klocka rätt.');
    expect(await issues.textContent()).toContain('Kassa Tyst');
    await expectAccessible(page, 'rejections and conflicts');

    await menu().getByRole('link', { name: 'Grunddata' }).click();
    await expect.poll(() => page.getByTestId('sites').locator('tbody tr').count()).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('articles').locator('tbody tr').count()).toBeGreaterThan(1);
    await expectAccessible(page, 'master data');

    await menu().getByRole('link', { name: 'Logg' }).click();
    await expect.poll(() => page.getByTestId('audit').textContent()).toContain('user.deactivate');
    expect(await page.getByTestId('audit').textContent()).toContain('enrolment_code.issue');
    await expectAccessible(page, "console's log");

    // English on request, Swedish again.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe("Console's log");
    await page.getByRole('navigation', { name: "The console's menu" }).getByRole('link', { name: 'Stations' }).click();
    await expect.poll(() => page.getByTestId('fleet').getByRole('row', { name: /Kassa Tyst/ }).textContent()).toContain('Silent for 3 days');
    await expectAccessible(page, 'fleet in English');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stationer');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in i registrets konsol' }).isVisible()).toBe(true);
  });

  it('shows a supervisor the fleet and the codes without an administrator’s actions', async () => {
    await signIn('Karin Lundberg', '4441');
    await expect.poll(() => page.getByTestId('fleet').locator('tbody tr').count()).toBe(3);
    const links = await menu().getByRole('link').allTextContents();
    expect(links).toEqual(['Stationer', 'Inskrivning', 'Avvisat och konflikter', 'Grunddata']);
    expect(await page.getByRole('button', { name: /Dra in/ }).count()).toBe(0);
    await expectAccessible(page, 'fleet for a supervisor');
    await menu().getByRole('link', { name: 'Inskrivning' }).click();
    await expect.poll(() => page.getByText('Bara administratörer skapar och drar in koder.').isVisible()).toBe(true);
    expect(await page.getByRole('form', { name: 'Skapa inskrivningskod' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Dra tillbaka/ }).count()).toBe(0);
    await expectAccessible(page, 'enrolment for a supervisor');
    // The users' screen is not theirs, even by its address.
    await page.goto(`${consoleUrl}#/users`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Stationer');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in i registrets konsol' }).isVisible()).toBe(true);
  });

  it('does not let a warehouse worker in, even with the right badge and PIN', async () => {
    const [lena] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and data like '%Lena Nilsson%'");
    const badge = (JSON.parse(lena!.data) as { badge_code: string }).badge_code;
    await page.goto(consoleUrl);
    await page.getByLabel(/passerbricka/).fill(badge);
    await page.getByLabel(/PIN-kod/).fill('1111');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Konsolen är till för administratörer och arbetsledare');
    expect(await page.getByRole('button', { name: 'Logga ut' }).count()).toBe(0);
    await expectAccessible(page, 'sign-in refused');
    expect(errors).toEqual([]);
  });
});
