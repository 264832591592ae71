/**
 * Attacks on a station through its own interfaces: the API calls a signed-in user or a public
 * caller may make, browser mode's socket on 127.0.0.1, and the command line's restore. Each test
 * here is one attack that succeeded when it was written; it fails until the station refuses it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { stopLabelRendering } from '../../documents/label-worker';
import { backupNow, restoreBackup } from '../../db/backup';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { KEY_FILE } from '../../db/key';
import { openStationDb, type StationDb } from '../../db/open';
import { individualLabel } from '../../vocabulary/zpl';
import { signedIn, tempDir, tinyApi, tinyStore } from '../helpers';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const T0 = new Date(2026, 2, 10, 9, 0, 0).getTime();
const MB = 1024 * 1024;

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});
afterAll(() => stopLabelRendering());

/** A station on a clock that stands still, and sign-in helpers by demo user name. */
function station(store: StationDb = tinyStore()) {
  stores.push(store);
  const clock = { now: T0 };
  const api = createApi(store, { now: () => clock.now });
  const userId = (name: string) => (store.sqlite.prepare('select id from users where name = ?').get(name) as { id: string }).id;
  const pinOf = (name: string) => DEMO_USERS.find((u) => u.name === name)!.pin;
  const signIn = (name: string, pin: string) => api.call({ name: 'auth.signIn', input: { userId: userId(name), pin } });
  return { store, api, clock, userId, pinOf, signIn };
}

describe('sign-in locks against someone inside', () => {
  it('a supervisor cannot go on guessing an administrator\'s PIN by lifting the lock after every five tries', async () => {
    // What a user notices: a supervisor (Karin) signs in as an administrator (Per) without knowing
    // his PIN. She tries PINs at Per's name on the sign-in screen, and each time the fifth wrong one
    // locks him she lifts the lock from *Granskningslogg* → *Låsta inloggningar* and goes on; the
    // count starts again every time, so a four-digit PIN falls in minutes (2,000 unlocks at most)
    // instead of the years the README promises. She then holds an administrator's session.
    const { signIn, userId, pinOf, api } = station();
    const karin = await signIn('Karin Lundberg', pinOf('Karin Lundberg'));
    expect(karin.ok).toBe(true);
    const session = (karin as { value: { session: string } }).value.session;
    const per = userId('Per Åström');
    const codes: string[] = [];
    let lifted = 0;
    for (let guess = 0; guess < 40; guess++) {
      const r = await signIn('Per Åström', String(guess).padStart(4, '0'));
      codes.push(r.ok ? 'ok' : r.error.code);
      if (!r.ok && r.error.code === 'auth.locked') {
        const unlock = await api.call({ name: 'auth.unlock', input: { userId: per }, session });
        if (unlock.ok) lifted++;
      }
    }
    // Forty guesses in a row at an administrator, each refused only as a wrong PIN or a lock...
    expect(codes.every((c) => c === 'auth.wrong_pin' || c === 'auth.locked')).toBe(true);
    // ...and the forty-first, the right one, must not open an administrator's session.
    const last = await signIn('Per Åström', pinOf('Per Åström'));
    expect({ lifted, last: last.ok ? (last.value as { user: { role: string } }).user.role : last.error.code }).not.toMatchObject({ last: 'admin' });
  });
});

describe('the audit trail against public calls', () => {
  it('sign-in attempts at a locked user do not each add an entry to the trail without end', async () => {
    // What a user notices: the station's disk fills and its sync to the register slows to a crawl.
    // Anyone at a browser-mode station (the launch token is in the page) can script the public
    // sign-in call: once a user is locked, each further attempt costs the station no PIN check
    // but still writes its own audit entry, synced to disk and later sent to the register. About
    // 1,400 such calls a second on a two-core machine add some 1.6 MB a second to the database
    // (over 100 GB a day), and every entry goes to the register too.
    const { signIn, store } = station();
    for (let i = 0; i < 5; i++) await signIn('Per Åström', '0000');
    const entries = () => (store.sqlite.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    const before = entries();
    for (let i = 0; i < 2_000; i++) expect(await signIn('Per Åström', '1234')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    expect(entries() - before).toBeLessThan(200);
  });
});

describe('the PIN key on a station restored onto a new machine', () => {
  it('never makes a new PIN key for a database whose PINs were checked with another: no right PIN is refused as wrong, no one is locked out by it', async () => {
    // What a user notices: IT restores a standalone station's backup onto a replacement machine
    // (the key file kept by IT, the backup and its .head file, as the README's restore describes).
    // The backup does not carry depot.pepper, and the station quietly makes a new PIN key at the
    // first sign-in, so every right PIN is now "Fel användare eller PIN-kod": five tries lock each
    // user out, administrators included, and nothing says the PIN key is what is missing.
    const old = tinyStore();
    const backup = await backupNow(old);
    const oldDir = dirname(old.file);
    await old.integrity;
    old.close();

    const fresh = tempDir('replacement-');
    chmodSync(fresh, 0o700);
    copyFileSync(join(oldDir, KEY_FILE), join(fresh, KEY_FILE));
    chmodSync(join(fresh, KEY_FILE), 0o600);
    restoreBackup(fresh, backup);

    const { signIn, pinOf } = station(openStationDb({ dataDir: fresh, quickCheck: 'skip' }));
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await signIn('Per Åström', pinOf('Per Åström'));
      answers.push(r.ok ? 'ok' : r.error.code);
    }
    // Either the PINs check (the key came along) or the station says the key is missing; never a wrong PIN.
    expect(answers).not.toContain('auth.wrong_pin');
    expect(answers).not.toContain('auth.locked');
  });
});

describe('label previews against a hostile label', () => {
  it('one label of 931 characters, within every limit, does not cost the station hundreds of megabytes', async () => {
    // What a user notices: any signed-in user previews one label whose QR code is drawn at
    // magnification 100 (a Zebra printer takes 1 to 10). The renderer works on it until its time
    // is up (10 s), one of the station's two cores busy and the station's memory some 640 MB
    // larger while it does (1.1 GB for 40 such labels, 20 s); four more such previews keep
    // everyone else's previews refused as busy for nearly a minute. A hundred ordinary labels
    // take about 35 MB.
    const { api } = tinyApi();
    const worker = await signedIn(api, 'warehouse_worker');
    const one = individualLabel({ individualNumber: 'I0100002', articleName: 'Manuell rullstol Kallax 45 cm', isoCode: '122203' }, 203);
    // The renderer's thread is up and its WebAssembly loaded: what follows measures a render, not a start.
    expect(await worker.call('labels.render', { zpl: one, kind: 'individual' })).toMatchObject({ ok: true });

    const hostile = `^XA^FO0,0^BQN,2,100^FDQA,${'A'.repeat(900)}^FS^XZ`;
    expect(hostile.length).toBeLessThan(1_000);
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      // Refused before it renders, in words that say what to correct.
      expect(await worker.call('labels.render', { zpl: hostile, kind: 'individual' })).toMatchObject({ ok: false, error: { code: 'labels.beyond_printer' } });
    } finally {
      clearInterval(sampler);
    }
    // A hundred ordinary labels take about 35 MB: 200 MB is far beyond any label a printer prints.
    expect(Math.round((peak - base) / MB)).toBeLessThan(200);
  });
});

describe('browser mode against a local program', () => {
  it('idle connections to its port do not use up the station\'s file handles: backups and printers still work', async () => {
    // What a user notices: any program on the machine (no launch token needed) opens a few
    // hundred connections to browser mode's port and sends nothing. Browser mode keeps every one
    // open (about a minute each, and the program opens new ones), so the station runs out of file
    // handles: labels no longer reach the network printer, the nightly backup fails and the
    // register cannot be reached, until the program stops. Here the station runs with 256 file
    // handles (Linux's usual limit is 1,024) and the program opens 400 connections.
    const template = tinyStore();
    const dataDir = dirname(template.file);
    await template.integrity;
    template.close();
    const script = join(tempDir(), 'station.mts');
    writeFileSync(
      script,
      `import { createServer, connect } from 'node:net';
import { startStation } from ${JSON.stringify(join(ROOT, 'hosts', 'station.ts'))};
import { serveBrowserMode } from ${JSON.stringify(join(ROOT, 'hosts', 'web.ts'))};
import { backupNow } from ${JSON.stringify(join(ROOT, 'db', 'backup.ts'))};
const dataDir = ${JSON.stringify(dataDir)};
const station = startStation({ dataDir, devices: false });
const web = await serveBrowserMode({ api: station.api, rendererDir: dataDir });
const printer = createServer((s) => s.end());
await new Promise((r) => printer.listen(0, '127.0.0.1', r));
console.log(JSON.stringify({ port: web.port, printer: printer.address().port }));
// Ends with the test, whatever becomes of it.
process.stdin.on('end', () => process.exit(0));
setTimeout(() => process.exit(1), 50_000).unref();
process.stdin.once('data', async () => {
  const result = {};
  await new Promise((done) => {
    const s = connect(printer.address().port, '127.0.0.1');
    s.on('connect', () => { result.printer = 'ok'; s.destroy(); done(); });
    s.on('error', (e) => { result.printer = e.code; done(); });
  });
  try { await backupNow(station.store); result.backup = 'ok'; } catch (e) { result.backup = e.code ?? String(e); }
  // The start's integrity check ran while the connections were open.
  await station.api.checked;
  const users = await station.api.call({ name: 'auth.users', input: {} });
  result.calls = users.ok ? 'ok' : users.error.code;
  console.log(JSON.stringify(result));
  process.exit(0);
});
`,
    );
    const child = spawn('bash', ['-c', `ulimit -n 256 && exec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(script)}`], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const sockets: Socket[] = [];
    try {
      const lines: string[] = [];
      let wake: (() => void) | null = null;
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        lines.push(...parts.filter((l) => l.startsWith('{')));
        wake?.();
      });
      const nextLine = async () => {
        while (lines.length === 0) await new Promise<void>((r) => (wake = r));
        return JSON.parse(lines.shift()!) as Record<string, unknown>;
      };
      const { port } = (await nextLine()) as { port: number };
      for (let i = 0; i < 400; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 1_500));
      child.stdin.write('probe\n');
      expect(await nextLine()).toEqual({ printer: 'ok', backup: 'ok', calls: 'ok' });
    } finally {
      for (const s of sockets) s.destroy();
      if (child.exitCode === null) child.kill();
    }
  });
});
