/** Sign-in by a badge scanned with the serial scanner (a real pty), then the PIN; what the user does is in the audit trail. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { signedIn, tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';
import { browserStation, expectAccessible, signIn, openFromMenu } from './browser';

let station: Station;
let web: WebServer;
let page: Page;
let pty: PtyPair;
let close: () => Promise<void>;

beforeAll(async () => {
  const dir = tempDir('depot-e2e-signin-');
  pty = await ptyPair(dir);
  ({ station, web, page, close } = await browserStation({ dataDir: dir, devices: true }));
});
afterAll(async () => {
  await close?.();
  await pty?.unplug().catch(() => undefined);
});

describe('signing in by badge through the serial scanner', () => {
  it('scans the badge, takes the PIN, and the audit trail shows the sign-in and what was done', async () => {
    const admin = await signedIn(station.api, 'supervisor');
    const saved = await admin.call('scanners.save', { scanners: [{ id: 's1', name: 'Handskanner', kind: 'serial', path: pty.station, baudRate: 9600, framing: { suffix: 'CRLF' }, enabled: true }] });
    expect(saved.ok).toBe(true);
    await expect.poll(async () => (await station.api.scanning.overview()).states[0]?.state).toBe('open');
    const badge = (station.store.sqlite.prepare("select badge_code as b from users where name = 'Karin Lundberg'").get() as { b: string }).b;

    await page.goto(web.openUrl);
    await expect.poll(() => page.getByRole('radio').count()).toBeGreaterThan(3);
    pty.write(`${badge}\r\n`);
    await expect.poll(() => page.getByRole('radio', { name: /Karin Lundberg/ }).isChecked()).toBe(true);
    await page.getByLabel(/PIN-kod/).fill('4441');
    await page.getByLabel(/PIN-kod/).press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Översikt' }).isVisible()).toBe(true);

    // Something a supervisor does: the station's idle time.
    await openFromMenu(page, 'Granskningslogg');
    await page.getByLabel(/Stationen låser sig efter/).fill('20');
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '20 minuter' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await expect.poll(() => page.getByTestId('audit').textContent()).toContain('station.setIdle');
    const rows = (await page.getByTestId('audit').locator('tbody tr').allTextContents()).slice(0, 6).join('\n');
    expect(rows).toMatch(/Karin Lundberg[^\n]*station\.setIdle/);
    expect(rows).toMatch(/Karin Lundberg[^\n]*sign_in/);
    await page.getByRole('button', { name: 'Kontrollera kedjan' }).click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toContain('Kedjan är hel');
    await expect.poll(() => page.getByTestId('audit-register').textContent()).toContain('inte ansluten till registret');
    await expectAccessible(page, 'audit trail with settings');
  });

  it('lets an administrator add a user, who sets their own PIN with the one-time code; deactivated, the user is signed out and gone from the list', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Per Åström', '9991');
    await page.evaluate(() => (location.hash = '#/users'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Användare');
    await page.getByRole('button', { name: 'Ny användare' }).click();
    const form = page.getByRole('form', { name: 'Ny användare' });
    await form.getByLabel('Namn').fill('Nora Nyström');
    await form.getByLabel('Roll').selectOption({ label: 'Tekniker' });
    await form.getByLabel('Passerbricka').fill('u7701');
    await expectAccessible(page, 'users, a new user');
    await form.getByRole('button', { name: 'Skapa och ge engångskod' }).click();
    const shown = page.getByTestId('one-time-code');
    await expect.poll(() => shown.textContent()).toMatch(/Engångskod för Nora Nyström.*\d{8}/);
    const code = /(\d{8})$/.exec((await shown.textContent())!.trim())![1]!;
    await expect.poll(() => page.getByTestId('users').getByRole('row', { name: /Nora Nyström/ }).textContent()).toContain('Väntar på egen PIN-kod');

    // The new user, at the sign-in screen: the code and a PIN of her own, twice.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.goto(web.openUrl);
    await page.getByRole('radio', { name: /Nora Nyström/ }).check();
    await page.getByLabel('Engångskod (8 siffror)').fill(code);
    await page.getByLabel(/Ny PIN-kod/).fill('2468');
    await page.getByLabel('Upprepa PIN-koden').fill('2486');
    await page.getByRole('button', { name: 'Spara PIN-koden och logga in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('PIN-koderna är olika');
    await page.getByLabel('Upprepa PIN-koden').fill('2468');
    await page.getByRole('button', { name: 'Spara PIN-koden och logga in' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
    const nora = (station.store.sqlite.prepare("select id, pin_code_hash as code from users where name = 'Nora Nyström'").get() as { id: string; code: string | null });
    expect(nora.code).toBeNull();

    // Deactivated by the administrator (through the API, as another station would): her session ends at its next call, and she is gone from the list.
    const admin = await signedIn(station.api, 'admin');
    expect((await admin.call('users.update', { id: nora.id, name: 'Nora Nyström', role: 'technician', siteId: null, badge: 'U7701', active: false })).ok).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in' }).isVisible()).toBe(true);
    expect(await page.getByRole('radio', { name: /Nora Nyström/ }).count()).toBe(0);
  });
});
