/**
 * Scan-to-screen latency: bytes written to a real serial line (a socat pty pair) until the page
 * shows the scanned individual, through the serial driver, decoding, resolution, the WebSocket push
 * and React. Measured in browser mode against Debian's Chromium, two ways in the same run:
 *
 * - in the page: a MutationObserver marks the moment the DOM shows the scanned individual's number,
 *   and a requestAnimationFrame after it the frame that paints it; the page's clock is mapped to the
 *   writer's by round trips (the one with the shortest round trip bounds the error). The page
 *   records every frame it begins, so each scan is also counted in frames: those between the first
 *   begun after its bytes and the one that shows it (the target, within one frame, is taken on the
 *   DOM's mark: the time to the painted frame holds the display's own wait for its frame);
 * - as the test driver sees it: Playwright polling the page once a frame until the heading shows it,
 *   which adds its own round trip and frame.
 *
 * Beside them, two baselines from the same run: the bytes written until the core's scan event
 * exists (the pty, the serial driver, decoding and resolution: what no screen can go below), and a
 * bare DOM update in the same page until its frame (the browser's own wait for a frame). Scans come
 * one at a time, each after the screen has settled from the one before (as a worker scans: one
 * device, then the next), at a random moment within a frame.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startStation } from '../hosts/station';
import { serveBrowserMode } from '../hosts/web';
import { DEMO_USERS } from '../db/demo/catalogue';
import { ptyPair } from '../test/pty';

export const SCANS = 500;
const WARM_UP = 20;

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface ScanToScreen {
  scans: number;
  /** Bytes written until the frame in which the page shows the result, taken in the page. */
  page: Percentiles;
  /** Bytes written until the DOM shows the result, taken in the page. */
  dom: Percentiles;
  /**
   * Frames the page painted between the first frame after the bytes were written (the one a screen
   * with no work at all would show the scan in) and the frame that shows it: 0 in that first frame,
   * 1 in the next. Counted from every frame the page began, so the display's moment within its
   * frame, which no page can move, does not count.
   */
  framesLate: { p95: number; counts: number[]; withinOne: number };
  /** Bytes written until the test driver, polling, sees the result. */
  driver: Percentiles;
  /** Baseline: bytes written until the core's scan event exists (pty, serial driver, decoding, resolution). */
  core: Percentiles;
  /** Baseline: a bare DOM update in the page until its frame. */
  frame: Percentiles;
  /** Bytes written until the scan event reaches the page's WebSocket. */
  arrival: Percentiles;
  /** The page's own work for a scan: from the scan event's arrival until the DOM shows it (one clock, the page's). */
  ownWork: Percentiles;
  /** Calls the page made to the station per scan (the screen's loads included). */
  callsPerScan: number;
  /** Calls the page made between a scan's bytes and the frame that showed it, per scan. */
  callsBeforeShown: number;
  /** How far the page's clock may be off the writer's, in ms (half the shortest calibration round trip). */
  clockError: number;
}

const percentiles = (xs: number[]): Percentiles => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)]!, p95: s[Math.floor(s.length * 0.95)]! };
};

/** The writer's clock: wall time at high resolution, as the page's `performance.timeOrigin + performance.now()` is. */
const now = () => performance.timeOrigin + performance.now();

interface Mark {
  want: string;
  dom: number;
  frame: number;
  /** The start of the frame that paints it, as requestAnimationFrame gives it to every callback of that frame. */
  frameStart: number;
}
interface BenchWindow {
  __scanBench: { want: string | null; marks: Mark[]; arrivals: number[]; calls: number[]; frames: number[] };
}

/**
 * Installed in the page before it loads: marks when the heading shows the awaited code and its
 * frame, every frame the page begins, each scan event's arrival, and each call the page makes to
 * the station. Plain script text,
 * as the page runs it (no helpers of the TypeScript loader inside).
 */
const INSTRUMENT = `(() => {
  const bench = { want: null, marks: [], arrivals: [], calls: [], frames: [] };
  window.__scanBench = bench;
  const stamp = () => performance.timeOrigin + performance.now();
  // Every frame the page begins, as a display refreshing 60 times a second gives them.
  const tick = (t) => {
    bench.frames.push(performance.timeOrigin + t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const fetchBase = window.fetch.bind(window);
  window.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/api/call')) bench.calls.push(stamp());
    return fetchBase(input, init);
  };
  const Base = window.WebSocket;
  window.WebSocket = class extends Base {
    constructor(url, protocols) {
      super(url, protocols);
      // Added before the page's own handler, so it runs first.
      this.addEventListener('message', (m) => {
        if (typeof m.data === 'string' && m.data.startsWith('{"type":"scan"')) bench.arrivals.push(stamp());
      });
    }
  };
  const check = () => {
    const want = bench.want;
    if (!want || !document.querySelector('h1')?.textContent?.includes(want)) return;
    bench.want = null;
    const dom = stamp();
    requestAnimationFrame((t) => bench.marks.push({ want, dom, frame: stamp(), frameStart: performance.timeOrigin + t }));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

/**
 * How many frames the page began after the first one that began at or after `from` (the bytes
 * written, on the page's clock) up to the one that began at `shown`. `frames` is in order.
 */
export function framesBetween(frames: number[], from: number, shown: number): number {
  const first = frames.findIndex((f) => f >= from);
  const at = frames.indexOf(shown);
  if (first < 0 || at < 0) throw new Error('a scan shown in a frame the page did not record');
  return Math.max(0, at - first);
}

/** The page's clock less the writer's, from the round trip that took least time. */
async function clockOffset(page: Page): Promise<{ offset: number; error: number }> {
  let best = { offset: 0, error: Infinity };
  for (let i = 0; i < 40; i++) {
    const a = now();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const b = now();
    if ((b - a) / 2 < best.error) best = { offset: inPage - (a + b) / 2, error: (b - a) / 2 };
  }
  return best;
}

/** One bare DOM update at a random moment within a frame, timed in the page until its frame. */
function bareUpdate(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let el = document.getElementById('bench-bare');
    if (!el) {
      el = document.createElement('span');
      el.id = 'bench-bare';
      el.style.cssText = 'position:fixed;left:0;bottom:0;font-size:10px';
      document.body.append(el);
    }
    await new Promise((r) => setTimeout(r, Math.random() * 17));
    const t = performance.now();
    el.textContent = String(t);
    return new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - t)));
  });
}

/**
 * Runs the scans (after a few to warm up). `rendererDir`: the built renderer to serve (default
 * out/renderer, which `electron-vite build` writes).
 */
export async function scanToScreen(
  dataDir: string,
  numbers: string[],
  { rendererDir = join(import.meta.dirname, '..', 'out', 'renderer'), scans = SCANS }: { rendererDir?: string; scans?: number } = {},
): Promise<ScanToScreen | null> {
  console.log('Scan to screen');
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.log(`  skipped: no Chromium at ${chromiumPath}`);
    return null;
  }
  const ptyDir = mkdtempSync(join(tmpdir(), 'depot-bench-pty-'));
  const pty = await ptyPair(ptyDir);
  const station = startStation({ dataDir, quickCheck: 'skip' });
  const web = await serveBrowserMode({ api: station.api, rendererDir });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript({ content: INSTRUMENT });
    // The page's calls to the station, and those still under way.
    let calls = 0;
    let inFlight = 0;
    page.on('request', (r) => {
      if (!r.url().endsWith('/api/call')) return;
      calls++;
      inFlight++;
    });
    const done = (r: { url(): string }) => r.url().endsWith('/api/call') && inFlight--;
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    // When the core's scan event exists: subscribed before the page's socket, so heard first.
    let coreAt = 0;
    const off = station.api.events.subscribe((e) => {
      if (e.type === 'scan') coreAt = now();
    });
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
    const settled = async () => {
      for (let i = 0; i < 500 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 2));
    };
    const first = await clockOffset(page);
    const rows: { written: number; driver: number; core: number; callsBefore: number; bare: number }[] = [];
    try {
      for (let i = 0; i < scans + WARM_UP; i++) {
        const n = numbers[i % numbers.length]!;
        await settled();
        const callsBefore = calls;
        const bare = await bareUpdate(page);
        await page.evaluate((want) => void ((window as unknown as BenchWindow).__scanBench.want = want), n);
        // A random moment within a frame.
        await new Promise((r) => setTimeout(r, Math.random() * 17));
        const written = now();
        pty.write(`${n}\r`);
        await page.waitForFunction((want) => document.querySelector('h1')?.textContent?.includes(want) ?? false, n, { polling: 'raf' });
        const driver = now() - written;
        await page.waitForFunction((count) => (window as unknown as BenchWindow).__scanBench.marks.length >= count, i + 1);
        rows.push({ written, driver, core: coreAt - written, callsBefore, bare });
      }
    } finally {
      off();
    }
    const after = await clockOffset(page);
    const offset = (first.offset + after.offset) / 2;
    const clockError = Math.max(first.error, after.error) + Math.abs(first.offset - after.offset) / 2;
    const inPage = await page.evaluate(() => (window as unknown as BenchWindow).__scanBench);
    if (inPage.marks.length !== rows.length) throw new Error(`${inPage.marks.length} marks for ${rows.length} scans`);
    const measured = rows.slice(WARM_UP);
    const m = inPage.marks.slice(WARM_UP);
    const a = inPage.arrivals.slice(-rows.length).slice(WARM_UP);
    // The calls the page made between a scan's bytes and the frame that showed it.
    const before = (i: number) => inPage.calls.filter((c) => c - offset >= measured[i]!.written && c <= m[i]!.frame).length;
    const late = m.map((x, i) => framesBetween(inPage.frames, measured[i]!.written + offset, x.frameStart));
    const counts = [0, 0, 0, 0];
    for (const n of late) counts[Math.min(n, 3)]!++;
    return {
      scans: measured.length,
      page: percentiles(m.map((x, i) => x.frame - offset - measured[i]!.written)),
      dom: percentiles(m.map((x, i) => x.dom - offset - measured[i]!.written)),
      framesLate: { p95: percentiles(late).p95, counts, withinOne: late.filter((n) => n <= 1).length / late.length },
      driver: percentiles(measured.map((r) => r.driver)),
      core: percentiles(measured.map((r) => r.core)),
      frame: percentiles(measured.map((r) => r.bare)),
      arrival: percentiles(a.map((x, i) => x - offset - measured[i]!.written)),
      ownWork: percentiles(m.map((x, i) => x.dom - a[i]!)),
      callsPerScan: (calls - measured[0]!.callsBefore) / measured.length,
      callsBeforeShown: measured.reduce((sum, _, i) => sum + before(i), 0) / measured.length,
      clockError,
    };
  } finally {
    await browser.close();
    await web.close();
    await station.close();
    await pty.unplug();
    rmSync(ptyDir, { recursive: true, force: true });
  }
}
