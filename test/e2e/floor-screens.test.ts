/**
 * The station's screens at 1366×768, as each role meets them: a top bar of one row; a scan's
 * message that belongs to the screen and the person it was made for; a wrong PIN that says how
 * many tries are left and a locked user marked in the list; costly and final actions that ask
 * first, beside the button; lists whose names are not cut short while the row is empty; fields
 * that look alike. Each screen checked with axe.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, openFromMenu, signIn, type BrowserStation } from './browser';
import { typeAsScanner } from './wedge';

let at: BrowserStation;
let page: Page;
const db = queries(() => at.station.store);

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-floor-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(() => at?.close());
// Each case starts at the sign-in screen, whatever the one before left.
beforeEach(async () => {
  await page.goto(at.web.openUrl);
  await expect.poll(async () => (await page.getByRole('button', { name: 'Logga ut' }).isVisible()) || (await page.getByRole('heading', { name: 'Logga in' }).isVisible())).toBe(true);
  if (await page.getByRole('button', { name: 'Logga ut' }).isVisible()) await page.getByRole('button', { name: 'Logga ut' }).click();
});

const signOut = async () => {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Logga in' }).isVisible()).toBe(true);
};
const toast = () => page.getByTestId('scan-toast').textContent();

describe('the station on the floor, at 1366×768', () => {
  it('keeps the top bar to one row for every role, with the other screens in grouped menus', async () => {
    for (const role of ['warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin'] as const) {
      const user = DEMO_USERS.find((u) => u.role === role)!;
      await signIn(page, at.web.openUrl, user.name, user.pin);
      const bar = page.locator('header.topbar');
      const box = (await bar.boundingBox())!;
      expect(box.height, role).toBeLessThanOrEqual(60);
      // Nothing in the bar runs past its right edge or over its neighbour.
      const overlaps = await bar.evaluate((el) => {
        const items = [...el.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
        return items.some((r, i) => r.right > window.innerWidth || (i > 0 && r.left < items[i - 1]!.right - 1));
      });
      expect(overlaps, role).toBe(false);
      // The pointer away from the screen (a chart's tooltip under it is not the bar's).
      await page.mouse.move(0, 0);
      await expectAccessible(page, `home of ${role}`);
      await signOut();
    }

    // A group opens beside its button, its screens under it; Escape closes it.
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
    expect(await nav.getByRole('button').allTextContents()).toEqual(['Lager ▾', 'Verkstad ▾', 'Uppföljning ▾', 'Inställningar ▾']);
    await nav.getByRole('button', { name: /Inställningar/ }).click();
    await expect.poll(() => nav.getByRole('link', { name: 'Registret' }).isVisible()).toBe(true);
    await expectAccessible(page, 'settings menu open');
    await page.keyboard.press('Escape');
    await expect.poll(() => nav.getByRole('link', { name: 'Registret' }).isVisible()).toBe(false);
    await openFromMenu(page, 'Registret');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Registret');
    await signOut();
  });

  it("clears a scan's message on another screen, on sign-out and for the next person", async () => {
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await openFromMenu(page, 'Förråd');
    await typeAsScanner(page, 'HELLO-123');
    await expect.poll(toast).toContain('Okänd streckkod');
    await expect.poll(toast).toContain('HELLO-123');
    // Another screen: the message was not about it.
    await openFromMenu(page, 'Utgångsdatum');
    await expect.poll(toast).toBe('');

    await openFromMenu(page, 'Förråd');
    await typeAsScanner(page, 'HELLO-123');
    await expect.poll(toast).toContain('HELLO-123');
    await signOut();
    expect(await page.getByText('HELLO-123').count()).toBe(0);
    await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
    await expect.poll(toast).toBe('');
    await openFromMenu(page, 'Förråd');
    expect(await toast()).toBe('');
    await expectAccessible(page, "depot, the next person's");
    await signOut();
  });

  it('says how many tries are left after a wrong PIN, and marks a locked user in the list with until when', async () => {
    await page.goto(at.web.openUrl);
    const mikael = page.getByRole('radio', { name: /Mikael Lindqvist/ });
    await mikael.check();
    const tryPin = async (pin: string) => {
      await page.getByLabel(/PIN-kod/).fill(pin);
      await page.getByRole('button', { name: 'Logga in' }).click();
    };
    await tryPin('0000');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Fel PIN-kod. 4 försök kvar innan inloggningen låses');
    await expectAccessible(page, 'sign-in, a wrong PIN');
    for (const left of [3, 2, 1]) {
      await tryPin('0000');
      await expect.poll(() => page.getByRole('alert').textContent()).toContain(`${left} försök kvar`);
    }
    await tryPin('0000');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Inloggningen är låst');
    const marked = page.locator('label.user-choice', { hasText: 'Mikael Lindqvist' }).getByTestId('user-locked');
    await expect.poll(() => marked.textContent()).toMatch(/^Låst till kl\. \d\d:\d\d$|^Låst till \d{4}-\d\d-\d\d kl\. \d\d:\d\d$/);
    // Only the locked user is marked.
    expect(await page.getByTestId('user-locked').count()).toBe(1);
    await expectAccessible(page, 'sign-in, a user locked');
    // Marked from the start too, for the next person at the station.
    await page.reload();
    await expect.poll(() => page.locator('label.user-choice', { hasText: 'Mikael Lindqvist' }).getByTestId('user-locked').isVisible()).toBe(true);
  });

  it('asks beside the button before a count is cancelled, and cancels only on yes', async () => {
    const site = db.one<{ id: string }>('select site_id as id from station').id;
    const zone = db.one<{ code: string; name: string }>("select code, name from locations where site_id = ? and level = 'zone' and retired_at is null order by code limit 1", site);
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Inventering');
    await page.getByLabel('Typ').selectOption({ label: 'En zon' });
    await page.getByRole('combobox', { name: /^Zon/ }).selectOption({ label: `${zone.code} ${zone.name}` });
    // The planning form's fields look like every other field: a border to see, room for the text.
    const look = await page.getByLabel('Namn (valfritt)').evaluate((el) => {
      const s = getComputedStyle(el);
      return { border: s.borderTopWidth, height: el.getBoundingClientRect().height };
    });
    expect(look.border).toBe('2px');
    expect(look.height).toBeGreaterThanOrEqual(40);
    await page.getByRole('button', { name: 'Skapa inventeringen' }).click();
    await expect.poll(() => page.getByTestId('count-progress').isVisible()).toBe(true);
    const number = (await page.getByRole('heading', { level: 1 }).textContent())!.match(/INV-\S+/)![0];
    const state = () => db.one<{ state: string }>('select state from counts where number = ?', number).state;

    await page.getByTestId('count-cancel').click();
    const question = page.getByTestId('count-cancel-confirm');
    await expect.poll(() => question.textContent()).toContain(`Avbryta inventering ${number}?`);
    expect(state()).toBe('counting');
    // The question is where the button was, on screen.
    const box = (await question.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    await expectAccessible(page, 'count, cancel asked');
    await question.getByRole('button', { name: 'Nej' }).click();
    await expect.poll(() => page.getByTestId('count-cancel').isVisible()).toBe(true);
    expect(state()).toBe('counting');

    await page.getByTestId('count-cancel').click();
    await page.getByRole('button', { name: 'Ja, avbryt inventeringen' }).click();
    await expect.poll(state).toBe('cancelled');
    await signOut();
  });

  it('asks before a purchase order is created, with its value, and says what was created beside the button', async () => {
    const orders = () => db.one<{ n: number }>('select count(*) as n from purchase_orders').n;
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Påfyllning');
    const group = page.locator('section[aria-labelledby="purchases"] details').first();
    await expect.poll(() => group.isVisible()).toBe(true);
    await group.locator('summary').click();
    const before = orders();
    // The first line's quantity changed before ordering: the order holds what was set.
    const first = group.getByRole('spinbutton').first();
    await first.fill('17');
    const article = await group.locator('tbody tr').first().locator('a').getAttribute('href');
    await group.getByRole('button', { name: /^Skapa inköpsorder till/ }).click();
    await expect.poll(() => group.getByRole('group').textContent()).toMatch(/Skapa en inköpsorder till .+ på [\d\s ]+kr \(\d+ rad(er)?\)\?/);
    expect(orders()).toBe(before);
    await expectAccessible(page, 'replenishment, a purchase order asked');
    await group.getByRole('button', { name: 'Ja, skapa inköpsordern' }).click();
    await expect.poll(orders).toBe(before + 1);
    const articleId = decodeURIComponent(article!.split('/').pop()!);
    expect(db.one<{ q: number }>('select l.quantity as q from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id where l.article_id = ? order by p.created_at desc limit 1', articleId).q).toBe(17);
    const said = page.locator('section[aria-labelledby="purchases"]').getByRole('status');
    await expect.poll(() => said.textContent()).toContain('Beställt');
    const box = (await said.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(-1);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    await signOut();
  });

  it('shows whole names in the depot and location lists, and asks before a location is retired', async () => {
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Platser');
    const rows = page.locator('#location-tree .hit');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const cut = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.title') as HTMLElement).filter((t) => t.scrollWidth > t.clientWidth).length);
    expect(cut).toBe(0);
    // The tree is in the codes: each level further in, every code whole, and the names in one column.
    const laid = await rows.evaluateAll((els) =>
      els.map((e) => {
        const code = e.querySelector('.code') as HTMLElement;
        return { titleX: (e.querySelector('.title') as HTMLElement).getBoundingClientRect().left, codeX: code.getBoundingClientRect().left + parseFloat(getComputedStyle(code).paddingLeft), whole: code.scrollWidth <= code.clientWidth };
      }),
    );
    expect(new Set(laid.map((r) => Math.round(r.titleX))).size).toBe(1);
    expect(laid.every((r) => r.whole)).toBe(true);
    expect(new Set(laid.map((r) => Math.round(r.codeX))).size).toBeGreaterThan(1);
    await expectAccessible(page, 'locations');

    const bin = db.one<{ id: string; code: string }>(
      `select l.id, l.code from locations l where l.site_id = (select site_id from station) and l.level = 'bin' and l.retired_at is null
       and not exists (select 1 from balances b where b.location_id = l.id and b.quantity > 0)
       and not exists (select 1 from individuals i where i.location_id = l.id) order by l.code limit 1`,
    );
    await page.evaluate((id) => (location.hash = `#/location/${id}`), bin.id);
    await page.getByRole('button', { name: `Avveckla ${bin.code}` }).click();
    await expect.poll(() => page.getByRole('group', { name: `Avveckla ${bin.code}? Platsen kan inte längre användas.` }).isVisible()).toBe(true);
    expect(db.one<{ r: number | null }>('select retired_at as r from locations where id = ?', bin.id).r).toBeNull();
    await expectAccessible(page, 'location, retire asked');
    await page.getByRole('button', { name: 'Ja, avveckla platsen' }).click();
    await expect.poll(() => db.one<{ r: number | null }>('select retired_at as r from locations where id = ?', bin.id).r).not.toBeNull();

    await openFromMenu(page, 'Förråd');
    const depotRows = page.locator('#depot-stock .hit');
    await expect.poll(() => depotRows.count()).toBeGreaterThan(3);
    const depotCut = await depotRows.evaluateAll((els) => els.map((e) => e.querySelector('.title') as HTMLElement).filter((t) => t.scrollWidth > t.clientWidth).length);
    expect(depotCut).toBe(0);
    await signOut();
  });

  it("opens depot staff on their own depot, and shows a location's individuals by number", async () => {
    await signIn(page, at.web.openUrl, 'Sara Öberg', '2221');
    const own = db.one<{ name: string }>("select s.name from users u join sites s on s.id = u.site_id where u.name = 'Sara Öberg'").name;
    const chosen = (select: string) => page.locator(select).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
    await expect.poll(() => chosen('#depot-site')).toContain(own);
    await openFromMenu(page, 'Platser');
    await expect.poll(() => chosen('#locations-site')).toContain(own);
    await expectAccessible(page, "locations, the depot's own");

    const held = db.one<{ id: string; n: number; first: string }>(
      `select l.id, count(*) as n, min(i.individual_number) as first from individuals i join locations l on l.id = i.location_id
       where l.site_id = (select site_id from station) group by l.id order by count(*) desc limit 1`,
    );
    await page.evaluate((id) => (location.hash = `#/location/${id}`), held.id);
    const table = page.getByTestId('location-individuals');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(held.n, 500));
    expect(await table.getByRole('link', { name: held.first }).count()).toBe(1);
    await expectAccessible(page, 'location with its individuals');
    await signOut();
  });

  it('answers a search of 500 characters in words, with no wait that never ends', async () => {
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await openFromMenu(page, 'Sök i lager');
    await page.getByRole('combobox', { name: 'Sök eller skanna' }).fill('A'.repeat(500));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('högst 200 tecken');
    expect(await page.getByText('Laddar…').count()).toBe(0);
    await expectAccessible(page, 'search, too long');
    await signOut();
  });

  it('shows open purchase orders and what waits at goods-in', async () => {
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Påfyllning');
    await expect.poll(() => page.getByRole('heading', { name: 'Öppna inköpsorder' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: 'Väntar i godsmottagningen' }).isVisible()).toBe(true);
    // The purchase order created above waits for delivery, none of it received.
    await expect.poll(() => page.getByTestId('open-purchases').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('open-purchases').textContent()).toMatch(/0 av \d/);
    await expectAccessible(page, 'replenishment, inbound');
    await signOut();
  });
});
