/**
 * A new station's first-copy screen while the register cannot be reached, then while the register
 * has answered but not sent a row (it prepares the copy, or the copy waits its turn there), then
 * filled: what a person at the station sees at each step.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { tempDir } from '../helpers';
import { tinyRegister, type TestRegister } from '../sync/harness';
import { browserStation, expectAccessible } from './browser';

/**
 * In front of the register: passes everything but the full copy, which it refuses (`down`: the
 * connection closed at once, as when the register is unreachable) or lets begin and holds (`hold`:
 * the answer's head passes, its rows wait until `release`).
 */
async function copyGate(target: string) {
  const up = new URL(target);
  const gate = { url: '', mode: 'down' as 'down' | 'hold' | 'pass', held: [] as (() => void)[] };
  const forward = (req: IncomingMessage, res: ServerResponse, holding: boolean) => {
    const upstream = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      res.flushHeaders();
      if (holding) gate.held.push(() => r.pipe(res));
      else r.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/sync/snapshot') || gate.mode === 'pass') return forward(req, res, false);
    if (gate.mode === 'down') return req.socket.destroy();
    forward(req, res, true);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    gate,
    release: () => gate.held.splice(0).forEach((go) => go()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let reg: TestRegister;
let relay: Awaited<ReturnType<typeof copyGate>>;
let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  reg = await tinyRegister('sqlite');
  relay = await copyGate(reg.server.url);
  const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
  const code = await reg.register.createEnrolmentCode({ stationName: 'Förrådsstation 7', siteId: site!.id });
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-first-sync-'), enrol: { registerUrl: relay.gate.url, code } }));
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(async () => {
  relay?.release();
  await close?.();
  await relay?.close();
  await reg?.stop();
});

/** Resolves once `n` more of the station's attempts at its first copy have ended. */
function attemptsEnded(n: number): Promise<void> {
  let ended = 0;
  let running = station.api.sync.status().syncing;
  return new Promise((resolve) => {
    const off = station.api.events.subscribe((e) => {
      if (e.type !== 'sync.status') return;
      if (running && !e.status.syncing && ++ended >= n) {
        off();
        resolve();
      }
      running = e.status.syncing;
    });
  });
}

describe("a new station's first copy on screen", () => {
  it('keeps the error still while the register cannot be reached, says when it has answered, and becomes the station once the copy is in', async () => {
    await page.goto(web.openUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'Hämtar data från registret' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('Registret går inte att nå');
    // From here on, whatever the attempts do, the page records any moment it showed a moving bar beside the error.
    await page.evaluate(() => {
      const w = window as unknown as { barWithError: number };
      w.barWithError = 0;
      new MutationObserver(() => {
        if (document.querySelector('main.first-sync progress') && document.querySelector('main.first-sync [role="alert"]')) w.barWithError++;
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await attemptsEnded(3);
    expect(await page.evaluate(() => (window as unknown as { barWithError: number }).barWithError)).toBe(0);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Registret går inte att nå');
    expect(await page.locator('main.first-sync progress').count()).toBe(0);

    // The register answers the next attempt but holds the rows: the error goes, the bar moves, and the screen says why nothing is counted yet.
    relay.gate.mode = 'hold';
    await expect.poll(() => page.getByTestId('first-sync-count').textContent(), { timeout: 15_000 }).toContain('Registret har svarat och förbereder kopian');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('main.first-sync progress').count()).toBe(1);
    expect(await page.locator('main.first-sync progress').getAttribute('value')).toBeNull();
    await expectAccessible(page, 'first copy being prepared');

    // The rows come: the station becomes itself.
    relay.gate.mode = 'pass';
    relay.release();
    await expect.poll(() => page.getByText('Förrådsstation 7').isVisible(), { timeout: 30_000 }).toBe(true);
  });
});
