/**
 * A station's first full copy on disk (`register-copy.frames`): sealed with the station's database
 * key as it arrives, so a copy left by a start cut short is unreadable without the key; read back
 * chunk by chunk, and an altered or cut-off copy refused. A new station saves its copy as it
 * arrives instead (test/sync/streamed-copy.test.ts); a station that holds one stores the new one first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../services/events';
import { readFrames, writeFrames } from '../../services/register-copy';
import { enrolWithRegister, retryDelay, secondsLeft, SyncEngine, type SyncProgress } from '../../services/sync';
import { openStationDb } from '../../db/open';
import { frame } from '../../db/sync/wire';
import { tempDir } from '../helpers';
import { enrolledStation, FAST, heldStock, stationStock, tinyRegister } from './harness';

/** A client's name as a full copy carries it, and no sealed byte would hold by chance. */
const MARKER = 'Brukare Hemliga Ingegerd Rosenqvist';

/** A frame stored as it is (gzip level 0), so its text stands in the bytes as plainly as it can. */
function storedFrame(lines: string[]): Buffer {
  const body = gzipSync(lines.join('\n'), { level: 0 });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt32BE(lines.length, 4);
  return Buffer.concat([head, body]);
}

/** A full copy's lines, some with the marker, and its frames: about 3 MiB, so several chunks. */
function copyOf(): { lines: string[]; frames: Buffer[] } {
  const header = JSON.stringify({ epoch: 'e', cursor: 1, counts: { entities: 0, movements: 0, balances: 0 } });
  const lines = [header];
  const frames = [frame([header])];
  for (let f = 0; f < 120; f++) {
    const batch: string[] = [];
    for (let i = 0; i < 200; i++) batch.push(JSON.stringify(['e', 'customer', `${f}-${i}`, { name: i % 50 === 0 ? MARKER : randomBytes(60).toString('hex'), pin_hash: randomBytes(16).toString('hex') }]));
    lines.push(...batch);
    frames.push(f % 2 === 0 ? storedFrame(batch) : frame(batch));
  }
  return { lines, frames };
}

/** Arrives in pieces of another size than the frames', as a response body does. */
function arriving(frames: Buffer[], pieceBytes = 64 * 1024): Readable {
  const all = Buffer.concat(frames);
  const pieces: Buffer[] = [];
  for (let at = 0; at < all.length; at += pieceBytes) pieces.push(all.subarray(at, at + pieceBytes));
  return Readable.from(pieces);
}

describe('a full copy stored while it arrives', () => {
  it('holds none of the copy as plain bytes on disk, and reads back the same lines with the key', async () => {
    const key = randomBytes(32);
    const file = join(tempDir('frames-'), 'register-copy.frames');
    const { lines, frames } = copyOf();
    expect(Buffer.concat(frames).includes(Buffer.from(MARKER))).toBe(true);

    await writeFrames(arriving(frames), file, key);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(bytes.includes(Buffer.from(MARKER))).toBe(false);
    // Not even a frame as the register sent it (which anyone could unpack).
    for (const f of frames) expect(bytes.includes(f.subarray(0, Math.min(64, f.length)))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    expect([...readFrames(file, key)]).toEqual(lines);
    expect(() => [...readFrames(file, randomBytes(32))]).toThrow();
  });

  it('leaves nothing readable when the download is cut off, and refuses to read such a copy', async () => {
    const key = randomBytes(32);
    const file = join(tempDir('frames-'), 'register-copy.frames');
    // Left by an earlier start, plain and readable by anyone: replaced, not reused.
    writeFileSync(file, Buffer.concat(copyOf().frames), { mode: 0o644 });
    const { frames } = copyOf();
    const all = Buffer.concat(frames);
    const cut = all.subarray(0, Math.floor(all.length * 0.8));
    const source = Readable.from(
      (async function* () {
        for (let at = 0; at < cut.length; at += 64 * 1024) yield cut.subarray(at, at + 64 * 1024);
        // Stopped once what arrived so far is on disk, as a station killed mid-download leaves it.
        for (let i = 0; i < 500 && !(existsSync(file) && statSync(file).size >= 2 * (33 + 1024 * 1024)); i++) await new Promise((r) => setTimeout(r, 10));
        throw new Error('the station was stopped');
      })(),
    );
    await expect(writeFrames(source, file, key)).rejects.toThrow('the station was stopped');
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    expect(bytes.includes(Buffer.from(MARKER))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => [...readFrames(file, key)]).toThrow(/damaged or was altered/);
  });

  it('refuses a copy altered or shortened on disk', async () => {
    const key = randomBytes(32);
    const file = join(tempDir('frames-'), 'register-copy.frames');
    const { frames } = copyOf();
    await writeFrames(arriving(frames), file, key);
    const good = readFileSync(file);

    const altered = Buffer.from(good);
    altered[Math.floor(altered.length / 2)]! ^= 0x01;
    writeFileSync(file, altered);
    expect(() => [...readFrames(file, key)]).toThrow(/damaged or was altered/);

    // Whole chunks dropped from the end: the last chunk is missing.
    writeFileSync(file, good);
    truncateSync(file, 24 + 2 * (33 + 1024 * 1024));
    expect(() => [...readFrames(file, key)]).toThrow(/damaged or was altered/);
  });

  it('a new station saves its copy as it arrives, counting it, and leaves no file behind', async () => {
    const reg = await tinyRegister('sqlite');
    const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
    const store = openStationDb({ dataDir: tempDir('station-'), quickCheck: 'skip' });
    try {
      await enrolWithRegister(store, reg.server.url, await reg.register.createEnrolmentCode({ stationName: 'Frames', siteId: site!.id }));
      const events = new EventHub();
      const seen: SyncProgress[] = [];
      events.subscribe((e) => {
        if (e.type === 'sync.status' && e.status.progress) seen.push(e.status.progress);
      });
      const engine = new SyncEngine(store, events, FAST);
      await engine.syncNow();
      await engine.stop();
      // The register's answer is told before its first rows: the copy is being prepared.
      expect(seen[0]).toMatchObject({ phase: 'prepare', done: 0, total: 0, secondsLeft: null });
      expect(seen.findIndex((p) => p.phase !== 'prepare')).toBeGreaterThan(0);
      const downloads = seen.filter((p) => p.phase === 'download');
      expect(downloads.at(-1)!.total).toBeGreaterThan(0);
      // Columnar frames: the header's frame holds no rows, so the count ends at the total.
      expect(downloads.at(-1)!.done).toBe(downloads.at(-1)!.total);
      // Time left: not told before the pace is known, never negative, nothing left once all is counted.
      for (const p of seen) expect(p.secondsLeft === null || (Number.isInteger(p.secondsLeft) && p.secondsLeft! >= 0)).toBe(true);
      expect(downloads.at(-1)!.secondsLeft).toBe(0);
      expect(seen.some((p) => p.phase === 'finish')).toBe(true);
      expect((store.sqlite.prepare('select count(*) as n from users').get() as { n: number }).n).toBeGreaterThan(5);
      expect(existsSync(join(dirname(store.file), 'register-copy.frames'))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('a station too far behind downloads its new copy through the sealed file, then saves it, and leaves no file behind', async () => {
    const reg = await tinyRegister('sqlite', { resyncBehind: 2 });
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { start: false });
    const line = station.store.sqlite
      .prepare("select b.article_id, b.location_id, b.lot from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id where l.site_id = (select site_id from station) and l.kind = 'shelf' and a.rentable = 0 and b.quantity >= 3 order by b.article_id limit 1")
      .get() as { article_id: string; location_id: string; lot: string };
    const to = (station.store.sqlite.prepare("select id from locations where site_id = (select site_id from station) and kind = 'shelf' and id <> ? order by code limit 1").get(line.location_id) as { id: string }).id;
    for (let i = 0; i < 3; i++) other.post([{ articleId: line.article_id, lot: line.lot || null, fromLocationId: line.location_id, toLocationId: to, quantity: 1, reason: 'move' }]);
    await other.engine.syncNow();

    const seen: SyncProgress[] = [];
    station.events.subscribe((e) => {
      if (e.type === 'sync.status' && e.status.progress) seen.push(e.status.progress);
    });
    const file = join(dirname(station.store.file), 'register-copy.frames');
    let stored = false;
    station.events.subscribe((e) => {
      if (e.type === 'sync.status' && e.status.progress?.phase === 'download' && existsSync(file)) stored = true;
    });
    await station.engine.syncNow();
    expect(stored).toBe(true);
    expect(seen.some((p) => p.phase === 'apply')).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(stationStock(station.store)).toEqual(heldStock(station.store, await reg.register.stock()));
    await station.close();
    await other.close();
  });
});

describe("a copy's time left", () => {
  it('is not guessed from its first rows, counts down from the rate so far, and is nothing once every row is in', () => {
    // The first rows come slower than the rest: 0.5 s or 1 % in, no guess of minutes for what takes seconds.
    expect(secondsLeft(20, 1_672_838, 0.5)).toBeNull();
    expect(secondsLeft(16_000, 1_672_838, 4)).toBeNull();
    expect(secondsLeft(400_000, 1_000_000, 2)).toBeNull();
    // Past 3 s and 2 %: what is left at the rate so far.
    expect(secondsLeft(400_000, 1_000_000, 8)).toBe(12);
    expect(secondsLeft(999_999, 1_000_000, 30)).toBe(1);
    expect(secondsLeft(1_000_000, 1_000_000, 30)).toBe(0);
    expect(secondsLeft(0, 0, 10)).toBeNull();
  });
});

describe('the wait before trying the register again', () => {
  it('doubles up to half a minute, and up to 5 s for a new station that could not reach the register for its first copy', () => {
    const opts = { minDelayMs: 500, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4].map((n) => retryDelay(n, opts, true))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(retryDelay(10, opts, true)).toBe(30_000);
    expect(retryDelay(10, opts, false)).toBe(5_000);
    expect(retryDelay(2, opts, false)).toBe(1_000);
    // A shorter longest wait set for the station holds for a new one too.
    expect(retryDelay(10, { minDelayMs: 20, maxDelayMs: 300 }, false)).toBe(300);
  });
});
