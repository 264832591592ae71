/**
 * The register's console in Chromium at 1366×768, in Swedish: an administrator sees the fleet with
 * a silent station flagged, issues an enrolment code that a new station then enrols with, creates
 * a user (whose one-time code is shown once) and deactivates them, and reads the region's
 * rejected entries; a supervisor sees no administrator's actions, and keeps master data (a new
 * article, refused first for a GTIN another article has; a delivery point of their site, then
 * retired with a confirmation beside the button) while an administrator changes a site's address;
 * a warehouse worker cannot sign in. axe-core finds no serious violations on any screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStationDb } from '../../db/open';
import { EventHub } from '../../services/events';
import { enrolWithRegister, SyncEngine } from '../../services/sync';
import { tempDir } from '../helpers';
import { FAST, tinyRegister, type TestRegister } from '../sync/harness';
import { expectAccessible, launchChromium } from './browser';
import { regionSample } from '../../register/import/sample';
import { headRev } from '../../register/sql';
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
  // A refusal the page shows in words (signed out, not allowed, a code another article has) is no error of the page.
  page.on('console', (m) => m.type() === 'error' && !/status of 40[139]/.test(m.text()) && errors.push(m.text()));
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

  it('lets a supervisor create an article and a delivery point, and an administrator change a site’s address', async () => {
    await signIn('Karin Lundberg', '4441');
    await menu().getByRole('link', { name: 'Grunddata' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Grunddata');
    // Sites are an administrator's: no button to change one.
    await expect.poll(() => page.getByTestId('sites').locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await page.getByTestId('sites').getByRole('button').count()).toBe(0);

    // A new article, refused first for a GTIN another article has.
    await page.getByRole('button', { name: 'Ny artikel' }).click();
    const form = page.getByRole('form', { name: 'Ny artikel' });
    await form.getByLabel('Artikelnummer').fill('K9001');
    await form.getByLabel('Namn', { exact: true }).fill('Rollator Konsol');
    await form.getByLabel(/ISO 9999-kod/).fill('120606');
    await form.getByLabel('Leverantör').fill('Polarmedica AB');
    await form.getByLabel('Inköpspris (kr)').fill('1 234,50');
    await form.getByLabel(/GTIN/).fill('07351000000006');
    await expectAccessible(page, 'master data, a new article');
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('07351000000006 hör redan till artikel A100000');
    await form.getByLabel(/GTIN/).fill('7350000099010');
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'K9001 Rollator Konsol är sparad' }).isVisible()).toBe(true);
    expect(await form.count()).toBe(0);
    await page.getByLabel(/Sök artikel/).fill('K9001');
    await expect.poll(() => page.getByTestId('articles').getByRole('row', { name: /K9001/ }).textContent()).toContain('Rollator Konsol');
    const [article] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'article' and data like '%\"K9001\"%'");
    expect(JSON.parse(article!.data)).toMatchObject({ name: 'Rollator Konsol', iso_code: '120606', purchase_price: 123450, gtins: ['07350000099010'], rentable: 0, tracking: 'none' });
    await expectAccessible(page, 'master data, an article saved');

    // A delivery point of Karin's own site, then retired with a confirmation beside the button.
    await page.getByRole('button', { name: 'Nytt leveransställe' }).click();
    const pointForm = page.getByRole('form', { name: 'Nytt leveransställe' });
    await pointForm.getByLabel('Namn', { exact: true }).fill('Boden äldreboende Älven');
    await pointForm.getByLabel('Gatuadress').fill('Älvgatan 4');
    await pointForm.getByLabel(/Postnummer/).fill('96133');
    await pointForm.getByLabel('Ort').fill('Boden');
    await pointForm.getByLabel('Kommun').fill('Boden');
    await pointForm.getByLabel('Rutt').fill('Boden norr');
    await pointForm.getByLabel('Veckodag').selectOption({ label: 'Tisdag' });
    await expectAccessible(page, 'master data, a new delivery point');
    await pointForm.getByRole('button', { name: 'Spara' }).click();
    const points = page.getByTestId('delivery-points');
    const alven = points.getByRole('row', { name: /Boden äldreboende Älven/ });
    await expect.poll(() => alven.textContent()).toContain('Älvgatan 4, 961 33 Boden');
    expect(await alven.textContent()).toContain('Tisdag');
    expect(await alven.textContent()).toContain('Karin Lundberg');
    await alven.getByRole('button', { name: 'Avveckla Boden äldreboende Älven' }).click();
    await alven.getByRole('button', { name: 'Bekräfta: avveckla Boden äldreboende Älven' }).click();
    await expect.poll(() => alven.textContent()).toContain('Avvecklat');
    const [point] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'delivery_point' and data like '%Älvgatan 4%'");
    expect(JSON.parse(point!.data)).toMatchObject({ postcode: '961 33', route: 'Boden norr', weekday: 2, retired_at: expect.any(Number) });
    await expectAccessible(page, 'master data, a retired delivery point');
    await page.getByRole('button', { name: 'Logga ut' }).click();

    // An administrator changes a site's address.
    await signIn('Per Åström', '9991');
    await menu().getByRole('link', { name: 'Grunddata' }).click();
    await page.getByTestId('sites').getByRole('button', { name: 'Ändra Centralförrådet Boden' }).click();
    const siteForm = page.getByRole('form', { name: 'Ändra Centralförrådet Boden' });
    await siteForm.getByLabel('Gatuadress').fill('Hedenbrovägen 9');
    await siteForm.getByLabel(/Postnummer/).fill('96136');
    await siteForm.getByLabel('Ort').fill('Boden');
    await expectAccessible(page, 'master data, a site changed');
    await siteForm.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByTestId('sites').getByRole('row', { name: /Centralförrådet Boden/ }).textContent()).toContain('Hedenbrovägen 9, 961 36 Boden');
    const [boden] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'site' and data like '%\"BOD\"%'");
    expect(JSON.parse(boden!.data)).toMatchObject({ code: 'BOD', kind: 'central_store', address: 'Hedenbrovägen 9', postcode: '961 36', town: 'Boden' });
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in i registrets konsol' }).isVisible()).toBe(true);
  });

  it("lets an administrator preview the region's files, see the rejected rows, and import them once", async () => {
    const sites = (await reg.register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
    const sample = regionSample({ articles: 30, individuals: 60, orders: 6, sites, errors: true, firstIndividual: 8_100_001 });
    await signIn('Per Åström', '9991');
    await menu().getByRole('link', { name: 'Inläsning' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inläsning från regionens register');
    await page.getByLabel(/Filer/).setInputFiles([
      { name: 'artiklar.csv', mimeType: 'text/csv', buffer: sample.articles },
      { name: 'individer.csv', mimeType: 'text/csv', buffer: sample.individuals },
    ]);
    const rev = await headRev(reg.register.db);
    await page.getByRole('button', { name: 'Förhandsgranska' }).click();
    await expect.poll(() => page.getByTestId('import-result').getByRole('status').textContent()).toContain('Förhandsvisning: inget är ändrat');
    expect(await headRev(reg.register.db)).toBe(rev);
    await expect.poll(() => page.getByTestId('import-result').getByRole('row', { name: /Artiklar/ }).textContent()).toMatch(/Artiklar\s*28\s*0\s*0/);
    await expect.poll(() => page.getByTestId('import-rejected').getByRole('row').count()).toBe(5);
    await expect.poll(() => page.getByTestId('import-rejected').textContent()).toContain('Okänd artikel R999999');
    await expectAccessible(page, 'import preview');
    await page.getByRole('button', { name: 'Läs in' }).click();
    await expect.poll(() => page.getByTestId('import-result').getByRole('status').textContent()).toContain('Inläst');
    const [imported] = await reg.register.db.all<{ n: number }>("select count(*) as n from entities where kind = 'individual' and data like '%\"individual_number\":\"I81%'");
    expect(Number(imported!.n)).toBe(58);
    await page.getByRole('button', { name: 'Logga ut' }).click();
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
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
