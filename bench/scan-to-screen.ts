/**
 * Scan-to-screen latency: bytes written to a real serial line (a socat pty pair) until the
 * browser's DOM shows the scanned individual, through the serial driver, decoding, resolution,
 * the WebSocket push and React. Measured in browser mode against Debian's Chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStation } from '../hosts/station';
import { serveBrowserMode } from '../hosts/web';
import { DEMO_USERS } from '../db/demo/catalogue';
import { ptyPair } from '../test/pty';

export const SCANS = 500;

export async function scanToScreen(dataDir: string, numbers: string[]): Promise<{ p50: number; p95: number } | null> {
  console.log('Scan to screen');
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.log(`  skipped: no Chromium at ${chromiumPath}`);
    return null;
  }
  const ptyDir = mkdtempSync(join(tmpdir(), 'depot-bench-pty-'));
  const pty = await ptyPair(ptyDir);
  const station = startStation({ dataDir, quickCheck: 'skip' });
  const web = await serveBrowserMode({ api: station.api, rendererDir: join(import.meta.dirname, '..', 'out', 'renderer') });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(web.openUrl);
    const lena = DEMO_USERS[0]!;
    await page.getByRole('radio', { name: new RegExp(lena.name) }).check();
    await page.getByLabel(/PIN-kod/).fill(lena.pin);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Skanningsstation' }).waitFor();
    // Scanners are a supervisor's to set up: one signs in beside the worker's screen to add the pty.
    const boss = DEMO_USERS.find((u) => u.role === 'supervisor')!;
    const users = await station.api.call({ name: 'auth.users', input: {} });
    const bossId = users.ok ? (users.value as { id: string; name: string }[]).find((u) => u.name === boss.name)?.id : undefined;
    const signedIn = await station.api.call({ name: 'auth.signIn', input: { userId: bossId ?? '', pin: boss.pin } });
    if (!signedIn.ok) throw new Error(JSON.stringify(signedIn.error));
    const saved = await station.api.call({
      name: 'scanners.save',
      session: (signedIn.value as { session: string }).session,
      input: { scanners: [{ id: 'bench', name: 'Bench', kind: 'serial', path: pty.station, baudRate: 115200, framing: { suffix: 'CR' }, enabled: true }] },
    });
    if (!saved.ok) throw new Error(JSON.stringify(saved.error));
    for (let i = 0; i < 100 && (await station.api.scanning.overview()).states[0]?.state !== 'open'; i++) await new Promise((r) => setTimeout(r, 20));
    const times: number[] = [];
    for (let i = 0; i < SCANS + 20; i++) {
      const n = numbers[i % numbers.length]!;
      const t0 = performance.now();
      pty.write(`${n}\r`);
      await page.waitForFunction((want) => document.querySelector('h1')?.textContent?.includes(want) ?? false, n, { polling: 'raf' });
      if (i >= 20) times.push(performance.now() - t0); // the first scans warm up caches and the JIT
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p95: sorted[Math.floor(sorted.length * 0.95)]! };
  } finally {
    await browser.close();
    await web.close();
    await station.close();
    await pty.unplug();
    rmSync(ptyDir, { recursive: true, force: true });
  }
}
