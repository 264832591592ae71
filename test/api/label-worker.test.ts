import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LabelRenderer, labelRenderer, stopLabelRendering } from '../../documents/label-worker';
import { startStation } from '../../hosts/station';
import { LABEL_SIZES, individualLabel } from '../../vocabulary/zpl';
import { signedIn, tempDir, tinyApi, tinyStore } from '../helpers';

const ONE = individualLabel({ individualNumber: 'I0100002', articleName: 'Manuell rullstol Kallax 45 cm', isoCode: '122203' }, 203);
const labels = (n: number) => ONE.repeat(n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The code a refused render was refused with. */
const codeOf = (p: Promise<unknown>) => p.then(() => 'rendered', (e: { code?: string }) => e.code ?? String(e));

afterAll(() => stopLabelRendering());

describe('label previews render on a thread of their own', () => {
  it('answers the station while a large preview renders', async () => {
    const { api } = tinyApi();
    const worker = await signedIn(api, 'warehouse_worker');
    // The renderer's thread is up and its WebAssembly loaded: what follows measures a render, not a start.
    expect(await worker.call('labels.render', { zpl: ONE, kind: 'individual' })).toMatchObject({ ok: true });

    let settled = false;
    const rendering = worker.call('labels.render', { zpl: labels(100), kind: 'individual' }).finally(() => (settled = true));
    const latencies: number[] = [];
    while (!settled) {
      const t = performance.now();
      const info = await api.call({ name: 'station.info', input: {} });
      const ms = performance.now() - t;
      // Only answers given wholly while the preview was still rendering count.
      if (settled) break;
      expect(info.ok).toBe(true);
      latencies.push(ms);
      await sleep(10);
    }
    const r = await rendering;
    expect(r.ok && (r.value as { images: string[] }).images).toHaveLength(100);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...latencies)).toBeLessThan(100);
  });

  it('refuses ZPL over the limits before rendering, with a message a worker can act on', async () => {
    const { api } = tinyApi();
    const worker = await signedIn(api, 'warehouse_worker');

    const many = await worker.call('labels.render', { zpl: labels(101), kind: 'individual' });
    expect(many).toMatchObject({ ok: false, error: { code: 'labels.too_large' } });
    const message = (many as { error: { message: { sv: string; en: string } } }).error.message;
    expect(message.sv).toContain('Skriv ut färre etiketter åt gången');
    expect(message.en).toContain('Print fewer labels at a time');
    expect(message.en).toContain('101');

    // One label of 150 000 characters: within what the call accepts, over what a preview renders.
    const long = `^XA^FO10,10^A0N,20,20^FD${'x'.repeat(150_000)}^FS^XZ`;
    expect(await worker.call('labels.render', { zpl: long, kind: 'individual' })).toMatchObject({ ok: false, error: { code: 'labels.too_large' } });

    // Refused before any thread starts, and the station goes on: the next preview renders.
    const fresh = new LabelRenderer();
    expect(await codeOf(fresh.render(labels(101), LABEL_SIZES.individual, 203))).toBe('labels.too_large');
    expect(await codeOf(fresh.render(long, LABEL_SIZES.individual, 203))).toBe('labels.too_large');
    expect(fresh.threadId).toBeNull();
    expect(await worker.call('labels.render', { zpl: labels(2), kind: 'individual' })).toMatchObject({ ok: true, value: { images: [expect.any(String), expect.any(String)] } });
  });

  it('ends a render that runs past its time, and the next one renders on a new thread', async () => {
    // Any render of more than one label runs past its time; one label has all the time it needs.
    const renderer = new LabelRenderer({ timeLimitMs: (n) => (n > 1 ? 1 : 60_000) });
    try {
      expect(await renderer.render(ONE, LABEL_SIZES.individual, 203)).toHaveLength(1);
      const first = renderer.threadId;
      expect(first).not.toBeNull();

      const ended = renderer.render(labels(50), LABEL_SIZES.individual, 203);
      await expect(ended).rejects.toMatchObject({ code: 'labels.preview_timeout', userMessage: { sv: expect.stringContaining('avbröts'), en: expect.stringContaining('was stopped') } });
      expect(renderer.threadId).not.toBe(first);

      expect(await renderer.render(ONE, LABEL_SIZES.individual, 203)).toHaveLength(1);
      expect(renderer.threadId).not.toBeNull();
      expect(renderer.threadId).not.toBe(first);
    } finally {
      await renderer.close();
    }
  });

  it('renders one at a time and refuses more than the queue holds', async () => {
    const renderer = new LabelRenderer({ queueLength: 1 });
    try {
      const rendering = renderer.render(labels(20), LABEL_SIZES.individual, 203);
      const waiting = renderer.render(ONE, LABEL_SIZES.individual, 203);
      await expect(renderer.render(ONE, LABEL_SIZES.individual, 203)).rejects.toMatchObject({ code: 'labels.preview_busy' });
      expect(await rendering).toHaveLength(20);
      expect(await waiting).toHaveLength(1);
      // The queue has room again.
      expect(await renderer.render(ONE, LABEL_SIZES.individual, 203)).toHaveLength(1);
    } finally {
      await renderer.close();
    }
  });

  it('closing the station ends the renderer thread and refuses the preview under way', async () => {
    const template = tinyStore();
    const dir = dirname(template.file);
    template.close();
    const station = startStation({ dataDir: dir, devices: false });
    const worker = await signedIn(station.api, 'warehouse_worker');
    expect(await worker.call('labels.render', { zpl: ONE, kind: 'individual' })).toMatchObject({ ok: true });
    const renderer = labelRenderer();
    expect(renderer.threadId).not.toBeNull();

    const rendering = worker.call('labels.render', { zpl: labels(100), kind: 'individual' });
    await station.close();
    expect(await rendering).toMatchObject({ ok: false, error: { code: 'labels.preview_stopped' } });
    expect(renderer.threadId).toBeNull();
  });

  it('an idle renderer thread does not keep a process alive', async () => {
    // A process that renders and then simply ends, as the command line does: it must exit on its own.
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const script = join(tempDir(), 'render.mts');
    writeFileSync(
      script,
      `import { renderZpl } from ${JSON.stringify(join(root, 'documents', 'labels.ts'))};
const pngs = await renderZpl(${JSON.stringify(labels(2))}, { widthMm: 50, heightMm: 25 }, 203);
console.log(pngs.length);`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: root, timeout: 45_000 });
    expect(stdout.trim()).toBe('2');
  });
});
