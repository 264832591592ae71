/**
 * `npm run screenshots`: every screen of the station at 1366×768, in Swedish, for each role that
 * signs in (warehouse worker, depot staff, technician, supervisor, administrator) and for the
 * kiosk, into screenshots/ (which git ignores). The screens are the ones renderer/src/screens.tsx
 * offers each role: the home and the top menu, the scanning station's workflows, and the screens
 * reached by a scan or a link (an individual, an article, a location, a count), each with an example
 * from the demo data. A station with the demo data is started in a new temporary folder and served
 * in browser mode to Debian's Chromium (CHROMIUM_PATH to use another); nothing reaches the network.
 *
 *   npm run screenshots                  every role and the kiosk
 *   npm run screenshots -- --full        whole pages, not only what fits on the screen
 *   npm run screenshots -- supervisor    only the roles named (kiosk names the kiosk)
 */
import '../test/renderer/page';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DEMO_USERS } from '../db/demo/catalogue';
import { startStation } from '../hosts/station';
import { serveBrowserMode } from '../hosts/web';
import buildRenderer from '../test/e2e/build-renderer';

const { menuFor, offered, SCREENS } = await import('../renderer/src/screens');

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'screenshots');
const VIEWPORT = { width: 1366, height: 768 };
const ROLES = ['warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin'] as const;

const args = process.argv.slice(2);
const fullPage = args.includes('--full');
const only = args.filter((a) => !a.startsWith('--'));
const wanted = (name: string) => only.length === 0 || only.includes(name);

/** Waits until the screen has stopped loading: nothing busy, then a moment for the last paint. */
async function settle(page: Page): Promise<void> {
  await page
    .waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, undefined, { timeout: 5000 })
    .catch(() => undefined);
  await page.waitForTimeout(400);
}

async function shoot(page: Page, dir: string, name: string): Promise<void> {
  await settle(page);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
  console.log(`  ${name}.png`);
}

async function main(): Promise<void> {
  buildRenderer();
  // Everything taken anew; with roles named, only theirs.
  if (only.length === 0) rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'depot-screenshots-'));
  console.log('Starting a station with the demo data…');
  const station = startStation({ dataDir, devices: false });
  const web = await serveBrowserMode({ api: station.api, rendererDir: join(root, 'out', 'renderer') });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const one = <T>(sql: string): T | undefined => station.store.sqlite.prepare(sql).get() as T | undefined;
    // Examples for the screens reached by a scan or a link.
    const example = one<{ individual: string; article: string; location: string }>(
      `select i.id as individual, i.article_id as article, i.location_id as location from individuals i where i.status = 'in_stock' and i.location_id is not null order by i.individual_number limit 1`,
    );
    // A count to show: the demo data has none, so a supervisor plans one of the first zone.
    const boss = DEMO_USERS.find((u) => u.role === 'supervisor')!;
    const bossId = one<{ id: string }>(`select id from users where name = '${boss.name.replace(/'/g, "''")}'`)?.id;
    /** A supervisor's session of its own (signing in on the page may end an earlier one). */
    const asBoss = async (): Promise<string> => {
      const signedIn = await station.api.call({ name: 'auth.signIn', input: { userId: bossId, pin: boss.pin }, session: null });
      if (!signedIn.ok) throw new Error('could not sign in as a supervisor');
      return (signedIn.value as { session: string }).session;
    };
    const bossSession = await asBoss();
    const zone = one<{ id: string }>("select id from locations where site_id = (select site_id from station) and level = 'zone' and retired_at is null order by code limit 1");
    if (zone) await station.api.call({ name: 'count.plan', input: { kind: 'zone', zoneId: zone.id }, session: bossSession });
    const count = one<{ id: string }>('select id from counts order by created_at desc limit 1');
    const ids: Record<string, string | undefined> = { individual: example?.individual, article: example?.article, location: example?.location, count: count?.id };

    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'sv-SE' });
    const go = async (hash: string) => {
      await page.evaluate((h) => (location.hash = h), hash);
      await settle(page);
    };

    const order = ['sign-in', ...ROLES, 'kiosk'];
    const folder = (name: string) => {
      const dir = join(outDir, `${String(order.indexOf(name) + 1).padStart(2, '0')}-${name}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      console.log(`${name}/`);
      return dir;
    };

    if (wanted('sign-in')) {
      const dir = folder('sign-in');
      await page.goto(web.openUrl);
      await shoot(page, dir, '01-sign-in');
    }

    for (const role of ROLES) {
      if (!wanted(role)) continue;
      const user = DEMO_USERS.find((u) => u.role === role)!;
      const dir = folder(role);
      await page.goto(web.openUrl);
      await page.getByRole('radio', { name: new RegExp(user.name) }).check();
      await page.getByLabel(/PIN-kod/).fill(user.pin);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.getByRole('button', { name: 'Logga ut' }).waitFor();
      const screens = [...menuFor(role), ...offered('workflows', role), ...SCREENS.filter((s) => s.menu === null && s.roles.includes(role))];
      let i = 0;
      for (const s of screens) {
        const name = `${String(++i).padStart(2, '0')}-${s.route}`;
        if (s.menu === null && !ids[s.route]) {
          console.log(`  (no example for ${s.route})`);
          continue;
        }
        await go(s.menu === null ? `#/${s.route}/${encodeURIComponent(ids[s.route]!)}` : `#/${s.route}`);
        await shoot(page, dir, name);
      }
      // The top menu with a group open, as it looks over a screen.
      const group = page.getByRole('navigation', { name: 'Huvudmeny' }).locator('.menu-group > button').first();
      if (await group.count()) {
        await go(`#/${menuFor(role)[0]!.route}`);
        await group.click();
        await shoot(page, dir, `${String(++i).padStart(2, '0')}-menu-open`);
        await page.keyboard.press('Escape');
      }
      await page.getByRole('button', { name: 'Logga ut' }).click();
      await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    }

    if (wanted('kiosk')) {
      const dir = folder('kiosk');
      const session = await asBoss();
      const on = await station.api.call({ name: 'kiosk.configure', input: { enabled: true, idleSeconds: 300 }, session });
      if (!on.ok) throw new Error(`could not turn the kiosk on: ${JSON.stringify(on.error)}`);
      await station.api.call({ name: 'auth.signOut', input: {}, session });
      // A fresh document: going to the same address again would only change its hash, and the page would not ask again.
      await page.goto('about:blank');
      await page.goto(web.openUrl);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await shoot(page, dir, '01-start');
      const badge = one<{ b: string }>("select badge_code as b from users where role = 'prescriber' and badge_code is not null limit 1")?.b;
      if (badge) {
        await page.keyboard.type(badge, { delay: 5 });
        await page.keyboard.press('Enter');
        await page.getByTestId('kiosk-lines').waitFor({ timeout: 10_000 }).catch(() => undefined);
        await shoot(page, dir, '02-basket');
      }
    }
    await page.close();
  } finally {
    await browser.close();
    await web.close();
    await station.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`Screenshots in ${outDir}`);
}

await main();
