/** Sign-in by a badge scanned with the serial scanner (a real pty), then the PIN; what the user does is in the audit trail. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { signedIn, tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';
import { browserStation, expectAccessible } from './browser';

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
    await page.getByRole('link', { name: 'Granskningslogg', exact: true }).click();
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
});
