/**
 * A supervisor looks through the audit trail at a 1366×768 station, by keyboard and with a serial
 * scanner on a real line (a socat pty): chooses a kind of entry by its Swedish name, finds a
 * person's entries, scans while the filter's field has focus, types a code the station does not
 * know, and reloads mid-way. The same filter taken raw through the API by a role that may not read
 * the trail, or with a kind that is not one, is refused with nothing written.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, signedIn, tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';
import { browserStation, expectAccessible, openFromMenu, signIn, type BrowserStation } from './browser';
import { scanKeys } from './wedge';

let at: BrowserStation;
let page: Page;
let pty: PtyPair;

beforeAll(async () => {
  const dir = tempDir('depot-e2e-audit-');
  pty = await ptyPair(dir);
  at = await browserStation({ dataDir: dir, devices: true });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(async () => {
  await at?.close();
  await pty?.unplug().catch(() => undefined);
});

const sentences = () => page.getByTestId('audit-sentence').allTextContents();

describe('the audit trail at the station', () => {
  it('is looked through by kind and by who, by keyboard and scanner, and keeps what it shows over a wrong code and a reload', async () => {
    const { one } = queries(at.station.store);
    const api = at.station.api;
    // Set up before the supervisor signs in at the screen (a station has one session at a time):
    // a serial scanner on the pty, and two wrong PINs of Lena's.
    const boss = await signedIn(api, 'supervisor');
    expect(await boss.call('scanners.save', { scanners: [{ id: 's1', name: 'Handskanner', path: pty.station, enabled: true, kind: 'serial', baudRate: 9600, framing: { suffix: 'CRLF' } }] })).toMatchObject({ ok: true });
    expect(await boss.call('auth.signOut', {})).toMatchObject({ ok: true });
    const lena = one<{ id: string }>("select id from users where name = 'Lena Nilsson'");
    for (let i = 0; i < 2; i++) expect(await api.call({ name: 'auth.signIn', input: { userId: lena.id, pin: '0000' }, session: null })).toMatchObject({ ok: false, error: { code: 'auth.wrong_pin' } });

    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Granskningslogg');
    await expect.poll(sentences).toContain('Inloggning nekad för Lena Nilsson: fel PIN');
    expect(await sentences()).toContain('Karin Lundberg ändrade stationens skannrar');

    // By keyboard: the kind's list, one step down to the sign-ins; the change shows at once.
    await page.getByLabel('Typ').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Typ').inputValue()).toBe('signIn');
    await expect.poll(async () => (await sentences()).includes('Karin Lundberg ändrade stationens skannrar')).toBe(false);
    expect(await sentences()).toContain('Inloggning nekad för Lena Nilsson: fel PIN');
    // Who, typed, then Enter.
    await page.getByLabel('Vem eller station').focus();
    await page.keyboard.type('Lena', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect.poll(sentences).toEqual(['Inloggning nekad för Lena Nilsson: fel PIN', 'Inloggning nekad för Lena Nilsson: fel PIN']);
    await expectAccessible(page, 'audit trail, filtered');

    // A code the station does not know, from a keyboard scanner into the focused field: it stays
    // in the field as typed, and finds no one, saying so.
    await page.getByLabel('Vem eller station').fill('');
    await scanKeys(page, 'NO-SUCH-CODE-42');
    await expect.poll(() => page.getByLabel('Vem eller station').inputValue()).toBe('NO-SUCH-CODE-42');
    await page.getByRole('button', { name: 'Visa' }).click();
    await expect.poll(() => page.getByTestId('audit-none').textContent()).toContain('Inga händelser med det urvalet');
    expect(await sentences()).toEqual([]);

    // A place's label on the serial scanner while the field has focus: a scan, which opens the
    // place, and nothing of it is typed into the field.
    const bin = one<{ code: string }>("select code from locations where level = 'bin' and site_id = (select site_id from station) order by code limit 1");
    await page.getByLabel('Vem eller station').focus();
    pty.write(`${bin.code}\r\n`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(bin.code);
    await page.goBack();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Granskningslogg');

    // A reload mid-way: the page starts over with every entry, and reading it wrote nothing.
    const entries = one<{ n: number }>('select count(*) as n from audit_log').n;
    await page.getByLabel('Typ').selectOption({ label: 'Stationens inställningar' });
    await expect.poll(sentences).toEqual(['Karin Lundberg ändrade stationens skannrar']);
    await page.reload();
    await expect.poll(sentences).toContain('Inloggning nekad för Lena Nilsson: fel PIN');
    expect(await page.getByLabel('Typ').inputValue()).toBe('');
    expect(one<{ n: number }>('select count(*) as n from audit_log').n).toBe(entries);
    expect(at.errors).toEqual([]);
  });

  it('is refused raw through the API to a role that may not read it, and for a kind that is not one, with nothing written', async () => {
    const { one } = queries(at.station.store);
    const before = one<{ n: number }>('select count(*) as n from audit_log').n;
    const worker = await signedIn(at.station.api, 'warehouse_worker');
    const afterSignIn = one<{ n: number }>('select count(*) as n from audit_log').n;
    expect(afterSignIn).toBe(before + 1);
    expect(await worker.call('audit.list', { kind: 'signIn' })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await worker.call('audit.export', { kind: 'stock' })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    const boss = await signedIn(at.station.api, 'supervisor');
    const signedInAgain = one<{ n: number }>('select count(*) as n from audit_log').n;
    for (const kind of ['__proto__', 'toString', 'x'.repeat(5_000), 'SIGNIN'])
      expect(await boss.call('audit.list', { kind } as never)).toMatchObject({ ok: false, error: { code: 'api.invalid_input', field: 'kind', message: { sv: 'Välj ett av alternativen i "Typ".' } } });
    expect(one<{ n: number }>('select count(*) as n from audit_log').n).toBe(signedInAgain);
  });
});
