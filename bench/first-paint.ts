/**
 * First paint in browser mode: the built renderer served as `npm run start:web` serves it (the same
 * server, a station with the demo data behind it), opened in Debian's Chromium again and again,
 * each time in a fresh browser context (a cold cache). Taken in the page:
 *
 * - the script the page loaded before the sign-in screen showed (bytes, as decoded);
 * - first contentful paint (the page's own line, shown before its script has loaded);
 * - the sign-in screen interactive: the frame after the people to choose from appear (their list
 *   comes from the station, so the screen's code has run and its first call has been answered).
 *
 * The baseline, from the same server in the same run, alternating with the station's page: the same
 * HTML and stylesheet with a line of text and no script, its first contentful paint (what no page of
 * this server can go below on this machine).
 *
 * Runs alone: `npx tsx bench/run.ts --first-paint-only [--renderer <dir>] [--runs <n>]`.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startStation } from '../hosts/station';
import { serveBrowserMode } from '../hosts/web';

export const RUNS = 9;

export interface FirstPaint {
  runs: number;
  /** Script bytes (decoded) the page loaded before the sign-in screen showed, median. */
  scriptBytes: number;
  /** How many script files that was. */
  scriptFiles: number;
  /** First contentful paint of the station's page, median, ms from navigation. */
  fcp: number;
  /** The sign-in screen showing the people to choose from, the frame after, median, ms from navigation. */
  interactive: number;
  /** Baseline: first contentful paint of the same HTML and stylesheet without script, median. */
  baselineFcp: number;
}

/** The baseline page's name beside the station's index.html. */
const BASELINE = 'first-paint-baseline.html';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

interface PaintWindow {
  __firstPaint: { interactive: number | null; scripts: { name: string; bytes: number; end: number }[] | null };
}

/**
 * Installed in the page before it loads: marks the frame after the sign-in screen's choices appear,
 * and the scripts loaded by then. Plain script text, as the page runs it (no helpers of the
 * TypeScript loader inside).
 */
const INSTRUMENT = `(() => {
  const state = { interactive: null, scripts: null };
  window.__firstPaint = state;
  const observer = new MutationObserver(() => {
    if (state.interactive !== null || !document.querySelector('input[type="radio"]')) return;
    observer.disconnect();
    requestAnimationFrame(() =>
      setTimeout(() => {
        state.interactive = performance.now();
        state.scripts = performance.getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.endsWith('.js'))
          .map((e) => ({ name: new URL(e.name).pathname, bytes: e.decodedBodySize, end: e.responseEnd }));
      }, 0),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function openOnce(browser: Browser, url: string, station: boolean) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    if (station) await page.addInitScript({ content: INSTRUMENT });
    await page.goto(url, { waitUntil: 'load' });
    const fcp = async () =>
      page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const done = station
        ? await page.evaluate(() => (window as unknown as PaintWindow).__firstPaint.interactive !== null)
        : (await fcp()) !== null;
      if (done && (await fcp()) !== null) break;
      if (Date.now() > deadline) throw new Error(`the page at ${url.replace(/#.*/, '')} did not show in 30 s`);
      await page.waitForTimeout(20);
    }
    const paint = (await fcp())!;
    if (!station) return { fcp: paint, interactive: 0, bytes: 0, files: 0 };
    const state = await page.evaluate(() => (window as unknown as PaintWindow).__firstPaint);
    const before = state.scripts!.filter((s) => s.end <= state.interactive!);
    return { fcp: paint, interactive: state.interactive!, bytes: before.reduce((n, s) => n + s.bytes, 0), files: before.length };
  } finally {
    await context.close();
  }
}

/** First paint of the renderer in `rendererDir` against the baseline page, `runs` times each, alternating. */
export async function firstPaint(rendererDir: string, options: { runs?: number } = {}): Promise<FirstPaint | null> {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath) || !existsSync(join(rendererDir, 'index.html'))) {
    console.log(`  (first paint skipped: needs ${chromiumPath} and a built renderer in ${rendererDir})`);
    return null;
  }
  const runs = options.runs ?? RUNS;
  const work = mkdtempSync(join(tmpdir(), 'depot-first-paint-'));
  // Served from a copy beside which the baseline page lies: the same server code as browser mode.
  const served = join(work, 'renderer');
  cpSync(rendererDir, served, { recursive: true });
  const index = readFileSync(join(served, 'index.html'), 'utf8');
  writeFileSync(
    join(served, BASELINE),
    index
      .replace(/<script\b[^>]*>\s*<\/script>/g, '')
      .replace(/<link rel="modulepreload"[^>]*>/g, '')
      .replace('<div id="root"></div>', '<div id="root"><p>Depot Station</p></div>'),
  );
  const station = startStation({ dataDir: join(work, 'data'), devices: false, quickCheck: 'skip' });
  const web = await serveBrowserMode({ api: station.api, rendererDir: served });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const app: Awaited<ReturnType<typeof openOnce>>[] = [];
  const baseline: number[] = [];
  try {
    // One of each first, not counted: the server's and the browser's own first-time costs.
    await openOnce(browser, web.openUrl, true);
    await openOnce(browser, `${web.url}${BASELINE}`, false);
    for (let i = 0; i < runs; i++) {
      baseline.push((await openOnce(browser, `${web.url}${BASELINE}`, false)).fcp);
      app.push(await openOnce(browser, web.openUrl, true));
    }
  } finally {
    await browser.close();
    await web.close();
    await station.close();
    rmSync(work, { recursive: true, force: true });
  }
  return {
    runs,
    scriptBytes: median(app.map((r) => r.bytes)),
    scriptFiles: median(app.map((r) => r.files)),
    fcp: median(app.map((r) => r.fcp)),
    interactive: median(app.map((r) => r.interactive)),
    baselineFcp: median(baseline),
  };
}
